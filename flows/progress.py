"""How the flow tells a watcher (the CLI's progress bar) what it is doing; silent by default."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def planned(self, units: int) -> None: ...
    def unit_read(self) -> None: ...
    def articles_done(self, count: int) -> None: ...
    def stage(self, name: str) -> None: ...


class Silent:
    def planned(self, units: int) -> None:
        pass

    def unit_read(self) -> None:
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
