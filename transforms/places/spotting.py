"""Gazetteer names and demonyms found in article bodies, with exact character offsets.

A body is cut into pieces that cover it exactly (words and the runs between them), so a
piece's character offset is the running sum of the lengths before it: no per-article Python.
Capitalised word n-grams (connectors such as 'of', 'de', 'and' allowed inside) are then
joined to the name index; the longest match at each place wins.
"""

from __future__ import annotations

from collections.abc import Set

import polars as pl

from transforms.places.gazetteer import name_key

MAX_WORDS = 4
# An abbreviation with dots (U.S., D.C.), a word, or a run of anything else: together they cover a body.
PIECE = r"(?s)\p{Lu}(?:\.\p{Lu})+\.?|[\p{L}\p{M}\p{N}]+|[^\p{L}\p{M}\p{N}]+"
CONNECTORS = ["of", "de", "del", "la", "le", "and", "the", "upon", "on", "du", "des", "el", "al", "da", "do", "di", "y", "sur"]
JOINERS = [" ", "-"]


def pieces(articles: pl.DataFrame) -> pl.DataFrame:
    """article_id, piece, start_char, end_char, with the pieces of each body in order."""
    return (
        articles.lazy()
        .select("article_id", pl.col("body").fill_null("").str.extract_all(PIECE).alias("piece"))
        .explode("piece")
        .drop_nulls("piece")
        .with_columns(pl.col("piece").str.len_chars().cast(pl.Int64).alias("length"))
        .with_columns(pl.col("length").cum_sum().over("article_id").alias("end_char"))
        .with_columns((pl.col("end_char") - pl.col("length")).alias("start_char"))
        .drop("length")
        .collect()
    )


def spot_names(articles: pl.DataFrame, keys: Set[str]) -> pl.DataFrame:
    """Longest capitalised n-grams whose name_key is in ``keys``.

    ``keys`` is a set (``Gazetteer.spot_keys``), built once per process: joining a frame of
    the whole name index would rebuild its hash table on every call, a fixed cost per batch.

    Returns article_id, start_char, end_char, text, key, n_words, sentence_initial.
    """
    p = pieces(articles)
    if p.is_empty():
        return pl.DataFrame(
            schema={"article_id": pl.String, "start_char": pl.Int64, "end_char": pl.Int64, "text": pl.String,
                    "key": pl.String, "n_words": pl.Int64, "sentence_initial": pl.Boolean}
        )
    word = pl.col("piece").str.contains(r"^[\p{L}\p{N}]")
    capital = pl.col("piece").str.contains(r"^\p{Lu}")
    last = 2 * (MAX_WORDS - 1)
    # every column an n-gram needs, shifted once over the whole frame; then only the rows that
    # can start a name (a capitalised word that is not a connector) are kept
    connectors = CONNECTORS + [c.title() for c in CONNECTORS]
    frame = (
        p.lazy()
        .with_columns(
            capital.alias("is_cap"),
            pl.col("piece").is_in(connectors).alias("is_conn"),
            pl.col("piece").shift(1).alias("previous"),
        )
        .with_columns((pl.col("is_cap") | pl.col("is_conn")).alias("is_cap_or_conn"))
        .with_columns(
            *[pl.col("piece").shift(-k).alias(f"p{k}") for k in range(1, last + 1)],
            *[pl.col("end_char").shift(-k).alias(f"e{k}") for k in range(2, last + 1, 2)],
            *[pl.col("is_cap").shift(-k).alias(f"c{k}") for k in range(2, last + 1, 2)],
            *[pl.col("is_cap_or_conn").shift(-k).alias(f"cc{k}") for k in range(2, last + 1, 2)],
            *[(pl.col("article_id").shift(-k) == pl.col("article_id")).alias(f"s{k}") for k in range(2, last + 1, 2)],
        )
        .filter(pl.col("is_cap") & ~pl.col("is_conn") & word)
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
            conds.append(pl.col(f"p{2 * i - 1}").is_in(JOINERS))
            # inner words may be connectors ("Bosnia and Herzegovina"), the last must be capitalised
            conds.append(pl.col(f"c{2 * i}") if i == n - 1 else pl.col(f"cc{2 * i}"))
            text_parts += [pl.col(f"p{2 * i - 1}"), pl.col(f"p{2 * i}")]
        if n > 1:
            conds.append(pl.col(f"s{k_last}"))
        grams.append(
            frame.filter(pl.all_horizontal(conds).fill_null(False)).select(
                "article_id",
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
    known = distinct.filter(pl.Series([key in keys for key in distinct["key"].to_list()], dtype=pl.Boolean))
    found = (
        grams.lazy()
        .join(known.lazy(), on="text")
        .sort("article_id", "start_char", "n_words", descending=[False, False, True])
        .unique(["article_id", "start_char"], keep="first", maintain_order=True)
        .with_columns(
            pl.col("end_char").cum_max().shift(1).over("article_id").fill_null(-1).alias("covered_to")
        )
        .filter(pl.col("start_char") >= pl.col("covered_to"))
        .drop("covered_to")
        .collect()
    )
    return found.select("article_id", "start_char", "end_char", "text", "key", "n_words", "sentence_initial")
