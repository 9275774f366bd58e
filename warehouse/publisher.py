"""Publish the staged run: one DuckDB transaction, so readers see the old state or the new, never a mix."""

from __future__ import annotations

import threading

import duckdb

from warehouse.db import CursorTransaction, create_views
from warehouse.sql_files import read_sql


class Publication:
    """The publish transaction of a staged run, on its own cursor: written now, visible only at ``commit``.

    A run starts it on a thread while Great Expectations validates the staged data, then
    commits it when every critical expectation held and rolls it back otherwise: readers
    see nothing of it until the commit, exactly as if it had started after the validation.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, run_id: str) -> None:
        self.transaction = CursorTransaction(con)
        self.run_id = run_id
        self.error: BaseException | None = None
        self.thread: threading.Thread | None = None

    def write(self) -> None:
        """Run the publish statements inside the (uncommitted) transaction; on failure it is rolled back."""
        try:
            cursor = self.transaction.cursor
            for statement in _statements(read_sql("publish/publish.sql")):
                cursor.execute(statement, {"run_id": self.run_id} if "$run_id" in statement else None)
            create_views(cursor)
        except BaseException as error:
            self.error = error
            self.transaction.rollback()

    def start(self) -> "Publication":
        """Write on a thread (DuckDB works outside the GIL, so validation runs meanwhile)."""
        self.thread = threading.Thread(target=self.write, name="publish", daemon=True)
        self.thread.start()
        return self

    def commit(self) -> None:
        """Wait for the writes and commit them, or raise what made them fail (nothing is then published)."""
        self._join()
        if self.error is not None:
            raise self.error
        self.transaction.commit()

    def rollback(self) -> None:
        self._join()
        self.transaction.rollback()

    def _join(self) -> None:
        if self.thread is not None:
            self.thread.join()


def _statements(script: str) -> list[str]:
    body = "\n".join(line for line in script.splitlines() if not line.strip().startswith("--"))
    return [s.strip() for s in body.split(";") if s.strip()]
