"""Raw records to the ARTICLES frame: dates parsed, ids and content hashes computed, bad rows split off.

Policies (docs/input-and-quarantine.md):
- a date outside [1900-01-01, today + 1 day] or one that cannot be read is published as NULL,
  with a quarantine *note* (``article_id`` set: the record was kept);
- a body with numbers written for machines ("1e308", 400 digits) is published, and a note says the
  figures extractor does not read them (``transforms.machine_numbers``);
- within a batch the first record of a ``source_id`` wins; later ones are quarantined
  (``warehouse.incremental.classify`` applies the same rule across the batches of a run);
- the same title and body under another ``source_id`` is a duplicate of the first.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone

import polars as pl

from transforms.ids import article_id
from transforms.machine_numbers import machine_number_note
from transforms.readers import RawRecord
from transforms.readers.records import RAW_SAMPLE_CHARS
from transforms.schema import ARTICLES

MAX_BODY_CHARS = 1_000_000

# article_id is set on a *note*: the record was published (with the problem corrected), not rejected.
QUARANTINE = pl.Schema(
    {"source": pl.String, "locator": pl.String, "reason": pl.String, "raw": pl.String, "article_id": pl.String}
)
EARLIEST_DATE = date(1900, 1, 1)
# A feed in a time zone ahead of UTC can date an article tomorrow, UTC.
FUTURE_TOLERANCE = timedelta(days=1)

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


def latest_date() -> date:
    return datetime.now(timezone.utc).date() + FUTURE_TOLERANCE


def quarantined(frame: pl.DataFrame, reason: pl.Expr, kept_as: pl.Expr | None = None) -> pl.DataFrame:
    """QUARANTINE rows for article-shaped rows of ``frame``: the reason, the raw title and body (capped)."""
    raw = pl.concat_str([pl.col("title").fill_null(""), pl.lit("\n\n"), pl.col("body").fill_null("")])
    return frame.select(
        "source", "locator", reason.alias("reason"), raw.str.slice(0, RAW_SAMPLE_CHARS).alias("raw"),
        (kept_as if kept_as is not None else pl.lit(None, pl.String)).alias("article_id"),
    ).cast(QUARANTINE)


def date_notes(good: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Dates outside [1900-01-01, today + 1 day] become NULL; (articles, a note per date set to NULL)."""
    latest = latest_date()
    parsed = pl.col("published_date_parsed")
    out_of_range = parsed.is_not_null() & ((parsed < EARLIEST_DATE) | (parsed > latest))
    written = pl.col("published_date").str.strip_chars()
    unreadable = parsed.is_null() & written.is_not_null() & (written != "")
    reason = (
        pl.when(out_of_range & (parsed > latest))
        .then(pl.format("published date {} is in the future (after {}): published with a NULL date",
                        parsed.cast(pl.String), pl.lit(str(latest))))
        .when(out_of_range)
        .then(pl.format("published date {} is before 1900: published with a NULL date", parsed.cast(pl.String)))
        .when(unreadable)
        .then(pl.format("published date \"{}\" is not a date newsetl can read: published with a NULL date",
                        written.str.slice(0, 80)))
    )
    flagged = good.with_columns(reason.alias("date_note"))
    notes = quarantined(flagged.filter(pl.col("date_note").is_not_null()), pl.col("date_note"), pl.col("article_id"))
    articles = flagged.with_columns(
        pl.when(out_of_range).then(None).otherwise(parsed).alias("published_date")
    ).drop("published_date_parsed", "date_note")
    return articles, notes


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
        published_date(pl.col("published_date")).alias("published_date_parsed"),
        content_sha256(pl.col("title"), pl.col("body")).alias("content_sha256"),
    )
    # Within one batch the first record of a source_id wins, whatever its content; then, among
    # the records that won, the first of a content wins.
    good = good.with_columns(
        pl.col("locator").first().over("source_id").alias("first_locator"),
        pl.col("source").first().over("source_id").alias("first_source"),
        pl.int_range(pl.len()).over("source_id").alias("nth_id"),
    )
    id_duplicates = good.filter(pl.col("nth_id") > 0)
    good = good.filter(pl.col("nth_id") == 0).with_columns(
        pl.col("source_id").first().over("content_sha256").alias("same_content_as"),
        pl.int_range(pl.len()).over("content_sha256").alias("nth_content"),
    )
    content_duplicates = good.filter(pl.col("nth_content") > 0)
    good, notes = date_notes(good.filter(pl.col("nth_content") == 0))
    number_notes = good.with_columns(machine_number_note(pl.col("body")).alias("number_note")).filter(pl.col("number_note").is_not_null())
    quarantine = pl.concat(
        [
            quarantined(bad, pl.col("problem")),
            quarantined(id_duplicates, pl.format("duplicate source_id {} (first seen in {} {})",
                                                 "source_id", "first_source", "first_locator")),
            quarantined(content_duplicates, pl.format("duplicate article: same title and body as {}", "same_content_as")),
            notes,
            quarantined(number_notes, pl.col("number_note"), pl.col("article_id")),
        ]
    )
    articles = good.select(*ARTICLES.names(), "source", "locator")
    return articles.cast(ARTICLES), quarantine
