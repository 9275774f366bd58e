"""Batch-level Prefect tasks. Each takes and returns whole batches, never single articles."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
from prefect import task
from prefect.cache_policies import NO_CACHE

from expectations.runner import Validation, ValidationReport
from flows.read_ahead import Ingested, ReadAhead, ingest
from flows.lock import lock_path
from flows.stages import ExtractionPool, Spill, StageClock, extract_timed
from transforms.readers import ReadUnit, plan_units
from warehouse import loader, publisher


@task(name="ingest_batch", cache_policy=NO_CACHE, retries=0)
def ingest_batch(unit: ReadUnit) -> Ingested:
    """Read and parse one unit: (articles, quarantined rows, records read, read and parse timings)."""
    return ingest_here(unit)


def ingest_here(unit: ReadUnit) -> Ingested:
    """``ingest_batch``'s body: the read-ahead's result when it read the unit. A module-level function, so
    that Dask, pickling the flow with its tasks, pickles a reference to it and not this process's read-ahead."""
    if _read_ahead is not None:
        ready = _read_ahead.take(unit)
        if ready is not None:
            return ready
    return ingest(unit)


_read_ahead: ReadAhead | None = None


def use_read_ahead(read_ahead: ReadAhead | None) -> None:
    global _read_ahead
    _read_ahead = read_ahead


def plan(inputs: list[str], batch_size: int, exclude: tuple[Path, ...] = ()) -> list[ReadUnit]:
    """The run's read units (never ``exclude``): those the read-ahead planned when it is reading these inputs."""
    planned = _read_ahead.planned(inputs, batch_size, exclude) if _read_ahead is not None else None
    return planned if planned is not None else plan_units([Path(p) for p in inputs], batch_size, exclude)


def run_outputs(db_path: Path | str, report_dir: Path | str) -> tuple[Path, ...]:
    """What a run writes (warehouse, its WAL and lock, the reports): never read as input, even inside an input folder."""
    db_path = Path(db_path)
    return (db_path, db_path.with_name(db_path.name + ".wal"), lock_path(db_path), Path(report_dir))


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


def finish_extraction() -> None:
    """Stop the run's extraction workers once every batch is in: validation and publish then have their memory."""
    if _extraction_pool is not None:
        _extraction_pool.close()


@task(name="extract_batch", cache_policy=NO_CACHE)
def extract_batch(articles: pl.DataFrame, spill: Spill | None = None) -> tuple[dict[str, pl.DataFrame | int], StageClock]:
    """Entities, places and figures of one batch, with their timings; in a worker process when the run has a pool.

    With ``spill`` the frames are written to Parquet where they were extracted and only their row counts come back.
    A batch the read-ahead already extracted (a first run's first batches) is taken from it.
    """
    return extract_here(articles, spill)


def extract_here(articles: pl.DataFrame, spill: Spill | None = None) -> tuple[dict[str, pl.DataFrame | int], StageClock]:
    """``extract_batch``'s body, in the process running the task. A module-level function, so that Dask
    pickles a reference to it, not this process's read-ahead and worker pool."""
    if _read_ahead is not None:
        ahead = _read_ahead.extracted(articles, spill)
        if ahead is not None:
            return ahead
    if _extraction_pool is not None:
        return _extraction_pool.extract(articles, spill)
    return extract_timed(articles, spill)


@task(name="load_staging", cache_policy=NO_CACHE)
def load_staging(con: duckdb.DuckDBPyConnection, frames: dict[str, pl.DataFrame] | Spill) -> None:
    """Stage one batch: its frames, or the Parquet files it was spilled to (which are then removed)."""
    if isinstance(frames, Spill):
        loader.load_spilled(con, Path(frames.directory), frames.batch)
        frames.remove()
    else:
        loader.load_batch(con, frames)


@task(name="validate", cache_policy=NO_CACHE)
def validate_staging(con: duckdb.DuckDBPyConnection, validation: Validation) -> ValidationReport:
    """Validate the finished staging with the run's prepared GX suites (Data Docs are built after the publish)."""
    return validation.run(con)


@task(name="publish", cache_policy=NO_CACHE)
def publish(publication: publisher.Publication) -> None:
    """Commit the run's publication, written while the staged data was validated."""
    publication.commit()
