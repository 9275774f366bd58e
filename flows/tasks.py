"""Batch-level Prefect tasks. Each takes and returns whole batches, never single articles."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import duckdb
import polars as pl
from prefect import task
from prefect.cache_policies import NO_CACHE

from expectations.runner import ValidationReport, validate
from flows.stages import ExtractionPool, Spill, StageClock, extract_timed
from transforms.parse import QUARANTINE, parse_articles, records_to_frame
from transforms.readers import QuarantineRecord, RawRecord, ReadUnit, plan_units, read_unit
from warehouse import loader, publisher


def quarantine_frame(items: list[QuarantineRecord]) -> pl.DataFrame:
    rows = [(q.source, q.locator, q.reason, q.raw) for q in items]
    return pl.DataFrame(rows, schema=QUARANTINE, orient="row")


Ingested = tuple[pl.DataFrame, pl.DataFrame, int, StageClock]


@task(name="ingest_batch", cache_policy=NO_CACHE, retries=0)
def ingest_batch(unit: ReadUnit) -> Ingested:
    """Read and parse one unit: (articles, quarantined rows, records read, read and parse timings)."""
    if _read_ahead is not None:
        ready = _read_ahead.take(unit)
        if ready is not None:
            return ready
    return ingest(unit)


def ingest(unit: ReadUnit) -> Ingested:
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


class ReadAhead:
    """Ingests a run's first units on a thread while the Prefect API starts, for ``ingest_batch`` to take.

    The API's start-up leaves the flow's core idle for seconds; reading and parsing need
    no API. At most ``limit`` units are read ahead, so memory does not grow with the corpus.
    """

    def __init__(self, inputs: list[Path], batch_size: int, limit: int) -> None:
        self.key = ([str(p) for p in inputs], batch_size)
        self.units = plan_units(inputs, batch_size)
        self.executor = ThreadPoolExecutor(1, thread_name_prefix="newsetl-read-ahead")
        self.ready: dict[ReadUnit, Future[Ingested]] = {unit: self.executor.submit(ingest, unit) for unit in self.units[:limit]}

    def planned(self, inputs: list[str], batch_size: int) -> list[ReadUnit] | None:
        """The units planned for these inputs and batch size (None for others)."""
        return self.units if ([str(p) for p in inputs], batch_size) == self.key else None

    def take(self, unit: ReadUnit) -> Ingested | None:
        ready = self.ready.pop(unit, None)
        return ready.result() if ready is not None else None

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
        self.ready.clear()


_read_ahead: ReadAhead | None = None


def use_read_ahead(read_ahead: ReadAhead | None) -> None:
    global _read_ahead
    _read_ahead = read_ahead


def plan(inputs: list[str], batch_size: int) -> list[ReadUnit]:
    """The run's read units: those the read-ahead planned when it is reading these inputs."""
    planned = _read_ahead.planned(inputs, batch_size) if _read_ahead is not None else None
    return planned if planned is not None else plan_units([Path(p) for p in inputs], batch_size)


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
def extract_batch(articles: pl.DataFrame, spill: Spill | None = None) -> tuple[dict[str, pl.DataFrame | int], StageClock]:
    """Entities, places and figures of one batch, with their timings; in a worker process when the run has a pool.

    With ``spill`` the frames are written to Parquet where they were extracted and only their row counts come back.
    """
    if _extraction_pool is not None:
        return _extraction_pool.extract(articles, spill)
    return extract_timed(articles, spill)


@task(name="load_staging", cache_policy=NO_CACHE)
def load_staging(con: duckdb.DuckDBPyConnection, frames: dict[str, pl.DataFrame] | Path) -> None:
    """Stage one batch's frames, or every batch spilled to a directory of Parquet files at once."""
    if isinstance(frames, Path):
        loader.load_spilled(con, frames)
    else:
        loader.load_batch(con, frames)


@task(name="validate", cache_policy=NO_CACHE)
def validate_staging(con: duckdb.DuckDBPyConnection, report_dir: Path) -> ValidationReport:
    loader.finish_staging(con)
    return validate(con, report_dir / "data_docs")


@task(name="publish", cache_policy=NO_CACHE)
def publish(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    publisher.publish(con, run_id)
