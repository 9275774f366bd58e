"""Tagger features as polars expressions over the token frame.

Each feature template is one string column (null when it does not fire). The
same function feeds training (``train.py``) and tagging (``crf.py``), so the
model always sees the features it was trained on.

Context is the line: a headline, a dateline, a sentence of CoNLL text or a
paragraph of an article. Document-level templates (``dc*``) look at how the
same word is written elsewhere in the article (non-local features, after
Ratinov & Roth 2009), which is what rescues ALL-CAPS headlines.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from transforms.entities.gazetteer import LEXICON_DIR, MAX_NGRAM

# Words that end organisation names (Cartel, Agency, Ministry): a feature, so
# the tagger can carry what it learnt from "Ministry" to "Cartel".
ORG_HEADS = pl.read_csv(LEXICON_DIR / "org_heads.csv")["word"]
# A full stop after these does not end a sentence.
ABBREVIATIONS = pl.read_csv(LEXICON_DIR / "abbreviations.csv")["word"]
_STOPS = [".", "!", "?"]
_QUOTES = ['"', "'", "”", "’"]

TEMPLATES: tuple[str, ...] = (
    "bias",
    "w", "w-1", "w+1", "w-2", "w+2",
    "b-1", "b+1",
    "sh", "sh-1", "sh+1", "sh3",
    "p2", "p3", "s2", "s3", "s4",
    "first", "cl", "tc", "dc", "dcs",
    "gz", "gz-1", "gz+1",
    "oh", "oh+1", "oh+2",
)  # fmt: skip


@dataclass(frozen=True)
class Lexicons:
    """Data the features join against; saved with the weights."""

    gazetteer: pl.DataFrame  # key (lower-cased tokens joined by " "), kind, n
    casing: pl.DataFrame  # word (lower-cased form), casing (T | L | M) in the training text


def _near(expr: pl.Expr, k: int, edge: str | None) -> pl.Expr:
    """Value ``k`` tokens later (negative: earlier) on the same line, else ``edge``."""
    same_line = pl.col("seq").shift(-k) == pl.col("seq")
    return pl.when(same_line).then(expr.shift(-k)).otherwise(pl.lit(edge, dtype=pl.String))


def _casing_class(share: pl.Expr) -> pl.Expr:
    return pl.when(share >= 0.99).then(pl.lit("T")).when(share <= 0.01).then(pl.lit("L")).otherwise(pl.lit("M"))


def with_sequences(tokens: pl.DataFrame) -> pl.LazyFrame:
    """Number the sentences of all articles consecutively (``seq``), tokens in reading order.

    A sentence ends at a line break, or at . ! ? (perhaps then a closing quote)
    followed by a capital, unless the stop ends an abbreviation or an initial.
    The tagger was trained on one sentence per line, so it sees the same here.
    """
    token = pl.col("token")
    before, before2 = token.shift(1), token.shift(2)
    after_stop = before.is_in(_STOPS) & ~(
        before2.str.to_lowercase().is_in(ABBREVIATIONS) | before2.str.contains(r"^\p{Lu}$")
    )
    after_quoted_stop = before.is_in(_QUOTES) & before2.is_in(_STOPS)
    sentence_start = (after_stop | after_quoted_stop) & token.str.contains(r"^[\p{Lu}\d\"'“‘]")
    new_seq = (
        (pl.col("article_id") != pl.col("article_id").shift(1))
        | (pl.col("line") != pl.col("line").shift(1))
        | sentence_start.fill_null(False)
    )
    return tokens.lazy().with_columns(seq=new_seq.fill_null(True).cum_sum().cast(pl.Int64))


def casing_evidence(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Columns low, starts_upper, is_evidence: where a word's case says something about it.

    The first token of a line and every token of an ALL-CAPS line are
    capitalised whatever they are, so they are not evidence.
    """
    has_lower = pl.col("token").str.contains(r"\p{Ll}")
    has_upper = pl.col("token").str.contains(r"\p{Lu}")
    return frame.with_columns(
        low=pl.col("token").str.to_lowercase(),
        starts_upper=pl.col("token").str.contains(r"^\p{Lu}"),
        is_first=pl.col("seq") != pl.col("seq").shift(1).fill_null(-1),
        caps_line=(has_lower.sum().over("seq") == 0) & (has_upper.sum().over("seq") >= 1),
        is_word=pl.col("token").str.contains(r"^\p{L}"),
    ).with_columns(is_evidence=~pl.col("is_first") & ~pl.col("caps_line") & pl.col("is_word"))


def casing_lexicon(tokens: pl.DataFrame, min_count: int = 2) -> pl.DataFrame:
    """How each word is usually written in running text: T(itle), L(ower) or M(ixed)."""
    return (
        casing_evidence(with_sequences(tokens))
        .filter("is_evidence")
        .group_by("low")
        .agg(share=pl.col("starts_upper").mean(), n=pl.len())
        .filter(pl.col("n") >= min_count)
        .select(pl.col("low").alias("word"), _casing_class(pl.col("share")).alias("casing"))
        .sort("word")
        .collect()
    )


def _gazetteer_tag(lex: Lexicons) -> pl.Expr:
    """B-KIND / I-KIND for tokens inside a capitalised gazetteer match, longest match first."""
    candidates: list[pl.Expr] = []
    for n in range(MAX_NGRAM, 0, -1):
        entries = lex.gazetteer.filter(pl.col("n") == n)
        parts = [_near(pl.col("low"), j, None) for j in range(n)]
        key = pl.concat_str(parts, separator=" ")
        capitalised = pl.col("starts_upper") & _near(pl.col("starts_upper").cast(pl.String), n - 1, None).eq("true")
        kind = pl.when(capitalised).then(
            key.replace_strict(entries["key"], entries["kind"], default=None, return_dtype=pl.String)
        )
        candidates.append(pl.concat_str([pl.lit("B-"), kind]))
        for j in range(1, n):
            candidates.append(pl.concat_str([pl.lit("I-"), _near(kind, -j, None)]))
    return pl.coalesce(candidates)


def token_features(tokens: pl.DataFrame, lex: Lexicons) -> pl.DataFrame:
    """The token frame (with ``seq``) plus one string column per name in TEMPLATES."""
    frame = casing_evidence(with_sequences(tokens))
    doc_casing = (
        frame.filter("is_evidence")
        .group_by("article_id", "low")
        .agg(share=pl.col("starts_upper").mean())
        .select("article_id", "low", dc=_casing_class(pl.col("share")))
    )
    frame = (
        frame.join(doc_casing, on=["article_id", "low"], how="left", maintain_order="left")
        .join(lex.casing.lazy(), left_on="low", right_on="word", how="left", maintain_order="left")
        .with_columns(
            # U.S. and US are one word; digits are all alike.
            w=pl.when(pl.col("token").str.contains(r"^(?:\p{L}\.)+$"))
            .then(pl.col("low").str.replace_all(r"\.", ""))
            .otherwise(pl.col("low"))
            .str.replace_all(r"\d", "0"),
            sh=pl.col("token")
            .str.replace_all(r"\p{Lu}+", "X")
            .str.replace_all(r"\p{Ll}+", "x")
            .str.replace_all(r"\d+", "d"),
            gz=_gazetteer_tag(lex),
            oh=pl.when(pl.col("starts_upper") & pl.col("low").is_in(ORG_HEADS)).then(pl.lit("1")),
        )
    )
    f = {
        "bias": pl.lit("1"),
        "w": pl.col("w"),
        "w-1": _near(pl.col("w"), -1, "<s>"),
        "w+1": _near(pl.col("w"), 1, "</s>"),
        "w-2": _near(pl.col("w"), -2, "<s>"),
        "w+2": _near(pl.col("w"), 2, "</s>"),
        "sh": pl.col("sh"),
        "sh-1": _near(pl.col("sh"), -1, "<s>"),
        "sh+1": _near(pl.col("sh"), 1, "</s>"),
        "p2": pl.col("w").str.head(2),
        "p3": pl.col("w").str.head(3),
        "s2": pl.col("w").str.tail(2),
        "s3": pl.col("w").str.tail(3),
        "s4": pl.col("w").str.tail(4),
        "first": pl.when("is_first").then(pl.col("sh")),
        "cl": pl.when("caps_line").then(pl.concat_str([pl.lit("C|"), pl.col("casing").fill_null("?")])),
        "tc": pl.col("casing"),
        "dc": pl.col("dc"),
        "dcs": pl.concat_str([pl.col("dc"), pl.col("sh")], separator="|"),
        "gz": pl.col("gz"),
        "gz-1": _near(pl.col("gz"), -1, None),
        "gz+1": _near(pl.col("gz"), 1, None),
        "oh": pl.col("oh"),
        "oh+1": _near(pl.col("oh"), 1, None),
        "oh+2": _near(pl.col("oh"), 2, None),
    }
    frame = frame.with_columns(**f).with_columns(
        **{
            "b-1": pl.concat_str([pl.col("w-1"), pl.col("w")], separator="|"),
            "b+1": pl.concat_str([pl.col("w"), pl.col("w+1")], separator="|"),
            "sh3": pl.concat_str([pl.col("sh-1"), pl.col("sh"), pl.col("sh+1")], separator="|"),
        }
    )
    return frame.select(*tokens.columns, "seq", *TEMPLATES).collect()
