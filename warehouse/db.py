"""Open the warehouse file and make sure the published tables exist."""

from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb

from warehouse.migrate import migrate
from warehouse.errors import WarehouseBusyError  # noqa: F401  (part of this module's API)
from warehouse.views import create_views, view_comment  # noqa: F401  (part of this module's API)


# The storage format a new warehouse file is written in. DuckDB 2.0's own format ("latest") opens
# only in DuckDB >= 2.0; v1.0.0 opens in every DuckDB 1.x client (CLI, DBeaver, older Python
# clients) and in 2.x. A file keeps the format it was created with (see docs/warehouse-contract.md).
DEFAULT_STORAGE_VERSION = "v1.0.0"


def storage_version() -> str:
    """The storage version for new warehouse files: $NEWSETL_STORAGE_VERSION (e.g. "latest") or the default."""
    return os.environ.get("NEWSETL_STORAGE_VERSION", "").strip() or DEFAULT_STORAGE_VERSION


class NotAWarehouseError(Exception):
    """A command that works on an existing warehouse was given a path that holds none; the message says why."""


def check_existing(path: Path) -> None:
    """Raise NotAWarehouseError unless ``path`` is a readable DuckDB file: commands that read or maintain a
    warehouse (``newsetl sql``, ``newsetl outlets pin``) never create one from a mistyped --db."""
    from transforms.readers.plan import is_duckdb_header

    if not path.exists():
        raise NotAWarehouseError(f"no warehouse at {path}; run newsetl run first or pass --db")
    if path.is_dir():
        raise NotAWarehouseError(f"{path} is a folder, not a DuckDB warehouse file")
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError as error:
        raise NotAWarehouseError(f"cannot read {path}: {error.strerror}") from None
    if not is_duckdb_header(head):
        raise NotAWarehouseError(f"{path} is not a DuckDB database file")


def connect(path: Path, read_only: bool = False, config: dict | None = None) -> duckdb.DuckDBPyConnection:
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    settings = dict(config or {})
    if not read_only:
        settings.setdefault("storage_compatibility_version", storage_version())
    try:
        con = duckdb.connect(str(path), read_only=read_only, config=settings)
    except duckdb.InvalidInputException as error:
        if "version string" in str(error):
            raise ValueError(f"NEWSETL_STORAGE_VERSION={storage_version()!r} is not a DuckDB storage version; "
                             "use latest or a DuckDB version such as v1.0.0 or v1.4.0") from None
        raise
    except duckdb.IOException as error:
        if "lock" in str(error).lower():
            holder = re.search(r"held in (.*?)(?: \(PID (\d+)\))?\. ", str(error))
            raise WarehouseBusyError.for_path(
                path, holder and (f"pid {holder[2]}" if holder[2] else holder[1])) from None
        raise
    if not read_only:
        ensure_published_tables(con)
    return con


def ensure_published_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Bring the warehouse to the contract (published tables, their columns, the views): see ``warehouse.migrate``."""
    migrate(con)


class CursorTransaction:
    """A transaction on its own cursor of ``con``: the connection's other statements stay outside it.

    ``commit`` and ``rollback`` end it and close the cursor; ending it again does nothing.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.cursor: duckdb.DuckDBPyConnection | None = con.cursor()
        self.cursor.execute("begin transaction")

    def commit(self) -> None:
        self._end("commit")

    def rollback(self) -> None:
        """End it without its changes; a transaction DuckDB already ended (an interrupted statement, Ctrl-C
        between a commit and the next begin) has nothing left to roll back."""
        try:
            self._end("rollback")
        except duckdb.TransactionException:
            pass

    def _end(self, statement: str) -> None:
        if self.cursor is not None:
            try:
                self.cursor.execute(statement)
            finally:
                self.cursor.close()
                self.cursor = None
