"""`newsetl sql`: answers questions against the warehouse as a table, CSV, JSON or Parquet."""

from __future__ import annotations

import json

import polars as pl
from click.testing import CliRunner

from flows.cli import main


def sql(*args: str):
    return CliRunner().invoke(main, ["sql", *args], catch_exceptions=False)


def test_table_output_shows_the_rows(seed_db):
    result = sql("select canonical_name from entities where label = 'PERSON' order by 1", "--db", str(seed_db))
    assert result.exit_code == 0
    assert "Karoline Leavitt" in result.output and "Nemesio Oseguera Cervantes" in result.output


def test_csv_json_and_parquet_outputs(seed_db, tmp_path):
    query = "select name, country_code from places where name in ('Tapalpa', 'Mexico') order by name"
    csv = sql(query, "--db", str(seed_db), "--format", "csv")
    assert csv.output.splitlines() == ["name,country_code", "Mexico,MX", "Tapalpa,MX"]
    as_json = json.loads(sql(query, "--db", str(seed_db), "--format", "json").output)
    assert as_json == [{"name": "Mexico", "country_code": "MX"}, {"name": "Tapalpa", "country_code": "MX"}]
    target = tmp_path / "places.parquet"
    assert sql(query, "--db", str(seed_db), "--format", "parquet", "--output", str(target)).exit_code == 0
    assert pl.read_parquet(target).rows() == [("Mexico", "MX"), ("Tapalpa", "MX")]


def test_intervals_print_as_text(seed_db):
    # polars cannot hold a DuckDB INTERVAL (finished_at - started_at): it prints as DuckDB writes it
    took = "select 'published' as status, timestamp '2026-03-01 06:01:02' - timestamp '2026-03-01 06:00:00' as took"
    result = sql(took, "--db", str(seed_db), "--format", "csv")
    assert (result.exit_code, result.output) == (0, "status,took\npublished,00:01:02\n")
    assert "00:01:02" in sql(took, "--db", str(seed_db)).output


def test_a_bad_query_exits_2_with_the_reason(seed_db):
    result = CliRunner().invoke(main, ["sql", "select nope from articles", "--db", str(seed_db)])
    assert result.exit_code == 2
    assert "query failed" in result.output
