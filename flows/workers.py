"""Worker processes for a run: spawned, tied to the run's life (``flows.lifeline``), stopped with public calls.

``WorkerPool`` wraps ``multiprocessing.Pool`` (whose ``terminate`` stops the workers at once, where a
finished spawned worker would otherwise take about a second to tear its interpreter down) and hands out
``concurrent.futures.Future`` objects, so callers wait and chain as with any executor.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from flows.lifeline import die_with_parent


def _start_worker(parent_pid: int, kernel_signal: bool, environment: dict[str, str],
                  setup: str | None, setup_args: tuple, polars_first: bool) -> None:
    die_with_parent(parent_pid, kernel_signal)
    # Ctrl-C in a terminal interrupts the whole foreground process group, workers included. The run decides
    # what to do about it and stops its workers (``WorkerPool.close``); a worker ignores it and never prints
    # a KeyboardInterrupt traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # This worker's own environment, set before it imports polars (whose thread pool reads it once):
    # hence ``setup`` is a name, imported only now.
    os.environ.update(environment)
    # Importing polars installs its own SIGINT handler (it turns Ctrl-C into KeyboardInterrupt inside a query,
    # whatever Python's handler says); ignoring SIGINT again after the import replaces it.
    if polars_first:
        import polars  # noqa: F401

        signal.signal(signal.SIGINT, signal.SIG_IGN)
    if setup is not None:
        module, _, name = setup.partition(":")
        getattr(importlib.import_module(module), name)(*setup_args)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # in case the setup imported polars


class WorkerPool:
    """``processes`` spawned workers, each running ``setup(*setup_args)`` once when it starts (e.g. loading models);
    ``setup`` is named as ``"package.module:function"``.

    Workers are never forked from a process running other threads (Prefect's, DuckDB's). ``environment``
    is set in each worker before ``setup``; this process's environment is left alone. A worker imports
    polars before ``setup`` (so that a Ctrl-C during a long setup is ignored, not raised by polars' own
    handler), unless ``polars_first`` is False: a setup that must start at once and needs no polars
    (the validator's) then does not wait a quarter of a second for it.
    """

    def __init__(self, processes: int, setup: str | None = None, setup_args: tuple = (),
                 environment: dict[str, str] | None = None, polars_first: bool = True) -> None:
        self.processes = processes
        self.setup, self.setup_args, self.environment = setup, setup_args, dict(environment or {})
        self.polars_first = polars_first
        self.pool = None
        self.pending: set[Future] = set()
        self.lock = threading.Lock()

    @property
    def started(self) -> bool:
        return self.pool is not None

    def start(self) -> None:
        """Spawn the workers (once); they run their setup at once, so it overlaps whatever comes next."""
        if self.pool is not None:
            return
        kernel_signal = threading.current_thread() is threading.main_thread()
        self.pool = multiprocessing.get_context("spawn").Pool(
            self.processes, initializer=_start_worker,
            initargs=(os.getpid(), kernel_signal, self.environment, self.setup, self.setup_args, self.polars_first))

    def submit(self, fn: Callable, *args) -> Future:
        """Run ``fn(*args)`` on a worker: a future of its result."""
        self.start()
        future: Future = Future()
        future.set_running_or_notify_cancel()
        with self.lock:
            self.pending.add(future)

        def done(result: Any) -> None:
            self._settle(future, result, None)

        def failed(error: BaseException) -> None:
            self._settle(future, None, error)

        self.pool.apply_async(fn, args, callback=done, error_callback=failed)
        return future

    def _settle(self, future: Future, result: Any, error: BaseException | None) -> None:
        with self.lock:
            if future not in self.pending:
                return
            self.pending.discard(future)
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)

    def close(self) -> None:
        """Stop the workers now; work still pending fails with ``WorkersStopped``."""
        if self.pool is None:
            return
        self.pool.terminate()
        self.pool.join()
        self.pool = None
        with self.lock:
            abandoned, self.pending = self.pending, set()
        for future in abandoned:
            future.set_exception(WorkersStopped("the run's worker processes were stopped before this work finished"))

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class WorkersStopped(RuntimeError):
    """Work submitted to a ``WorkerPool`` that was closed before it finished."""
