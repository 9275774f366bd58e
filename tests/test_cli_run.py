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
