"""Batch-level Prefect tasks. Each takes and returns whole batches, never single articles."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
from prefect import task
from prefect.cache_policies import NO_CACHE

from expectations.runner import ValidationReport, validate
from transforms.extract import extract
from transforms.parse import QUARANTINE, parse_articles, records_to_frame
from transforms.readers import QuarantineRecord, RawRecord, ReadUnit, read_unit
from warehouse import loader, publisher


def quarantine_frame(items: list[QuarantineRecord]) -> pl.DataFrame:
    rows = [(q.source, q.locator, q.reason, q.raw) for q in items]
    return pl.DataFrame(rows, schema=QUARANTINE, orient="row")


@task(name="ingest_batch", cache_policy=NO_CACHE, retries=0)
def ingest_batch(unit: ReadUnit) -> tuple[pl.DataFrame, pl.DataFrame, int]:
    """Read and parse one unit: (articles, quarantined rows, records read)."""
    records: list[RawRecord] = []
    bad: list[QuarantineRecord] = []
    for item in read_unit(unit):
        (records if isinstance(item, RawRecord) else bad).append(item)
    articles, rejected = parse_articles(records_to_frame(records))
    return articles, pl.concat([quarantine_frame(bad), rejected]), len(records) + len(bad)


@task(name="extract_batch", cache_policy=NO_CACHE)
def extract_batch(articles: pl.DataFrame) -> dict[str, pl.DataFrame]:
    return extract(articles)


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
