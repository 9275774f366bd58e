"""The analysis views of warehouse/sql/views, each with its file's header as ``COMMENT ON VIEW``."""

from __future__ import annotations

import re

import duckdb

from warehouse.sql_files import read_sql, sql_files


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    """Create every view of warehouse/sql/views, each described by its file's header (``COMMENT ON VIEW``)."""
    for name in sql_files("views"):
        sql = read_sql(name)
        con.execute(sql)
        view, comment = view_comment(sql)
        con.execute(f"comment on view {view} is '{comment.replace(chr(39), chr(39) * 2)}'")


def view_comment(sql: str) -> tuple[str, str]:
    """The view a views/*.sql file creates, and its header comment as text: what the view holds and its rule.

    The same header is what docs/warehouse-contract.md points to, so SQL clients show the documented rule.
    """
    view = re.search(r"create\s+or\s+replace\s+view\s+(\w+)", sql, re.IGNORECASE)
    if view is None:
        raise ValueError("a view file must say 'create or replace view NAME'")
    header = []
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        header.append(line[3:] if line.startswith("-- ") else line[2:])
    return view[1], "\n".join(header).strip()
