"""Load extracted batches into the ``staging`` schema (one at a time, or all spilled Parquet at once), and reset staging for a run."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from warehouse.sql_files import read_sql, sql_files

STAGED_TABLES = ("articles", "mentions", "places", "figures")


def reset_staging(con: duckdb.DuckDBPyConnection) -> None:
    for name in sql_files("staging"):
        if not name.endswith("stg_entities.sql"):
            con.execute(read_sql(name))


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [row[0] for row in con.execute(f"describe staging.{table}").fetchall()]


def _append(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    if frame.is_empty():
        return
    columns = _columns(con, table)
    con.register("batch_frame", frame.select(columns))
    try:
        con.execute(f"insert into staging.{table} select * from batch_frame")
    finally:
        con.unregister("batch_frame")


def load_batch(con: duckdb.DuckDBPyConnection, frames: dict[str, pl.DataFrame]) -> None:
    """Append a batch's frames (keys: articles, mentions, places, figures) to staging."""
    con.execute("begin")
    try:
        for table in STAGED_TABLES:
            if table in frames:
                _append(con, table, frames[table])
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise


def load_spilled(con: duckdb.DuckDBPyConnection, directory: Path, batch: int | None = None) -> None:
    """Append the batches spilled to ``directory`` (``{table}-{batch:06d}.parquet``), one insert per table in
    batch order; only batch number ``batch`` when it is given."""
    name = "*" if batch is None else f"{batch:06d}"
    con.execute("begin")
    try:
        for table in STAGED_TABLES:
            files = sorted(str(path) for path in directory.glob(f"{table}-{name}.parquet"))
            if files:
                columns = ", ".join(f'"{name}"' for name in _columns(con, table))
                con.execute(f"insert into staging.{table} select {columns} from read_parquet(?)", [files])
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise


def finish_staging(con: duckdb.DuckDBPyConnection) -> None:
    """Derive run-level staging tables once every batch is in: places deduplicated, entities grouped."""
    con.execute("create or replace table staging.places as select distinct on (place_id) * from staging.places")
    con.execute(read_sql("staging/stg_entities.sql"))


def load_quarantine(con: duckdb.DuckDBPyConnection, run_id: str, quarantine: pl.DataFrame) -> None:
    if quarantine.is_empty():
        return
    con.register("quarantine_frame", quarantine)
    try:
        con.execute(
            "insert into quarantine select ?, source, locator, reason, raw from quarantine_frame", [run_id]
        )
    finally:
        con.unregister("quarantine_frame")
