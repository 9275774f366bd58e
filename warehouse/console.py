"""The SQL console's connection: the warehouse read-only, with no file, network or extension access.

``newsetl sql`` answers questions; it must not become a way to write files (``COPY … TO``,
``EXPORT DATABASE``), open other databases (``ATTACH``), read arbitrary files
(``read_csv('/etc/…')``) or run code (``INSTALL``/``LOAD`` of extensions). DuckDB has
settings for exactly this: ``enable_external_access = false`` and, so that a query cannot
turn them back on, ``lock_configuration = true``. ``--allow-files`` lifts the file and
extension restrictions for a power user; the warehouse stays read-only either way.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.db import NotAWarehouseError, WarehouseBusyError, check_existing, connect


LOCKED_DOWN = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "allow_unsigned_extensions": False,
}

# Statements that reach outside the warehouse file, by their first keyword.
_FILE_STATEMENTS = {
    "COPY": "COPY reads or writes files",
    "EXPORT": "EXPORT DATABASE writes files",
    "IMPORT": "IMPORT DATABASE reads files",
    "ATTACH": "ATTACH opens another database",
    "DETACH": "DETACH changes the attached databases",
    "INSTALL": "INSTALL downloads an extension",
    "FORCE": "FORCE INSTALL downloads an extension",
    "LOAD": "LOAD runs an extension's code",
}


class ConsoleError(Exception):
    """A user mistake or a refused statement: one line for the user, no traceback."""


def open_console(path: Path, allow_files: bool = False) -> duckdb.DuckDBPyConnection:
    """The warehouse at ``path``, read-only, configuration locked; files and extensions only with ``allow_files``."""
    try:
        check_existing(path)
    except NotAWarehouseError as error:
        raise ConsoleError(str(error)) from None
    config = {"lock_configuration": True, **({} if allow_files else LOCKED_DOWN)}
    try:
        return connect(path, read_only=True, config=config)
    except WarehouseBusyError as error:
        raise ConsoleError(str(error)) from None
    except duckdb.Error as error:
        raise ConsoleError(f"cannot open {path}: {first_line(error)}") from None


def check_statements(con: duckdb.DuckDBPyConnection, query: str, allow_files: bool) -> None:
    """Raise ConsoleError for a query that does not parse or, without ``allow_files``, reaches outside the warehouse."""
    try:
        statements = con.extract_statements(query)
    except duckdb.Error as error:
        raise ConsoleError(f"query failed: {first_line(error)}") from None
    if allow_files:
        return
    for statement in statements:
        words = statement.query.split(None, 1)
        keyword = words[0].upper().rstrip(";") if words else ""
        if keyword in _FILE_STATEMENTS:
            raise ConsoleError(f"{keyword} is refused: {_FILE_STATEMENTS[keyword]}, and the SQL console is read-only "
                               "with no file access (newsetl sql --allow-files permits it)")


def explain_error(error: duckdb.Error) -> str:
    """One line for a DuckDB error raised by a console query."""
    if isinstance(error, duckdb.PermissionException):
        return (f"query refused: {first_line(error).removeprefix('Permission Error: ')} "
                "(the SQL console has no file access; newsetl sql --allow-files permits it)")
    if "read-only mode" in str(error):
        return "query refused: the SQL console is read-only (newsetl run writes the warehouse)"
    if "configuration has been locked" in str(error):
        return "query refused: settings cannot be changed in the SQL console"
    return f"query failed: {first_line(error)}"


def first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
