"""Publish the staged run: one DuckDB transaction, so readers see the old state or the new, never a mix."""

from __future__ import annotations

import duckdb

from warehouse.db import create_views
from warehouse.sql_files import read_sql


def publish(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    con.execute("begin transaction")
    try:
        for statement in _statements(read_sql("publish/publish.sql")):
            con.execute(statement, {"run_id": run_id} if "$run_id" in statement else None)
        create_views(con)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def _statements(script: str) -> list[str]:
    body = "\n".join(line for line in script.splitlines() if not line.strip().startswith("--"))
    return [s.strip() for s in body.split(";") if s.strip()]
