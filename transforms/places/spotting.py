"""Gazetteer names and demonyms found in article bodies, with exact character offsets.

A body is cut into pieces that cover it exactly (words and the runs between them), so a
piece's character offset is the running sum of the lengths before it: no per-article Python.
Capitalised word n-grams (connectors such as 'of', 'de', 'and' allowed inside) are then
joined to the name index; the longest match at each place wins.
"""

from __future__ import annotations

from collections.abc import Set

import polars as pl

from transforms.places.gazetteer import SortedKeys, name_key

MAX_WORDS = 4
# An abbreviation with dots (U.S., D.C.), a word, or a run of anything else: together they cover a body.
PIECE = r"(?s)\p{Lu}(?:\.\p{Lu})+\.?|[\p{L}\p{M}\p{N}]+|[^\p{L}\p{M}\p{N}]+"
CONNECTORS = ["of", "de", "del", "la", "le", "and", "the", "upon", "on", "du", "des", "el", "al", "da", "do", "di", "y", "sur"]
JOINERS = [" ", "-"]
# "St. Paris", "Mt. Pleasant", "Ft. Wayne": a dot joins an abbreviated first word to the next one
ABBREVIATED_WORD = r"^(?:St|Ste|Mt|Ft|ST|STE|MT|FT)$"


def _pieces(articles: pl.DataFrame) -> pl.DataFrame:
    """pieces() plus ``offset``, the character offset of the piece's body in the concatenation of
    all bodies (article order): the pieces cover every body exactly, so one running sum over the
    whole frame gives every offset, and no per-article window is needed."""
    bodies = articles.select("article_id", pl.col("body").fill_null("").alias("body"))
    lengths = pl.col("body").str.len_chars().cast(pl.Int64)
    return (
        bodies.lazy()
        .select(
            "article_id",
            (lengths.cum_sum() - lengths).alias("offset"),
            pl.col("body").str.extract_all(PIECE).alias("piece"),
        )
        .explode("piece", empty_as_null=False)
        .drop_nulls("piece")
        .with_columns(pl.col("piece").str.len_chars().cast(pl.Int64).cum_sum().alias("global_end"))
        .with_columns((pl.col("global_end") - pl.col("offset")).alias("end_char"))
        .with_columns((pl.col("end_char") - pl.col("piece").str.len_chars().cast(pl.Int64)).alias("start_char"))
        .collect()
    )


def pieces(articles: pl.DataFrame) -> pl.DataFrame:
    """article_id, piece, start_char, end_char, with the pieces of each body in order."""
    return _pieces(articles).select("article_id", "piece", "end_char", "start_char")


def spot_names(articles: pl.DataFrame, keys: SortedKeys | Set[str]) -> pl.DataFrame:
    """Longest capitalised n-grams whose name_key is in ``keys``.

    ``keys`` is ``Gazetteer.spot_keys`` (or a set of keys): joining a frame of the whole name
    index would rebuild its hash table on every call, a fixed cost per batch.

    Returns article_id, start_char, end_char, text, key, n_words, sentence_initial.
    """
    p = _pieces(articles)
    if p.is_empty():
        return pl.DataFrame(
            schema={"article_id": pl.String, "start_char": pl.Int64, "end_char": pl.Int64, "text": pl.String,
                    "key": pl.String, "n_words": pl.Int64, "sentence_initial": pl.Boolean}
        )
    last = 2 * (MAX_WORDS - 1)
    connectors = CONNECTORS + [c.title() for c in CONNECTORS]
    # Only the rows that can start a name (a capitalised word that is not a connector; a piece
    # starting with an upper-case letter is a word) are kept; the pieces after them are gathered
    # by row number (null past the end, as a shift would give), not shifted over the whole frame.
    p = p.with_row_index("row")
    starts = p.filter(pl.col("piece").str.contains(r"^\p{Lu}")).filter(~pl.col("piece").is_in(connectors))
    tail = pl.DataFrame({"piece": [None] * last, "end_char": [None] * last, "article_id": [None] * last},
                        schema={"piece": pl.String, "end_char": pl.Int64, "article_id": pl.String})
    padded = pl.concat([p.select("piece", "end_char", "article_id"), tail]).rechunk()
    rows = starts["row"].cast(pl.Int64)
    previous = padded["piece"].gather((rows - 1).clip(lower_bound=0)).set(rows == 0, None)
    shifted = {}
    for k in range(1, last + 1):
        at = rows + k
        shifted[f"p{k}"] = padded["piece"].gather(at)
        if k % 2 == 0:
            shifted[f"e{k}"] = padded["end_char"].gather(at)
            shifted[f"s{k}"] = padded["article_id"].gather(at) == starts["article_id"]
    frame = (
        starts.with_columns(pl.Series("previous", previous), *[pl.Series(name, values) for name, values in shifted.items()])
        .lazy()
        .with_columns(
            *[pl.col(f"p{k}").str.contains(r"^\p{Lu}").alias(f"c{k}") for k in range(2, last + 1, 2)],
        )
        .with_columns(
            *[(pl.col(f"c{k}") | pl.col(f"p{k}").is_in(connectors)).alias(f"cc{k}") for k in range(2, last + 1, 2)],
        )
        .with_columns(
            ((pl.col("start_char") == 0) | pl.col("previous").str.contains(r"[.!?\"“\n]\s*$").fill_null(True)).alias(
                "sentence_initial"
            )
        )
    )
    grams = []
    for n in range(1, MAX_WORDS + 1):
        k_last = 2 * (n - 1)
        conds = [pl.lit(True)]
        text_parts = [pl.col("piece")]
        for i in range(1, n):
            word_before = pl.col("piece") if i == 1 else pl.col(f"p{2 * i - 2}")
            conds.append(
                pl.col(f"p{2 * i - 1}").is_in(JOINERS)
                | ((pl.col(f"p{2 * i - 1}") == ". ") & word_before.str.contains(ABBREVIATED_WORD))
            )
            # inner words may be connectors ("Bosnia and Herzegovina"), the last must be capitalised
            conds.append(pl.col(f"c{2 * i}") if i == n - 1 else pl.col(f"cc{2 * i}"))
            text_parts += [pl.col(f"p{2 * i - 1}"), pl.col(f"p{2 * i}")]
        if n > 1:
            conds.append(pl.col(f"s{k_last}"))
        grams.append(
            frame.filter(pl.all_horizontal(conds).fill_null(False)).select(
                "article_id",
                "row",
                "offset",
                "start_char",
                (pl.col(f"e{k_last}") if n > 1 else pl.col("end_char")).alias("end_char"),
                pl.concat_str(text_parts).alias("text"),
                pl.lit(n, pl.Int64).alias("n_words"),
                "sentence_initial",
            )
        )
    grams = pl.concat(grams).collect()
    # normalise each distinct text once, keep only those that are names
    distinct = grams.select("text").unique().with_columns(name_key(pl.col("text")).alias("key"))
    known = distinct.filter((keys if isinstance(keys, SortedKeys) else SortedKeys.of(keys)).contains(distinct["key"]))
    # The longest name at each start; then a name inside an earlier one is dropped. ``row`` (the
    # start piece) orders the grams as the bodies run, so one running maximum of the end offsets
    # over all bodies serves every article (a body's offsets all lie past the previous body's).
    found = (
        grams.lazy()
        .join(known.lazy(), on="text")
        .sort("row", "n_words", descending=[False, True])
        .unique("row", keep="first", maintain_order=True)
        .with_columns((pl.col("offset") + pl.col("end_char")).cum_max().shift(1).fill_null(-1).alias("covered_to"))
        .filter(pl.col("offset") + pl.col("start_char") >= pl.col("covered_to"))
        .drop("covered_to")
        .sort("article_id", "start_char")
        .collect()
    )
    return found.select("article_id", "start_char", "end_char", "text", "key", "n_words", "sentence_initial")
