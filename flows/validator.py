"""Great Expectations validation for a run, in a process of its own started with the run's first new article.

Importing GX and configuring its suites costs seconds of CPU whatever the data (the fixed part of
validation). In a spawned process it uses the second core while this process reads and extracts,
instead of taking turns with them for the GIL; the run then only audits the staged rows here
(DuckDB, ``expectations.runner.audit``) and sends the suspects over. The process also builds the
Data Docs while the publish commits, and dies with the run (``flows.lifeline``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from flows.workers import WorkerPool

if TYPE_CHECKING:  # imported when used: the CLI starts the validator process before it imports DuckDB
    from expectations.runner import Audit, Validation, ValidationReport

_validation: Validation | None = None
_setup_error: BaseException | None = None

# Whether a run validates in a process of its own; None: when the machine has more than one core. A process
# that runs many pipelines in a row (the test suite) sets False: GX is then imported once, not once per run.
SEPARATE_PROCESS: bool | None = None


def prepare(report_dir: str) -> None:
    """The validator process's start: import GX and set up the suites (an error is raised at the first use)."""
    global _validation, _setup_error
    try:
        import threading

        from tqdm import tqdm

        # GX builds tqdm bars (disabled) while it validates; tqdm's default lock is a multiprocessing semaphore,
        # which this worker, stopped with the run, would leave registered ("leaked semaphore" at exit).
        tqdm.set_lock(threading.RLock())
        from expectations.runner import Validation

        _validation = Validation(Path(report_dir))
    except BaseException as error:  # noqa: BLE001 - raised again where it is used, with its traceback
        _setup_error = error


def _ready() -> Validation:
    if _setup_error is not None:
        raise _setup_error
    return _validation


def judge(audits: list[Audit]) -> ValidationReport:
    return _ready().judge(audits)


def build_docs(report: ValidationReport) -> ValidationReport:
    _ready().build_docs(report)
    return report


class Validator:
    """The run's validation: in its own process on a machine with more than one core, else in this one."""

    def __init__(self, report_dir: Path, separate_process: bool | None = None) -> None:
        self.report_dir = report_dir
        if separate_process is None:
            separate_process = SEPARATE_PROCESS if SEPARATE_PROCESS is not None else (os.cpu_count() or 1) > 1
        # GX's import is the longest path of a small run: the process imports it first thing, and never polars
        self.pool = WorkerPool(1, setup="flows.validator:prepare", setup_args=(str(report_dir),),
                               environment={"GX_ANALYTICS_ENABLED": "false"}, polars_first=False) \
            if separate_process else None
        self.local: Validation | None = None

    def start(self) -> "Validator":
        """Start setting up (import GX, configure the suites) in the background."""
        if self.pool is not None:
            self.pool.start()
        return self

    def judge(self, audits: list[Audit]) -> ValidationReport:
        return self.submit_judge(audits).result()

    def submit_judge(self, audits: list[Audit]):
        """A future of the report on ``audits``: judged in the validator process, in the order submitted (it has
        one worker), or here and now without one."""
        if self.pool is not None:
            return self.pool.submit(judge, audits)
        from concurrent.futures import Future

        done: Future = Future()
        done.set_result(self._local().judge(audits))
        return done

    def build_docs(self, report: ValidationReport):
        """A future of ``report`` with its Data Docs built (``report.data_docs`` set)."""
        if self.pool is not None:
            return self.pool.submit(build_docs, report)
        from concurrent.futures import Future

        done: Future = Future()
        self._local().build_docs(report)
        done.set_result(report)
        return done

    def _local(self) -> Validation:
        if self.local is None:
            from expectations.runner import Validation

            self.local = Validation(self.report_dir)
        return self.local

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()


# A validator started by whoever starts the run (``flows.run``), as soon as it knows the inputs changed;
# the plan starts its own with the first new article when there is none.
_started: Validator | None = None


def use_started(validator: Validator | None) -> None:
    global _started
    _started = validator


def started_for(report_dir: Path) -> Validator | None:
    """The validator started ahead for this Data Docs folder, if any."""
    return _started if _started is not None and _started.report_dir == report_dir else None


def for_run(report_dir: Path) -> Validator:
    """The run's validator: the one started ahead for this report folder, else a new one, started."""
    if _started is not None and _started.report_dir == report_dir:
        return _started
    return Validator(report_dir).start()
