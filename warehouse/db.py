"""Open the warehouse file and make sure the published tables exist."""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.sql_files import read_sql, sql_files


class WarehouseBusyError(RuntimeError):
    """Another process holds the warehouse file: DuckDB allows one writer at a time."""


def connect(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as error:
        if "lock" in str(error).lower():
            raise WarehouseBusyError(
                f"{path} is in use by another process (another newsetl run?); wait for it to finish"
            ) from None
        raise
    if not read_only:
        ensure_published_tables(con)
    return con


def ensure_published_tables(con: duckdb.DuckDBPyConnection) -> None:
    for name in sql_files("published"):
        con.execute(read_sql(name))


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    for name in sql_files("views"):
        con.execute(read_sql(name))
