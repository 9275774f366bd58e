"""Child processes that die with the process that started them, even when it is killed with ``kill -9``.

A run starts extraction workers, a validator and (``newsetl serve``) a Prefect server. Nothing
runs in the parent when it is killed with SIGKILL, so the children must watch for it themselves:

- On Linux the child asks the kernel for a parent-death signal (``prctl(PR_SET_PDEATHSIG, SIGKILL)``,
  through ctypes): it is killed the moment the parent dies. The kernel means the parent *thread*, so
  children are started from a thread that lives as long as they do (the main thread, or a pool's own
  thread); ``die_with_parent`` is told when that cannot be promised and watches instead.
- Elsewhere (macOS, the BSDs, Windows) a daemon thread in the child polls its parent pid twice a second
  and ends the child when the parent is gone: the same outcome, up to half a second later, and only while
  the child's Python code can run (a long call into C that holds the GIL delays it).

Either way a child that finds its parent already gone when it starts exits at once.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
WATCH_SECONDS = 0.5


def die_with_parent(parent_pid: int, kernel_signal: bool = True) -> None:
    """Arrange for this (child) process to end when ``parent_pid`` ends; call it first thing in the child.

    ``kernel_signal`` False: the thread that started this process may end before the parent does, so
    use the watching thread even on Linux.
    """
    if kernel_signal and sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            _watch(parent_pid)
    else:
        _watch(parent_pid)
    if os.getppid() != parent_pid:  # the parent died before the signal was armed
        os.kill(os.getpid(), signal.SIGKILL)


def _watch(parent_pid: int, stop: threading.Event | None = None) -> None:
    stop = stop or threading.Event()

    def watch() -> None:
        while os.getppid() == parent_pid:
            if stop.wait(WATCH_SECONDS):
                return
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name="newsetl-parent-watch", daemon=True).start()


@contextmanager
def watching_parent() -> Iterator[None]:
    """For the block, end this process if its parent dies (the polling thread, on every platform).

    A scheduled run executes in a process that a Prefect worker or ``newsetl serve`` started; if that
    parent is killed, the run stops too (and with it, by their own lifeline, its worker processes)
    instead of writing on, unwatched. Outside the block nothing is watched.
    """
    stop = threading.Event()
    _watch(os.getppid(), stop)
    try:
        yield
    finally:
        stop.set()


def kill_with_parent_preexec() -> None:
    """``preexec_fn`` for ``subprocess.Popen`` of a server process: the kernel kills it when this process dies
    (Linux; elsewhere nothing can be armed before exec, and the server outlives a killed parent).

    The child also gets its own process group, so that stopping it can stop what it starts.
    """
    os.setpgid(0, 0)
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
