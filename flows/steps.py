"""The run's batch steps as plain functions: read a unit, extract a batch, stage it, validate, publish.

Free of Prefect: ``flows.tasks`` wraps each as a Prefect task for orchestrated runs, and a
one-shot run without a Prefect server calls them as they are (``flows.run``). Each takes and
returns whole batches, never single articles.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Protocol

import duckdb
import polars as pl

from expectations.runner import ValidationReport, audits
from flows.stages import Spill, StageClock, extract_timed
from flows.workers import WorkerPool
from transforms.parse import QUARANTINE, parse_articles, records_to_frame
from transforms.readers import QuarantineRecord, RawRecord, ReadUnit, read_unit
from warehouse import loader
from warehouse.publisher import Publication

Ingested = tuple[pl.DataFrame, pl.DataFrame, int, StageClock]
Extracted = tuple[dict[str, pl.DataFrame | int], StageClock]


class Result(Protocol):
    """What a submitted step returns: a ``concurrent.futures.Future`` or a Prefect future."""

    def result(self): ...


@dataclass(frozen=True)
class Steps:
    """How the plan (``flows.plan``) runs its steps: as Prefect tasks or as plain calls."""

    ingest: Callable[[ReadUnit], Ingested]
    submit_extract: Callable[[pl.DataFrame, Spill | None], Result]
    load_staging: Callable[[duckdb.DuckDBPyConnection, dict[str, pl.DataFrame] | Spill], None]
    validate: Callable[[duckdb.DuckDBPyConnection, object], ValidationReport]
    publish: Callable[[Publication], None]


def quarantine_frame(items: list[QuarantineRecord]) -> pl.DataFrame:
    rows = [(q.source, q.locator, q.reason, q.raw, None) for q in items]
    return pl.DataFrame(rows, schema=QUARANTINE, orient="row")


def ingest(unit: ReadUnit) -> Ingested:
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


# Set for the length of a run when extraction goes to local worker processes; None on Dask
# workers and when a run extracts in its own process.
_extraction_pool: WorkerPool | None = None


def use_extraction_pool(pool: WorkerPool | None) -> None:
    global _extraction_pool
    _extraction_pool = pool


def prepare_extraction() -> None:
    """Start the run's extraction workers, if it has any, so they load their models before the first batch."""
    if _extraction_pool is not None:
        _extraction_pool.start()


def finish_extraction() -> None:
    """Stop the run's extraction workers once every batch is in: validation and publish then have their memory."""
    if _extraction_pool is not None:
        _extraction_pool.close()


def extract(articles: pl.DataFrame, spill: Spill | None = None) -> Extracted:
    """Entities, places and figures of one batch with their timings: on a worker when the run has them, else here.

    A module-level function, so that Dask pickles a reference to it, not this process's worker pool.
    """
    if _extraction_pool is not None:
        return _extraction_pool.submit(extract_timed, articles, spill).result()
    return extract_timed(articles, spill)


def submit_extract(articles: pl.DataFrame, spill: Spill | None = None) -> Future:
    """``extract`` started without waiting: on a worker when the run has them, else done here and now."""
    if _extraction_pool is not None:
        return _extraction_pool.submit(extract_timed, articles, spill)
    done: Future = Future()
    done.set_result(extract_timed(articles, spill))
    return done


def load_staging(con: duckdb.DuckDBPyConnection, frames: dict[str, pl.DataFrame] | Spill) -> None:
    """Stage one batch: its frames, or the Parquet files it was spilled to (which are then removed)."""
    if isinstance(frames, Spill):
        loader.load_spilled(con, Path(frames.directory), frames.batch)
        frames.remove()
    else:
        loader.load_batch(con, frames)


def validate(con: duckdb.DuckDBPyConnection, validator) -> ValidationReport:
    """Audit the finished staging here and have the run's validator judge it (Data Docs come after the publish).

    Suite by suite: each audit goes to the validator as soon as DuckDB has it, so GX judges one suite while
    the next is audited; the outcomes are then gathered in suite order, as one judgement would give them.
    """
    judged = [validator.submit_judge([audited]) for audited in audits(con)]
    report = ValidationReport()
    for future in judged:
        report.outcomes.extend(future.result().outcomes)
    return report


def publish(publication: Publication) -> None:
    """Commit the run's publication, written while the staged data was validated."""
    publication.commit()


LOCAL = Steps(ingest=ingest, submit_extract=submit_extract, load_staging=load_staging, validate=validate,
              publish=publish)
