"""One run at a time per warehouse: an advisory lock on ``<db>.lock`` beside the DuckDB file.

DuckDB already refuses a second writer, but only once the file is open; the lock is taken
before the flow starts, so a second run fails (or waits) at once with a message that says
who holds the warehouse. The kernel drops an ``flock`` when its process dies, even on
``kill -9``, so a crashed run never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from warehouse.errors import WarehouseBusyError

POLL_SECONDS = 0.5


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


@contextmanager
def hold(db_path: Path, wait_seconds: float = 0.0) -> Iterator[Path]:
    """Hold the warehouse lock for the block; raise WarehouseBusyError if another run keeps it past ``wait_seconds``."""
    path = lock_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+", encoding="utf-8")
    try:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    raise WarehouseBusyError.for_path(db_path, handle.read().strip() or None) from None
                time.sleep(POLL_SECONDS)
        handle.seek(0)
        handle.truncate()
        handle.write(f"newsetl pid {os.getpid()} since {datetime.now():%Y-%m-%d %H:%M:%S}\n")
        handle.flush()
        yield path
    finally:
        handle.close()  # closing the file releases the lock
