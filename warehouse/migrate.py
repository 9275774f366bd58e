"""Bring any warehouse to the contract in ``warehouse/sql``: tables, columns and views, in one transaction.

The contract DDL files are the only description of the schema: nothing here names a
table or a column. A warehouse made by an older newsetl is compared with the DDL run on
an empty in-memory database; what it lacks is added (a missing table is created, a
missing column is added with its type and default, every view is created or replaced),
and a ``warehouse_schema`` row records the new ``schema_version``. A column added to a
contract file, a new table or a new view therefore migrates with no code.

Limits: a column is added without NOT NULL or a key (DuckDB cannot add constrained
columns to a filled table; the contract's comment still applies); a changed type or a
removed column is not migrated (it needs a written step). When the recorded
``schema_version`` equals the DDL's, opening costs one query.
"""

from __future__ import annotations

import hashlib
from functools import cache

import duckdb

from transforms.version import newsetl_version
from warehouse.sql_files import read_sql, sql_files
from warehouse.views import create_views

CONTRACT_FOLDERS = ("published", "views")

_COLUMNS = """
    select table_name, column_name, data_type, column_default
    from duckdb_columns()
    where database_name = current_database() and schema_name = 'main'
      and table_name in (select table_name from duckdb_tables()
                         where database_name = current_database() and schema_name = 'main')
    order by table_name, column_index
"""


@cache
def schema_version() -> str:
    """16 hex chars of sha256 over every contract file's name and text."""
    digest = hashlib.sha256()
    for folder in CONTRACT_FOLDERS:
        for name in sql_files(folder):
            digest.update(name.encode() + b"\0" + read_sql(name).encode() + b"\0")
    return digest.hexdigest()[:16]


def current_version(con: duckdb.DuckDBPyConnection) -> str | None:
    """The schema_version recorded last in this warehouse (None: never recorded, an older or new warehouse)."""
    try:
        row = con.execute("select schema_version from warehouse_schema order by migrated_at desc limit 1").fetchone()
    except duckdb.CatalogException:
        return None
    return row[0] if row else None


@cache
def _contract_columns() -> dict[str, list[tuple[str, str, str | None]]]:
    reference = duckdb.connect()
    try:
        _run_contract_tables(reference)
        return _columns(reference)
    finally:
        reference.close()


def _columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str, str | None]]]:
    tables: dict[str, list[tuple[str, str, str | None]]] = {}
    for table, column, data_type, default in con.execute(_COLUMNS).fetchall():
        tables.setdefault(table, []).append((column, data_type, default))
    return tables


def _run_contract_tables(con: duckdb.DuckDBPyConnection) -> None:
    for name in sql_files("published"):
        con.execute(read_sql(name))


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Bring the warehouse on ``con`` to the contract in one transaction; return what changed ([] when current)."""
    if current_version(con) == schema_version():
        return []
    changes: list[str] = []
    con.execute("begin transaction")
    try:
        existing = _columns(con)
        for table, columns in _contract_columns().items():
            if table not in existing:
                changes.append(f"created table {table}")
                continue
            have = {column for column, _, _ in existing[table]}
            for column, data_type, default in columns:
                if column not in have:
                    default_sql = f" default {default}" if default is not None else ""
                    con.execute(f"alter table {_quoted(table)} add column {_quoted(column)} {data_type}{default_sql}")
                    changes.append(f"added column {table}.{column}")
        _run_contract_tables(con)  # creates the missing tables; (re)applies every COMMENT
        create_views(con)
        changes.append(f"created or replaced {len(sql_files('views'))} views")
        con.execute("insert into warehouse_schema values (?, ?, current_timestamp, ?)",
                    [schema_version(), newsetl_version(), changes])
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return changes
