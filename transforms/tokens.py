"""Tokenisation in polars with exact character offsets.

The token pattern matches every character of the text (whitespace runs are
tokens too), so the running sum of token lengths gives each token's offset in
Python string indices. polars' ``str.find`` and friends count bytes, so they
are never used for offsets here.
"""

from __future__ import annotations

import polars as pl

# Alternatives are tried left to right (leftmost-first), and together they
# cover every character: whitespace, dotted initialisms (U.S.), numbers with
# separators (15,000 / 1.5 / 10:30), words joined by - . & or an apostrophe
# (O'Neill, AL-AIN, AT&T) but not a possessive 's, then any single symbol.
TOKEN_PATTERN = (
    r"\s+"
    r"|(?:[A-Za-z]\.){2,}"
    r"|\d+(?:[.,:]\d+)+"
    r"|\w+(?:[-.&]\w+|[’'](?:\w\w+|[a-rt-zA-RT-Z]\b))*"
    r"|[’'][sS]\b"
    r"|[^\w\s]"
)

TOKENS = pl.Schema(
    {
        "article_id": pl.String,
        "token_index": pl.Int64,  # position among the article's non-space tokens
        "line": pl.Int64,  # number of line breaks before the token in its article
        "token": pl.String,
        "start_char": pl.Int64,
        "end_char": pl.Int64,
    }
)


def tokenize(articles: pl.DataFrame, text: str = "body", key: str = "article_id") -> pl.DataFrame:
    """One row per non-space token of ``articles[text]``, in reading order (schema TOKENS)."""
    pieces = (
        articles.lazy()
        .select(pl.col(key).alias("article_id"), pl.col(text).fill_null("").str.extract_all(TOKEN_PATTERN).alias("token"))
        .explode("token")
        .drop_nulls("token")
        .with_columns(length=pl.col("token").str.len_chars().cast(pl.Int64))
        .with_columns(
            end_char=pl.col("length").cum_sum().over("article_id"),
            is_space=pl.col("token").str.contains(r"^\s"),
            breaks=pl.col("token").str.count_matches("\n").cast(pl.Int64),
        )
        .with_columns(
            start_char=pl.col("end_char") - pl.col("length"),
            line=pl.col("breaks").cum_sum().over("article_id"),
        )
        .filter(~pl.col("is_space"))
        .with_columns(token_index=pl.int_range(pl.len(), dtype=pl.Int64).over("article_id"))
    )
    return pieces.select(list(TOKENS.names())).collect()
