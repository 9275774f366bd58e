"""`newsetl run` as an operator meets it: version, defaults, empty and unreadable inputs, progress."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner

from flows.cli import RichWatcher, default_db, main


def test_version_prints_the_package_version():
    from importlib.metadata import version

    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"newsetl {version('newsetl')}\n"


def test_the_default_warehouse_is_newsetl_db_else_the_users_data_folder_never_the_working_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("NEWSETL_DB", str(tmp_path / "elsewhere.duckdb"))
    assert default_db() == tmp_path / "elsewhere.duckdb"
    monkeypatch.delenv("NEWSETL_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    assert default_db() == tmp_path / "data-home" / "newsetl" / "news.duckdb"


def test_an_input_folder_without_articles_says_so_and_exits_0_with_nothing_new(tmp_path, monkeypatch):
    empty = tmp_path / "feeds"
    empty.mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    result = CliRunner().invoke(main, ["run", "--input", str(empty), "--db", str(tmp_path / "w" / "news.duckdb")])
    assert result.exit_code == 0, result.output
    assert f"newsetl: no article files in {empty}" in " ".join(result.output.split())
    assert "nothing new to publish" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feeds", "w"]  # nothing made in the working folder
    assert sorted(p.name for p in (tmp_path / "w").iterdir()) == ["news.duckdb", "news.duckdb.lock", "reports"]


def test_an_input_that_cannot_be_read_is_one_line_and_exit_2(tmp_path, capsys):
    import pytest

    from flows.cli import fail_unless_readable

    result = CliRunner().invoke(main, ["run", "--input", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "does not exist" in result.output
    vanished = tmp_path / "gone"  # e.g. removed after click checked it: the OSError an unreadable input gives
    with pytest.raises(SystemExit) as done:
        fail_unless_readable([vanished])
    assert done.value.code == 2
    assert " ".join(capsys.readouterr().err.split()) == (
        f"newsetl: cannot read input {vanished}: No such file or directory")


def test_progress_counts_articles_with_rate_and_eta_from_the_bytes_read(tmp_path):
    from rich.console import Console
    from rich.progress import Progress

    from transforms.readers import ReadUnit

    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_bytes(b"x" * 100)
    second.write_bytes(b"x" * 300)
    units = [ReadUnit("jsonl", str(tmp_path), (str(first),)), ReadUnit("jsonl", str(tmp_path), (str(second),))]
    with Progress(console=Console(file=open(os.devnull, "w"))) as bar:
        watcher = RichWatcher(bar)
        watcher.planned(units)
        watcher.unit_read(units[0])
        watcher.articles_done(1_000)
        description = bar.tasks[0].description
    assert watcher.total_bytes == 400 and watcher.read_bytes == 100
    assert description.startswith("1,000 articles, ") and "/s, ETA " in description


def test_a_bad_newsetl_setting_is_one_line_and_exit_2_and_makes_no_warehouse(tmp_path, monkeypatch):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    db_path = tmp_path / "w" / "news.duckdb"
    monkeypatch.setenv("NEWSETL_MAX_INPUT_FILE_BYTES", "16GB")
    result = CliRunner().invoke(main, ["run", "--db", str(db_path)])
    assert (result.exit_code, " ".join(result.output.split())) == (
        2, "newsetl: NEWSETL_MAX_INPUT_FILE_BYTES='16GB' is not a whole number")
    monkeypatch.delenv("NEWSETL_MAX_INPUT_FILE_BYTES")
    monkeypatch.setenv("NEWSETL_EXTRACT_PROCESSES", "-1")
    result = CliRunner().invoke(main, ["sql", "select 1", "--db", str(db_path)])
    assert (result.exit_code, " ".join(result.output.split())) == (
        2, "newsetl: NEWSETL_EXTRACT_PROCESSES='-1' must be at least 0")
    assert not db_path.exists()


def test_the_input_file_size_limit_is_read_when_inputs_are_planned(tmp_path, monkeypatch):
    from transforms.readers import plan_units

    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"id": "a", "text": "Rain in Lima."}\n', encoding="utf-8")
    monkeypatch.setenv("NEWSETL_MAX_INPUT_FILE_BYTES", "10")
    [unit] = plan_units([feed], 100)
    assert (unit.kind, unit.reason.endswith("(NEWSETL_MAX_INPUT_FILE_BYTES)")) == ("oversize", True)
    monkeypatch.delenv("NEWSETL_MAX_INPUT_FILE_BYTES")
    assert [unit.kind for unit in plan_units([feed], 100)] == ["jsonl"]


def test_outlets_pin_on_a_mistyped_warehouse_says_so_and_creates_nothing(tmp_path):
    typo = tmp_path / "typo.duckdb"
    result = CliRunner().invoke(main, ["outlets", "pin", "example.com", "Texas", "--db", str(typo)])
    assert (result.exit_code, " ".join(result.output.split())) == (
        2, f"newsetl: no warehouse at {typo}; run newsetl run first or pass --db")
    assert list(tmp_path.iterdir()) == []
    typo.write_text("not a warehouse", encoding="utf-8")
    result = CliRunner().invoke(main, ["outlets", "pin", "example.com", "Texas", "--db", str(typo)])
    assert (result.exit_code, " ".join(result.output.split())) == (2, f"newsetl: {typo} is not a DuckDB database file")
