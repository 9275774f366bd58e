"""Start a run: a repeat of the last inputs is answered at once; otherwise the plan runs with or without Prefect.

Orchestrated (``prefect=True``, the default when PREFECT_API_URL is set): the plan runs as the
``newsetl-run`` Prefect flow, its batches as tasks, recorded on the Prefect server. Without a
server, a one-shot run has nobody to report to: starting Prefect's temporary server costs
seconds on every run (measured in docs/operations.md), so the same plan runs as plain calls and
the warehouse's ``runs`` and ``run_stages`` tables are its record. ``prefect=True`` without a
server makes Prefect start its temporary one, as Prefect does for any flow.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flows import DEFAULT_BATCH_SIZE, steps
from flows import validator as validators
from flows.plan import STAGING_PREFIX, execute, finish, run_outputs
from flows.stages import StageClock, configured_processes
from flows.summary import RunSummary
from flows.workers import WorkerPool
from transforms.readers import input_fingerprint
from warehouse import db, runs

# Below this much input, spawning extraction workers (seconds of imports and model
# loading) costs more than it saves: such runs extract in their own process.
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


def orchestrated_by_default() -> bool:
    """Runs go through Prefect when a Prefect server is configured in the environment (PREFECT_API_URL)."""
    return bool(os.environ.get("PREFECT_API_URL"))


def run_pipeline(inputs: list[Path], db_path: Path, report_dir: Path, batch_size: int = DEFAULT_BATCH_SIZE,
                 runner: str = "threads", dask_address: str | None = None,
                 extract_processes: int | None = None, prefect: bool | None = None) -> RunSummary:
    """Run newsetl once on ``inputs``; see the module's doc for ``prefect``.

    Extraction batches go to ``extract_processes`` local worker processes (default:
    NEWSETL_EXTRACT_PROCESSES, else one per core, and none for inputs under 2 MiB; 0 keeps them
    in this process); with Dask (which needs Prefect) they run on the cluster's workers. Workers
    start with the first new article, so a run with nothing new spawns none. Inputs byte-identical
    to the last finished run's are answered without reading an article (``repeat_run``).
    """
    if prefect is None:
        prefect = orchestrated_by_default() or runner == "dask"
    if extract_processes is None:
        extract_processes = configured_processes()
    if extract_processes is None:
        extract_processes = (os.cpu_count() or 1) if _input_bytes(inputs) >= POOL_MIN_INPUT_BYTES else 0
    processes = 0 if runner == "dask" else extract_processes
    clock = StageClock()
    with clock.stage("fingerprint"):
        fingerprint = input_fingerprint(inputs, run_outputs(db_path, report_dir))
    con = db.connect(db_path)
    try:
        runs.abandon_unfinished(con, "the process running it ended before it finished (killed or crashed)")
        remove_stale_staging(db_path)
        repeated = repeat_run(con, db_path, report_dir, fingerprint, clock)
    finally:
        con.close()
    if repeated is not None:
        return repeated
    arguments = ([str(p) for p in inputs], str(db_path), str(report_dir), batch_size, fingerprint)
    with extraction_processes(processes), validation_started(Path(report_dir) / "data_docs"):
        if not prefect:
            return execute(steps.LOCAL, str(uuid.uuid4()), *arguments, spill_batches=True)
        from flows.pipeline import newsetl_run, task_runner

        local = runner == "threads" and not dask_address
        flow = newsetl_run if local else newsetl_run.with_options(task_runner=task_runner(runner, dask_address))
        return flow(*arguments, spill_batches=local)


def remove_stale_staging(db_path: Path) -> None:
    """Remove staging folders that runs which died left beside the warehouse (the caller holds the warehouse lock)."""
    for stale in db_path.parent.glob(f"{STAGING_PREFIX}*"):
        shutil.rmtree(stale, ignore_errors=True)


def repeat_run(con, db_path: Path, report_dir: Path, fingerprint: str, clock: StageClock) -> RunSummary | None:
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
        f"0 new or changed articles: nothing new to publish (inputs identical to run {previous['run_id'][:8]})"))
    report_dir.mkdir(parents=True, exist_ok=True)
    return finish(con, summary, db_path, report_dir, clock, fingerprint)


@contextmanager
def validation_started(docs_dir: Path) -> Iterator[None]:
    """Start the run's validator now, for the block: the inputs changed since the last run, so there is almost
    surely something to validate, and GX's seconds of start-up then overlap the whole of reading and extraction.
    A validator the caller started even earlier (the CLI does, before its own imports) is used as it is."""
    if validators.started_for(docs_dir) is not None:
        yield
        return
    started = validators.Validator(docs_dir).start()
    validators.use_started(started)
    try:
        yield
    finally:
        validators.use_started(None)
        started.close()


@contextmanager
def extraction_processes(processes: int) -> Iterator[WorkerPool | None]:
    """Extract in ``processes`` local worker processes for the block (in this process when 0).

    The pool is made here, on the calling thread, and spawns its workers with the first new article.
    """
    pool = WorkerPool(processes, setup="flows.stages:warm_up", environment={"POLARS_MAX_THREADS": "1"}) \
        if processes > 0 else None
    steps.use_extraction_pool(pool)
    try:
        yield pool
    finally:
        steps.use_extraction_pool(None)
        if pool is not None:
            pool.close()
