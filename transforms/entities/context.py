"""Second-pass features: what the first pass said about the same word elsewhere in the article.

One sentence rarely settles whether "Petofi" is a club or a town, or whether a
capitalised word opening a sentence is a name at all; the rest of the article
usually does. The second pass (a small CRF, after Krishnan & Manning 2006) sees
the first pass's tags and, for each capitalised token, how the first pass read
the same word at its other capitalised places in the article (the title is the
article's first line, so it counts too). It is trained on first-pass tags of
documents the first-pass model did not see (``train.py``: jackknife over
folds), so it learns how far to trust them.

Reads (per token, in reading order): ``article_id``, ``seq``, ``tag`` (first
pass), ``w``, ``sh``, ``starts_upper``, ``is_first``, ``caps_line``.
Adds one string column per name in ``SECOND_PASS_TEMPLATES``.
"""

from __future__ import annotations

import polars as pl

from transforms.tokens import ENGINE

SECOND_PASS_TEMPLATES: tuple[str, ...] = (
    "bias", "t", "t-1", "t+1", "t|t-1", "t|t+1",
    "pos", "d", "d|t", "d|pos", "d|sh", "dn", "d-1", "d+1", "d|t-1", "d|t+1",
)  # fmt: skip

_TYPES = ("PER", "ORG", "LOC", "MISC", "O")


def _near(expr: pl.Expr, k: int, edge: str | None) -> pl.Expr:
    """Value ``k`` tokens later (negative: earlier) on the same line, else ``edge``."""
    same_line = pl.col("seq").shift(-k) == pl.col("seq")
    return pl.when(same_line).then(expr.shift(-k)).otherwise(pl.lit(edge, dtype=pl.String))


def document_votes(frame: pl.DataFrame) -> pl.Series:
    """``d``: for a capitalised token, the type the first pass gave most often to the same word at
    its *other* capitalised places in the article (ties: PER, ORG, LOC, MISC, O); null when there are none."""
    kind = pl.when(pl.col("tag") == "O").then(pl.lit("O")).otherwise(pl.col("tag").str.slice(2))
    votes = (
        frame.lazy()
        .select("article_id", "w", "starts_upper", kind=kind)
        .with_row_index("row")
        .filter("starts_upper")
    )
    counts = votes.group_by("article_id", "w").agg(
        **{f"n_{t}": (pl.col("kind") == t).sum().cast(pl.Int32) for t in _TYPES}
    )
    others = {t: pl.col(f"n_{t}") - (pl.col("kind") == t).cast(pl.Int32) for t in _TYPES}
    best = pl.lit(None, pl.String)
    best_n = pl.lit(0, pl.Int32)
    for t in reversed(_TYPES):  # the first type in _TYPES wins a tie
        better = others[t] >= best_n
        best = pl.when(better & (others[t] > 0)).then(pl.lit(t)).otherwise(best)
        best_n = pl.when(better).then(others[t]).otherwise(best_n)
    total = pl.sum_horizontal(*others.values())
    scored = votes.join(counts, on=["article_id", "w"]).select(
        "row", d=best, dn=pl.when(total == 0).then(None).when(total == 1).then(pl.lit("1")).when(total <= 3).then(pl.lit("2-3")).otherwise(pl.lit("4+"))
    )
    out = pl.LazyFrame({"row": pl.int_range(frame.height, eager=True, dtype=pl.UInt32)}).join(
        scored, on="row", how="left", maintain_order="left"
    )
    return out.collect(engine=ENGINE)


def second_pass_features(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` plus one string column per name in SECOND_PASS_TEMPLATES (see the module doc)."""
    d = document_votes(frame)
    pos = (
        pl.when(pl.col("caps_line")).then(pl.lit("caps"))
        .when(pl.col("starts_upper") & pl.col("is_first")).then(pl.lit("first"))
        .when(pl.col("starts_upper")).then(pl.lit("upper"))
        .otherwise(pl.lit("other"))
    )  # fmt: skip
    pair = lambda *parts: pl.concat_str(list(parts), separator="|")  # noqa: E731
    return (
        frame.with_columns(d=d["d"], dn=d["dn"], pos=pos, bias=pl.lit("1"), t=pl.col("tag"))
        .with_columns(
            **{"t-1": _near(pl.col("t"), -1, "<s>"), "t+1": _near(pl.col("t"), 1, "</s>")},
            **{"d-1": _near(pl.col("d"), -1, None), "d+1": _near(pl.col("d"), 1, None)},
        )
        .with_columns(
            **{
                "t|t-1": pair(pl.col("t"), pl.col("t-1")),
                "t|t+1": pair(pl.col("t"), pl.col("t+1")),
                "d|t": pair(pl.col("d"), pl.col("t")),
                "d|pos": pair(pl.col("d"), pl.col("pos")),
                "d|sh": pair(pl.col("d"), pl.col("sh")),
                "d|t-1": pair(pl.col("d"), pl.col("t-1")),
                "d|t+1": pair(pl.col("d"), pl.col("t+1")),
            }
        )
    )
