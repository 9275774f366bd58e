"""`newsetl sql` is a read-only console: no writes, no files, no extensions, one-line errors."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from flows.cli import main
from warehouse.db import connect


@pytest.fixture
def warehouse(tmp_path) -> Path:
    path = tmp_path / "news.duckdb"
    con = connect(path)
    con.execute("insert into entities values ('e1', 'PERSON', 'Karoline Leavitt', ['Leavitt', 'Karoline Leavitt'])")
    con.close()
    return path


def sql(*args: str):
    return CliRunner().invoke(main, ["sql", *args], catch_exceptions=False)


def one_line_error(result) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


@pytest.mark.parametrize(("statement", "keyword"), [
    ("COPY entities TO '{out}'", "COPY"),
    ("copy (select 1) to '{out}' (format parquet)", "COPY"),
    ("EXPORT DATABASE '{out}'", "EXPORT"),
    ("ATTACH '{out}' AS other", "ATTACH"),
    ("INSTALL httpfs", "INSTALL"),
    ("LOAD httpfs", "LOAD"),
    ("select 1; COPY entities TO '{out}'", "COPY"),
])
def test_statements_that_reach_outside_the_warehouse_are_refused(warehouse, tmp_path, statement, keyword):
    out = tmp_path / "escaped.out"
    message = one_line_error(sql(statement.format(out=out), "--db", str(warehouse)))
    assert message.startswith(f"newsetl: {keyword} is refused: ")
    assert message.endswith("the SQL console is read-only with no file access (newsetl sql --allow-files permits it)")
    assert not out.exists()


def test_table_functions_cannot_read_files(warehouse):
    message = one_line_error(sql("select * from read_csv('/etc/passwd')", "--db", str(warehouse)))
    assert message == ('newsetl: query refused: Cannot access file "/etc/passwd" - file system operations are disabled '
                       "by configuration (the SQL console has no file access; newsetl sql --allow-files permits it)")


def test_settings_cannot_be_unlocked_from_a_query(warehouse):
    message = one_line_error(sql("set enable_external_access = true", "--db", str(warehouse)))
    assert message == "newsetl: query refused: settings cannot be changed in the SQL console"


def test_the_warehouse_cannot_be_changed(warehouse):
    message = one_line_error(sql("delete from entities", "--db", str(warehouse)))
    assert message == "newsetl: query refused: the SQL console is read-only (newsetl run writes the warehouse)"
    assert sql("select count(*) as n from entities", "--db", str(warehouse), "--format", "csv").output == "n\n1\n"


def test_allow_files_lets_a_power_user_copy_out(warehouse, tmp_path):
    out = tmp_path / "entities.csv"
    result = sql(f"copy (select entity_id from entities) to '{out}'", "--db", str(warehouse), "--allow-files")
    assert result.exit_code == 0, result.output
    assert out.read_text().splitlines() == ["entity_id", "e1"]
    assert one_line_error(sql("delete from entities", "--db", str(warehouse), "--allow-files")).startswith(
        "newsetl: query refused: the SQL console is read-only")


def test_results_are_written_by_the_console_not_by_the_query(warehouse, tmp_path):
    csv = sql("select canonical_name, aliases from entities", "--db", str(warehouse), "--format", "csv")
    assert csv.output.splitlines() == ["canonical_name,aliases", 'Karoline Leavitt,"[Leavitt, Karoline Leavitt]"']
    target = tmp_path / "entities.parquet"
    written = sql("select canonical_name, aliases from entities", "--db", str(warehouse), "--format", "parquet",
                  "--output", str(target))
    assert written.exit_code == 0
    assert pl.read_parquet(target).rows() == [("Karoline Leavitt", ["Leavitt", "Karoline Leavitt"])]


def test_a_file_that_is_not_a_duckdb_database_gives_one_line(tmp_path):
    text = tmp_path / "notes.duckdb"
    text.write_text("just some notes\n" * 100)
    assert one_line_error(sql("select 1", "--db", str(text))) == f"newsetl: {text} is not a DuckDB database file"
    empty = tmp_path / "empty.duckdb"
    empty.write_bytes(b"")
    assert one_line_error(sql("select 1", "--db", str(empty))) == f"newsetl: {empty} is not a DuckDB database file"


def test_a_missing_warehouse_or_a_folder_gives_one_line(tmp_path):
    missing = tmp_path / "nope.duckdb"
    assert one_line_error(sql("select 1", "--db", str(missing))) == (
        f"newsetl: no warehouse at {missing}; run newsetl run first or pass --db")
    assert not missing.exists() and not (tmp_path / "nope").exists()
    folder = CliRunner().invoke(main, ["sql", "select 1", "--db", str(tmp_path)])
    assert folder.exit_code == 2 and "is a directory" in folder.output and "Traceback" not in folder.output


def test_a_syntax_error_gives_one_line(warehouse):
    assert one_line_error(sql("selec 1", "--db", str(warehouse))).startswith("newsetl: query failed: Parser Error")
