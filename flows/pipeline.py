"""The newsetl run: read → parse → extract → load staging → validate → publish → report."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import uuid
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl
from prefect import flow
from prefect.runtime import flow_run
from prefect.task_runners import ThreadPoolTaskRunner

from expectations import runner as gx_runner
from expectations.runner import ValidationReport
from flows import DEFAULT_BATCH_SIZE, progress, tasks
from flows.api_process import ApiProcess, ApiReady, launch_temporary_api, serving
from flows.read_ahead import SpeculativeExtraction
from flows.report import write_report
from flows.stages import ExtractionPool, Spill, StageClock, configured_processes
from flows.tasks import extract_batch, ingest_batch, load_staging, publish, validate_staging
from transforms.parse import quarantined
from transforms.readers import input_fingerprint
from transforms.places.outlets import with_outlet_priors
from warehouse import db, loader, outlets, runs
from warehouse.incremental import RunLedger, classify, fresh_batches, has_published_articles
from warehouse.publisher import Publication
from warehouse.results import record_validation

# Extraction batches allowed in flight at once: one per extraction process and one
# more queued, so workers never wait for the flow to load; few enough that memory
# does not grow with the corpus.
IN_FLIGHT = 3
# The writer's DuckDB buffer: staging spills to disk beyond it instead of growing with the corpus.
# Small while the extraction workers hold their models; larger for validation and publish, which
# run once the workers are gone.
STAGING_MEMORY_LIMIT = "64MB"
PUBLISH_MEMORY_LIMIT = "512MB"


@dataclass
class RunSummary:
    run_id: str
    status: str  # published | blocked | unchanged
    counts: dict[str, int] = field(default_factory=dict)
    validation: str = "not run (nothing new)"
    message: str | None = None
    report_path: Path | None = None
    db_path: Path | None = None
    stages: StageClock = field(default_factory=StageClock)

    @property
    def ok(self) -> bool:
        return self.status in ("published", "unchanged")


@flow(name="newsetl-run", task_runner=ThreadPoolTaskRunner(max_workers=IN_FLIGHT), log_prints=False)
def newsetl_run(inputs: list[str], db_path: str, report_dir: str, batch_size: int = DEFAULT_BATCH_SIZE,
                fingerprint: str | None = None, spill_batches: bool = True) -> RunSummary:
    """The run's plan. Each batch is staged (``load_staging``) as soon as it is extracted, while later
    batches extract. With ``spill_batches`` (extraction on this machine) the worker writes the batch's
    frames to Parquet beside the warehouse and DuckDB reads them from there; without it (remote Dask
    workers) the frames come back to the flow."""
    run_id = str(flow_run.id or uuid.uuid4())
    watcher = progress.current()
    db_file, reports = Path(db_path), Path(report_dir)
    reports.mkdir(parents=True, exist_ok=True)
    con = db.connect(db_file)
    con.execute(f"set memory_limit = '{STAGING_MEMORY_LIMIT}'")
    spilled = Path(tempfile.mkdtemp(prefix=".newsetl-staging-", dir=db_file.parent)) if spill_batches else None
    clock = StageClock()
    counts = dict.fromkeys(
        ["articles_read", "articles_new", "articles_changed", "articles_unchanged", "quarantined",
         "mentions", "places", "figures"], 0)
    staging: loader.StagingTransaction | None = None
    try:
        runs.open_run(con, run_id)
        loader.reset_staging(con)
        priors = outlets.read_priors(con)  # outlets' home regions from earlier runs and pins
        units = tasks.plan(inputs, batch_size, tasks.run_outputs(db_file, reports))
        watcher.planned(len(units))
        ledger = RunLedger()
        staging = loader.StagingTransaction(con)
        pending: deque = deque()
        batches = 0
        prepared: gx_runner.PreparedValidation | None = None

        def drain(keep: int) -> None:
            """Stage extracted batches, oldest first, until at most ``keep`` are in flight."""
            while len(pending) > keep:
                future, spill = pending.popleft()
                frames, timings = future.result()
                clock.merge(timings)
                articles = frames["articles"] if spill is not None else frames["articles"].height
                with clock.stage("load_staging", articles):
                    load_staging(staging.cursor, spill if spill is not None else frames)
                    staging.staged()
                watcher.articles_done(articles)

        for unit in units:
            articles, rejected, read, timings = ingest_batch(unit)
            clock.merge(timings)
            counts["articles_read"] += read
            with clock.stage("classify", articles.height):
                classified = classify(con, articles, ledger)
            duplicates = classified.filter(pl.col("change") == "duplicate")
            rejected = pl.concat([rejected, quarantined(duplicates, pl.col("duplicate_reason"))])
            loader.load_quarantine(con, run_id, rejected)
            counts["quarantined"] += rejected["article_id"].null_count()  # notes (article_id set) were published
            accepted = classified.filter(pl.col("change") != "duplicate")
            ledger.remember(accepted)
            for change in ("new", "changed", "unchanged"):
                counts[f"articles_{change}"] += int((accepted["change"] == change).sum())
            fresh = list(fresh_batches(accepted, batch_size))
            watcher.unit_read()
            watcher.articles_done(accepted.height - sum(batch.height for batch in fresh))
            if fresh:
                tasks.prepare_extraction()
                if prepared is None:  # GX takes seconds to import and configure: do it while batches extract
                    prepared = gx_runner.PreparedValidation(reports / "data_docs")
            for batch in fresh:
                spill = Spill(str(spilled), batches) if spilled is not None else None
                batches += 1
                pending.append((extract_batch.submit(with_outlet_priors(batch, priors), spill), spill))
                drain(IN_FLIGHT)
        drain(0)
        tasks.finish_extraction()
        con.execute(f"set memory_limit = '{PUBLISH_MEMORY_LIMIT}'")
        staging.commit()

        staged = con.execute("select count(*) from staging.articles").fetchone()[0]
        if staged == 0:
            summary = RunSummary(run_id, "unchanged", counts, message="0 new or changed articles: nothing to publish")
        else:
            watcher.stage("validating")
            with clock.stage("validate", staged):
                loader.finish_staging(con)
                # Write-audit-publish, overlapped: the publish transaction is written while GX audits
                # the staged data, and committed only if every critical expectation holds.
                publication = Publication(con, run_id).start()
                try:
                    validation = (prepared or gx_runner.PreparedValidation(reports / "data_docs")).get()
                    report: ValidationReport = validate_staging(con, validation)
                    record_validation(con, run_id, report)
                except BaseException:
                    publication.rollback()
                    raise
                # the HTML Data Docs are for people: build them while DuckDB commits
                docs = threading.Thread(target=validation.build_docs, args=(report,), name="gx-data-docs")
                docs.start()
            try:
                for table in ("mentions", "places", "figures"):
                    counts[table] = con.execute(f"select count(*) from staging.{table}").fetchone()[0]
                if report.passed:
                    watcher.stage("publishing")
                    with clock.stage("publish", staged):
                        publish(publication)
                    summary = RunSummary(run_id, "published", counts, report.summary())
                else:
                    publication.rollback()
                    summary = RunSummary(run_id, "blocked", counts, report.summary(),
                                         message=f"validation failed, nothing published: {report.summary()}")
            finally:
                docs.join()
        watcher.stage("reporting")
        return _finish(con, summary, db_file, reports, clock, fingerprint)
    except BaseException as error:
        if staging is not None:
            staging.rollback()
        runs.record_stages(con, run_id, clock.rows())
        runs.close_run(con, run_id, "failed", counts, f"{type(error).__name__}: {error}", None)
        raise
    finally:
        con.close()
        if spilled is not None:
            shutil.rmtree(spilled, ignore_errors=True)


def _finish(con, summary: RunSummary, db_file: Path, reports: Path, clock: StageClock,
            fingerprint: str | None) -> RunSummary:
    """Write the report and close the run's row (with its stages and, when it finished, its input fingerprint)."""
    summary.db_path, summary.stages = db_file, clock
    with clock.stage("report"):
        summary.report_path = write_report(con, summary.run_id, reports, summary)
    runs.record_stages(con, summary.run_id, clock.rows())
    runs.close_run(con, summary.run_id, summary.status, {**summary.counts, "published": summary.status == "published"},
                   summary.message, str(summary.report_path))
    if fingerprint and summary.ok:
        runs.record_fingerprint(con, summary.run_id, fingerprint)
    return summary


def repeat_run(con: duckdb.DuckDBPyConnection, db_path: Path, report_dir: Path, fingerprint: str, clock: StageClock) -> RunSummary | None:
    """Answer a run whose inputs are byte-identical to the last finished run's without a flow: every article is unchanged.

    The full run would read, parse and classify every article only to find nothing new; this
    records the same outcome (an ``unchanged`` run, the same quarantined records, a report)
    in a fraction of the time. None when the inputs differ or the last run did not finish.
    """
    previous = runs.repeat_of(con, fingerprint)
    if previous is None:
        return None
    run_id = str(uuid.uuid4())
    counts = runs.repeat_run(con, run_id, previous)
    summary = RunSummary(run_id, "unchanged", counts, message=(
        f"0 new or changed articles: nothing to publish (inputs identical to run {previous['run_id'][:8]})"))
    report_dir.mkdir(parents=True, exist_ok=True)
    return _finish(con, summary, db_path, report_dir, clock, fingerprint)


def task_runner(kind: str = "threads", dask_address: str | None = None):
    """The Prefect task runner for extraction batches: local threads, or Dask (a local cluster without an address)."""
    if kind == "threads":
        return ThreadPoolTaskRunner(max_workers=IN_FLIGHT)
    if kind == "dask":
        from prefect_dask import DaskTaskRunner

        if dask_address:
            return DaskTaskRunner(address=dask_address)
        return DaskTaskRunner(cluster_kwargs={"n_workers": os.cpu_count() or 1, "threads_per_worker": 1,
                                              "processes": True, "dashboard_address": None})
    raise ValueError(f"unknown task runner {kind!r}: use threads or dask")


@contextmanager
def extraction_processes(processes: int) -> Iterator[ExtractionPool | None]:
    """Extract in ``processes`` local worker processes for the block (in the task runner's threads when 0)."""
    pool = ExtractionPool(processes) if processes > 0 else None
    tasks.use_extraction_pool(pool)
    try:
        yield pool
    finally:
        tasks.use_extraction_pool(None)
        if pool is not None:
            pool.close()


# Units read and parsed ahead while the Prefect API starts: about the seconds it takes, in units
# of ~1,000 articles, and a bound on the memory they hold until the flow takes them.
READ_AHEAD_UNITS = 8


@contextmanager
def read_ahead(inputs: list[Path], batch_size: int, api_ready: ApiReady | None,
               pool: ExtractionPool | None = None, scratch: Path | None = None,
               exclude: tuple[Path, ...] = ()) -> Iterator[None]:
    """Read the first units ahead for the block while a temporary API starts (nothing when one is running).

    With a ``pool`` their new articles are extracted ahead too, into a folder under ``scratch``.
    """
    if api_ready is None:
        yield
        return
    speculation = SpeculativeExtraction(pool, scratch, batch_size) if pool is not None and scratch is not None else None
    reader = tasks.ReadAhead(inputs, batch_size, READ_AHEAD_UNITS, speculation, exclude)
    tasks.use_read_ahead(reader)
    try:
        yield
    finally:
        tasks.use_read_ahead(None)
        reader.close()


# Below this much input, spawning extraction workers (seconds of imports and model
# loading) costs more than it saves: such runs extract in the flow's threads.
POOL_MIN_INPUT_BYTES = 2 * 1024 * 1024


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:  # a dangling link, a file gone since it was listed: the readers quarantine it
        return 0


def _input_bytes(inputs: list[Path]) -> int:
    total = 0
    for given in inputs:
        for directory, _, files in os.walk(given) if Path(given).is_dir() else [("", [], [str(given)])]:
            total += sum(_size(os.path.join(directory, name)) for name in files)
            if total >= POOL_MIN_INPUT_BYTES:
                return total
    return total


def run_pipeline(inputs: list[Path], db_path: Path, report_dir: Path, batch_size: int = DEFAULT_BATCH_SIZE,
                 runner: str = "threads", dask_address: str | None = None,
                 extract_processes: int | None = None, api: ApiProcess | None = None) -> RunSummary:
    """Run the flow, with a temporary local API when no server is configured (``api`` when the caller started one).

    With the threads runner, extraction batches go to ``extract_processes`` local worker
    processes (default: NEWSETL_EXTRACT_PROCESSES, else one per core, and none for inputs
    under 2 MiB; 0 keeps them in the threads); with Dask they run on the cluster's workers.
    The workers start with the first new article, so a re-run with nothing new spawns none.
    Inputs byte-identical to the last finished run's (same input fingerprint) are answered
    by ``repeat_run`` without a flow: no Prefect API, no workers, no reading of articles.
    While a temporary API starts, the first units are read ahead and, on a first run with
    local workers, extracted ahead (see ``flows.read_ahead``).
    """
    flow_fn = newsetl_run if runner == "threads" and not dask_address else newsetl_run.with_options(
        task_runner=task_runner(runner, dask_address))
    if extract_processes is None:
        extract_processes = configured_processes()
    if extract_processes is None:
        extract_processes = (os.cpu_count() or 1) if _input_bytes(inputs) >= POOL_MIN_INPUT_BYTES else 0
    processes = 0 if runner == "dask" else extract_processes
    clock = StageClock()
    with clock.stage("fingerprint"):
        fingerprint = input_fingerprint(inputs, tasks.run_outputs(db_path, report_dir))
    con = db.connect(db_path)
    try:
        repeated = repeat_run(con, db_path, report_dir, fingerprint, clock)
        # on a warehouse with no published article every article read is new (or a duplicate)
        first_run = repeated is None and not has_published_articles(con)
    finally:
        con.close()
    if repeated is not None:
        if api is not None:
            api.stop(timeout=None)
        return repeated
    spill = flow_fn is newsetl_run
    with temporary_api(api) as api_ready, extraction_processes(processes) as pool:
        if pool is not None and api_ready is not None:
            pool.start()  # spawn and warm the workers on the other core while the API boots
        ahead = pool if spill and pool is not None and first_run else None
        with read_ahead(inputs, batch_size, api_ready, ahead, db_path.parent, tasks.run_outputs(db_path, report_dir)):
            if api_ready is not None:
                api_ready.join()
                if api_ready.error:
                    raise api_ready.error
            return flow_fn([str(p) for p in inputs], str(db_path), str(report_dir), batch_size, fingerprint,
                           spill_batches=spill)


@contextmanager
def temporary_api(launched: ApiProcess | None = None) -> Iterator[ApiReady | None]:
    """Prefect's temporary local API for the block when no server is configured (None when one is).

    ``launched`` is one the CLI started before importing Prefect; it is used when a temporary
    API is needed and stopped otherwise. Its start-up overlaps spawning the extraction workers;
    it is stopped at the end of the block.
    """
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_ENABLED, get_current_settings

    if PREFECT_API_URL.value() or not PREFECT_SERVER_EPHEMERAL_ENABLED.value():
        if launched is not None:
            launched.stop(timeout=None)
        yield None
        return
    api = launched or launch_temporary_api(get_current_settings().to_environment_variables(exclude_unset=True))
    # the run is over when the block ends: the API's shutdown need not hold up the command's exit
    with serving(api, stop_timeout=None) as ready:
        yield ready
