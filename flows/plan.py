"""The plan of a run: read → parse → classify → extract → load staging → validate → publish → report.

``execute`` is the body of the ``newsetl-run`` Prefect flow (``flows.pipeline``) and of a one-shot
run without a Prefect server (``flows.run``): the same plan, its steps (``flows.steps.Steps``) run
as Prefect tasks or as plain calls.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import deque
from pathlib import Path

import duckdb
import polars as pl

from expectations.results import record_validation
from flows import progress
from flows.lock import lock_path
from flows.report import write_report
from flows.stages import Spill, StageClock
from flows.steps import Steps, finish_extraction, prepare_extraction
from flows.summary import COUNTS, RunSummary
from flows import validator as validators
from flows.validator import Validator
from transforms.parse import quarantined
from transforms.places.outlets import with_outlet_priors
from transforms.readers import plan_units
from warehouse import db, loader, outlets, runs
from warehouse.incremental import RunLedger, classify, fresh_batches
from warehouse.publisher import Publication

# Extraction batches allowed in flight at once: one per extraction process and one
# more queued, so workers never wait for the flow to load; few enough that memory
# does not grow with the corpus.
IN_FLIGHT = 3
# The writer's DuckDB buffer: staging spills to disk beyond it instead of growing with the corpus.
# Small while the extraction workers hold their models; larger for validation and publish, which
# run once the workers are gone.
STAGING_MEMORY_LIMIT = "64MB"
PUBLISH_MEMORY_LIMIT = "512MB"
# Staging folders (batches spilled as Parquet) sit beside the warehouse under this prefix; a run
# that died leaves one, and the next run removes it.
STAGING_PREFIX = ".newsetl-staging-"


def run_outputs(db_path: Path | str, report_dir: Path | str) -> tuple[Path, ...]:
    """What a run writes (warehouse, its WAL and lock, the reports): never read as input, even inside an input folder."""
    db_path = Path(db_path)
    return (db_path, db_path.with_name(db_path.name + ".wal"), lock_path(db_path), Path(report_dir))


def execute(steps: Steps, run_id: str, inputs: list[str], db_path: str, report_dir: str, batch_size: int,
            fingerprint: str | None = None, spill_batches: bool = True) -> RunSummary:
    """Run the plan. Each batch is staged as soon as it is extracted, while later batches extract. With
    ``spill_batches`` (extraction on this machine) the worker writes the batch's frames to Parquet beside
    the warehouse and DuckDB reads them from there; without it (remote Dask workers) the frames come back."""
    watcher = progress.current()
    db_file, reports = Path(db_path), Path(report_dir)
    reports.mkdir(parents=True, exist_ok=True)
    con = db.connect(db_file)
    con.execute(f"set memory_limit = '{STAGING_MEMORY_LIMIT}'")
    spilled = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=db_file.parent)) if spill_batches else None
    clock = StageClock()
    counts = dict.fromkeys(COUNTS, 0)
    staging: loader.StagingTransaction | None = None
    validator: Validator | None = None
    try:
        runs.open_run(con, run_id)
        loader.reset_staging(con)
        priors = outlets.read_priors(con)  # outlets' home regions from earlier runs and pins
        units = plan_units([Path(p) for p in inputs], batch_size, run_outputs(db_file, reports))
        watcher.planned(units)
        ledger = RunLedger()
        staging = loader.StagingTransaction(con)
        pending: deque = deque()
        batches = 0

        def drain(keep: int) -> None:
            """Stage extracted batches, oldest first, until at most ``keep`` are in flight."""
            while len(pending) > keep:
                future, spill = pending.popleft()
                frames, timings = future.result()
                clock.merge(timings)
                articles = frames["articles"] if spill is not None else frames["articles"].height
                with clock.stage("load_staging", articles):
                    steps.load_staging(staging.cursor, spill if spill is not None else frames)
                    staging.staged()
                watcher.articles_done(articles)

        for unit in units:
            articles, rejected, read, timings = steps.ingest(unit)
            clock.merge(timings)
            counts["articles_read"] += read
            with clock.stage("classify", articles.height):
                classified = classify(con, articles, ledger)
            duplicates = classified.filter(pl.col("change") == "duplicate")
            rejected = pl.concat([rejected, quarantined(duplicates, pl.col("duplicate_reason"))])
            loader.load_quarantine(con, run_id, rejected)
            refused = rejected["article_id"].null_count()  # notes (article_id set) are about published articles
            counts["quarantined"] += refused
            accepted = classified.filter(pl.col("change") != "duplicate")
            ledger.remember(accepted)
            for change in ("new", "changed", "unchanged"):
                counts[f"articles_{change}"] += int((accepted["change"] == change).sum())
            fresh = list(fresh_batches(accepted, batch_size))
            watcher.unit_read(unit)
            watcher.articles_done(accepted.height - sum(batch.height for batch in fresh) + refused)
            if fresh and validator is None:
                # GX takes seconds to import and configure whatever the data: start it with the first new article
                validator = validators.for_run(reports / "data_docs")
                prepare_extraction()
            for batch in fresh:
                spill = Spill(str(spilled), batches) if spilled is not None else None
                batches += 1
                pending.append((steps.submit_extract(with_outlet_priors(batch, priors), spill), spill))
                drain(IN_FLIGHT)
        drain(0)
        finish_extraction()
        con.execute(f"set memory_limit = '{PUBLISH_MEMORY_LIMIT}'")
        staging.commit()

        staged = con.execute("select count(*) from staging.articles").fetchone()[0]
        if staged == 0 or validator is None:
            summary = RunSummary(run_id, "unchanged", counts, message="0 new or changed articles: nothing new to publish")
        else:
            summary = _validate_and_publish(con, steps, validator, run_id, counts, staged, clock, watcher)
        watcher.stage("reporting")
        return finish(con, summary, db_file, reports, clock, fingerprint)
    except BaseException as error:
        if staging is not None:
            staging.rollback()
        runs.record_stages(con, run_id, clock.rows())
        runs.close_run(con, run_id, "failed", counts, f"{type(error).__name__}: {error}", None)
        raise
    finally:
        if validator is not None:
            validator.close()
        con.close()
        if spilled is not None:
            shutil.rmtree(spilled, ignore_errors=True)


def _validate_and_publish(con: duckdb.DuckDBPyConnection, steps: Steps, validator: Validator, run_id: str,
                          counts: dict[str, int], staged: int, clock: StageClock, watcher) -> RunSummary:
    """Write-audit-publish, overlapped: the publish transaction is written while GX audits the staged
    data, and committed only if every critical expectation holds."""
    watcher.stage("validating")
    with clock.stage("validate", staged):
        loader.finish_staging(con)
        publication = Publication(con, run_id).start()
        try:
            report = steps.validate(con, validator)
            record_validation(con, run_id, report)
        except BaseException:
            publication.rollback()
            raise
        docs = validator.build_docs(report)  # the HTML Data Docs are for people: built while DuckDB commits
    for table in ("mentions", "places", "figures"):
        counts[table] = con.execute(f"select count(*) from staging.{table}").fetchone()[0]
    if report.passed:
        watcher.stage("publishing")
        with clock.stage("publish", staged):
            steps.publish(publication)
        summary = RunSummary(run_id, "published", counts, report.summary())
    else:
        publication.rollback()
        summary = RunSummary(run_id, "blocked", counts, report.summary(),
                             message=f"validation failed, nothing published: {report.summary()}")
    try:
        report.data_docs = docs.result().data_docs
    except Exception:  # noqa: BLE001 - the Data Docs are a view of results already recorded in dq_results
        pass
    return summary


def finish(con: duckdb.DuckDBPyConnection, summary: RunSummary, db_file: Path, reports: Path, clock: StageClock,
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
