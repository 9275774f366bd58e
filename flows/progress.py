"""How a run tells a watcher (the CLI's progress line) what it is doing; silent by default.

The watcher learns the run's read units (with their sizes in bytes) up front, each unit as it is
read, and articles as they are done; from these it can show articles done, the rate and an ETA
(articles still to come are estimated from the bytes not yet read).
"""

from __future__ import annotations

import os
from typing import Protocol

from transforms.readers import ReadUnit


def unit_bytes(unit: ReadUnit) -> int:
    """Bytes a read unit covers (its byte range, or its files' sizes)."""
    if unit.byte_end >= 0:
        return max(0, unit.byte_end - unit.byte_start)
    total = 0
    for path in unit.paths:
        try:
            total += os.path.getsize(path) - unit.byte_start
        except OSError:
            pass
    return max(0, total)


class Progress(Protocol):
    def planned(self, units: list[ReadUnit]) -> None: ...
    def unit_read(self, unit: ReadUnit) -> None: ...
    def articles_done(self, count: int) -> None: ...
    def stage(self, name: str) -> None: ...


class Silent:
    def planned(self, units: list[ReadUnit]) -> None:
        pass

    def unit_read(self, unit: ReadUnit) -> None:
        pass

    def articles_done(self, count: int) -> None:
        pass

    def stage(self, name: str) -> None:
        pass


_current: Progress = Silent()


def current() -> Progress:
    return _current


def watch(watcher: Progress | None) -> None:
    global _current
    _current = watcher or Silent()
