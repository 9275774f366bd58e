"""The warehouse's errors, in a module that imports nothing heavy: the CLI takes the warehouse lock (and
starts its validator process) before it imports DuckDB."""

from __future__ import annotations

from pathlib import Path


class WarehouseBusyError(RuntimeError):
    """Another process holds the warehouse file: DuckDB allows one writer at a time."""

    @classmethod
    def for_path(cls, path: Path, holder: str | None = None) -> "WarehouseBusyError":
        """The one message for a busy warehouse, whether our lock file or DuckDB's own lock refused us."""
        return cls(f"warehouse {path} is in use by another run ({holder or 'another process'}); "
                   "try again when it has finished (newsetl run --wait SECONDS waits for it)")
