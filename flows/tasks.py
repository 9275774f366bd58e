"""Batch-level Prefect tasks. Each takes and returns whole batches, never single articles."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
from prefect import task
from prefect.cache_policies import NO_CACHE

from expectations.runner import ValidationReport, validate
from flows.stages import ExtractionPool, StageClock, extract_timed
from transforms.parse import QUARANTINE, parse_articles, records_to_frame
from transforms.readers import QuarantineRecord, RawRecord, ReadUnit, read_unit
from warehouse import loader, publisher


def quarantine_frame(items: list[QuarantineRecord]) -> pl.DataFrame:
    rows = [(q.source, q.locator, q.reason, q.raw) for q in items]
    return pl.DataFrame(rows, schema=QUARANTINE, orient="row")


@task(name="ingest_batch", cache_policy=NO_CACHE, retries=0)
def ingest_batch(unit: ReadUnit) -> tuple[pl.DataFrame, pl.DataFrame, int, StageClock]:
    """Read and parse one unit: (articles, quarantined rows, records read, read and parse timings)."""
    clock = StageClock()
    records: list[RawRecord] = []
    bad: list[QuarantineRecord] = []
    with clock.stage("read") as read:
        for item in read_unit(unit):
            (records if isinstance(item, RawRecord) else bad).append(item)
        read.articles = len(records) + len(bad)
    with clock.stage("parse", len(records)):
        articles, rejected = parse_articles(records_to_frame(records))
        rejected = pl.concat([quarantine_frame(bad), rejected])
    return articles, rejected, len(records) + len(bad), clock


# Set by the flow for the length of a run when extraction goes to local worker processes;
# None on Dask workers and with in-thread extraction.
_extraction_pool: ExtractionPool | None = None


def use_extraction_pool(pool: ExtractionPool | None) -> None:
    global _extraction_pool
    _extraction_pool = pool


def prepare_extraction() -> None:
    """Start the run's extraction workers, if it has any, so they load their models before the first batch."""
    if _extraction_pool is not None:
        _extraction_pool.start()


@task(name="extract_batch", cache_policy=NO_CACHE)
def extract_batch(articles: pl.DataFrame) -> tuple[dict[str, pl.DataFrame], StageClock]:
    """Entities, places and figures of one batch, with their timings; in a worker process when the run has a pool."""
    if _extraction_pool is not None:
        return _extraction_pool.extract(articles)
    return extract_timed(articles)


@task(name="load_staging", cache_policy=NO_CACHE)
def load_staging(con: duckdb.DuckDBPyConnection, frames: dict[str, pl.DataFrame]) -> None:
    loader.load_batch(con, frames)


@task(name="validate", cache_policy=NO_CACHE)
def validate_staging(con: duckdb.DuckDBPyConnection, report_dir: Path) -> ValidationReport:
    loader.finish_staging(con)
    return validate(con, report_dir / "data_docs")


@task(name="publish", cache_policy=NO_CACHE)
def publish(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    publisher.publish(con, run_id)
