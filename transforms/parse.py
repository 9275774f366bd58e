"""Raw records to the ARTICLES frame: dates parsed, ids and content hashes computed, bad rows split off."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import polars as pl

from transforms.ids import article_id
from transforms.readers import RawRecord
from transforms.schema import ARTICLES

MAX_BODY_CHARS = 1_000_000

QUARANTINE = pl.Schema({"source": pl.String, "locator": pl.String, "reason": pl.String, "raw": pl.String})

RAW = pl.Schema(
    {
        "source": pl.String,
        "locator": pl.String,
        "source_id": pl.String,
        "title": pl.String,
        "body": pl.String,
        "published_date": pl.String,
        "url": pl.String,
    }
)

# Date forms seen in news feeds, tried in order; anything else becomes NULL.
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d-%b-%Y", "%d %B %Y", "%B %d, %Y", "%d/%m/%Y")


def records_to_frame(records: Iterable[RawRecord]) -> pl.DataFrame:
    rows = [
        (r.source, r.locator, r.source_id, r.title, r.body, r.published_date, r.url) for r in records
    ]
    return pl.DataFrame(rows, schema=RAW, orient="row")


def published_date(raw: pl.Expr) -> pl.Expr:
    # The date part only: "1987-02-26T15:01:01Z", "26-FEB-1987 15:01:01.79".
    head = raw.str.strip_chars().str.replace(r"(?:T|\s+)\d{1,2}:\d{2}.*$", "").str.to_titlecase()
    return pl.coalesce([head.str.to_date(fmt, strict=False) for fmt in _DATE_FORMATS])


def _sha256(values: pl.Series) -> pl.Series:
    return pl.Series([hashlib.sha256(v.encode("utf-8")).hexdigest() for v in values], dtype=pl.String)


def content_sha256(title: pl.Expr, body: pl.Expr) -> pl.Expr:
    """Identity of an article's content: its title and body (dates and urls are metadata)."""
    return pl.concat_str([title.fill_null(""), pl.lit("\x1f"), body]).map_batches(_sha256, return_dtype=pl.String)


def _quarantine(frame: pl.DataFrame, reason: pl.Expr) -> pl.DataFrame:
    raw = pl.concat_str([pl.col("title").fill_null(""), pl.lit("\n\n"), pl.col("body").fill_null("")])
    return frame.select(
        "source", "locator", reason.alias("reason"), raw.str.slice(0, 2000).alias("raw")
    ).cast(QUARANTINE)


def parse_articles(raw: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return (articles with ARTICLES columns plus source/locator, quarantined rows)."""
    checked = raw.with_columns(
        pl.when(pl.col("body").is_null() | (pl.col("body").str.strip_chars() == ""))
        .then(pl.lit("article has no body text"))
        .when(pl.col("body").str.len_chars() > MAX_BODY_CHARS)
        .then(pl.format("article body too large: {} characters > {}", pl.col("body").str.len_chars(), pl.lit(MAX_BODY_CHARS)))
        .alias("problem")
    )
    bad = checked.filter(pl.col("problem").is_not_null())
    good = checked.filter(pl.col("problem").is_null()).with_columns(
        article_id(pl.col("source_id")).alias("article_id"),
        published_date(pl.col("published_date")).alias("published_date"),
        content_sha256(pl.col("title"), pl.col("body")).alias("content_sha256"),
    )
    # Within one batch: the first occurrence of a source_id or of a content wins.
    good = good.with_columns(
        pl.col("locator").first().over("source_id").alias("first_locator"),
        pl.col("source").first().over("source_id").alias("first_source"),
        pl.col("source_id").first().over("content_sha256").alias("same_content_as"),
        pl.int_range(pl.len()).over("source_id").alias("nth_id"),
        pl.int_range(pl.len()).over("content_sha256").alias("nth_content"),
    )
    duplicate_reason = (
        pl.when(pl.col("nth_id") > 0)
        .then(pl.format("duplicate source_id {} (first seen in {} {})", "source_id", "first_source", "first_locator"))
        .when(pl.col("nth_content") > 0)
        .then(pl.format("duplicate article: same title and body as {}", "same_content_as"))
    )
    good = good.with_columns(duplicate_reason.alias("problem"))
    quarantine = pl.concat(
        [
            _quarantine(bad, pl.col("problem")),
            _quarantine(good.filter(pl.col("problem").is_not_null()), pl.col("problem")),
        ]
    )
    articles = good.filter(pl.col("problem").is_null()).select(*ARTICLES.names(), "source", "locator")
    return articles.cast(ARTICLES), quarantine
