"""Incremental loading: decide which parsed articles are new, changed, unchanged or duplicates.

An article is identified by its source_id (article_id is its hash). Its content is
identified by content_sha256 (title and body). Unchanged articles are never
re-extracted; a changed one replaces its published rows; the same content under
another source_id is a duplicate and goes to quarantine.

Within a run, the first record of a source_id in reading order (inputs as given, files
in sorted path order, lines and documents in file order) is the one judged; every later
record with that source_id is quarantined as a duplicate, whatever its content and
whatever the batch size (``transforms.parse`` applies the rule within a batch, the
``RunLedger`` across batches).
"""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import polars as pl


class RunLedger:
    """What this run has already accepted, so later batches can be compared with earlier ones."""

    def __init__(self) -> None:
        self.source_by_content: dict[str, str] = {}
        self.first_seen: dict[str, str] = {}  # source_id -> "file locator" of its first record in this run

    def remember(self, articles: pl.DataFrame) -> None:
        self.source_by_content.update(zip(articles["content_sha256"].to_list(), articles["source_id"].to_list()))

    def seen_ids(self, articles: pl.DataFrame) -> pl.DataFrame:
        """(source_id, first_seen) of ``articles`` ids an earlier batch had; then remember this batch's ids."""
        ids = articles["source_id"].to_list()
        earlier = [(i, self.first_seen[i]) for i in ids if i in self.first_seen]
        for source_id, source, locator in zip(ids, articles["source"].to_list(), articles["locator"].to_list()):
            self.first_seen.setdefault(source_id, f"{source} {locator}".strip())
        return pl.DataFrame(earlier, schema={"source_id": pl.String, "first_seen": pl.String}, orient="row")


def classify(con: duckdb.DuckDBPyConnection, articles: pl.DataFrame, ledger: RunLedger) -> pl.DataFrame:
    """Add ``change`` (new | changed | unchanged | duplicate), ``duplicate_of`` and ``duplicate_reason`` to ``articles``.

    Records the batch's source_ids in ``ledger``: call it once per batch, in reading order.
    """
    seen = ledger.seen_ids(articles)
    con.register("incoming_keys", articles.select("article_id", "source_id", "content_sha256"))
    try:
        known = con.sql(
            """
            with published_contents as (
                -- only the contents this batch brings: a join, not a scan-and-group of the whole table per batch
                select p.content_sha256, min(p.source_id) as source_id
                from articles p semi join incoming_keys i on i.content_sha256 = p.content_sha256
                group by p.content_sha256
            )
            select k.article_id, p.content_sha256 as published_sha256, t.source_id as published_twin
            from incoming_keys k
            left join articles p on p.article_id = k.article_id
            left join published_contents t
                   on t.content_sha256 = k.content_sha256 and t.source_id <> k.source_id
            """
        ).pl()
    finally:
        con.unregister("incoming_keys")
    twins = pl.DataFrame(
        {"content_sha256": list(ledger.source_by_content), "run_twin": list(ledger.source_by_content.values())},
        schema={"content_sha256": pl.String, "run_twin": pl.String},
    )
    classified = (
        articles.join(known, on="article_id", how="left")
        .join(twins, on="content_sha256", how="left")
        .join(seen, on="source_id", how="left")
        .with_columns(
            pl.when(pl.col("first_seen").is_not_null())
            .then(pl.col("source_id"))
            .when(pl.col("run_twin").is_not_null() & (pl.col("run_twin") != pl.col("source_id")))
            .then(pl.col("run_twin"))
            .otherwise(pl.col("published_twin"))
            .alias("duplicate_of")
        )
        .with_columns(
            pl.when(pl.col("first_seen").is_not_null())
            .then(pl.format("duplicate source_id {} (first seen in {})", "source_id", "first_seen"))
            .when(pl.col("duplicate_of").is_not_null())
            .then(pl.format("duplicate article: same title and body as {}", "duplicate_of"))
            .alias("duplicate_reason"),
            pl.when(pl.col("duplicate_of").is_not_null())
            .then(pl.lit("duplicate"))
            .when(pl.col("published_sha256").is_null())
            .then(pl.lit("new"))
            .when(pl.col("published_sha256") == pl.col("content_sha256"))
            .then(pl.lit("unchanged"))
            .otherwise(pl.lit("changed"))
            .alias("change")
        )
        .drop("published_sha256", "published_twin", "run_twin", "first_seen")
    )
    # rechunk: polars 2.1 panics ("i < self.len()") in string functions on some
    # joined-then-filtered string columns; contiguous buffers avoid it.
    return classified.rechunk()


def fresh_batches(accepted: pl.DataFrame, batch_size: int) -> Iterator[pl.DataFrame]:
    """The new and changed articles of classified ``accepted`` articles, in extraction batches of ``batch_size``."""
    fresh = accepted.filter(pl.col("change").is_in(["new", "changed"]))
    for offset in range(0, fresh.height, batch_size):
        yield fresh.slice(offset, batch_size)


def has_published_articles(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("select exists (select 1 from articles)").fetchone()[0]
