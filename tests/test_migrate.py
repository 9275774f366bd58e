"""A warehouse made by an older newsetl is brought to today's contract when it is opened, in one transaction."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO, SEEDS, query
from warehouse import sql_files
from warehouse.db import connect

OLD_CONTRACT = Path(__file__).parent / "fixtures" / "warehouse_896d101.sql"
PREVIOUS_RELEASE = "896d101"


def old_warehouse(path: Path) -> Path:
    """A warehouse with main@896d101's schema and one published article, one quarantined record and one run."""
    with duckdb.connect(str(path)) as con:
        con.execute(OLD_CONTRACT.read_text())
        con.execute("insert into runs (run_id, started_at, status) values ('r0', timestamp '2026-01-01 06:00', 'published')")
        con.execute("insert into articles values ('a1', 's1', 'Title', 'Body.', date '2026-01-01', null, 'sha', 'r0', 'r0')")
        con.execute("insert into quarantine values ('r0', 'feed.jsonl', 'line 2', 'line is not valid JSON', '{')")
    return path


def columns(db: Path, table: str) -> list[str]:
    return [c for (c,) in query(db, "select column_name from duckdb_columns() where table_name = ? order by column_index", [table])]


def views(db: Path) -> set[str]:
    return {v for (v,) in query(db, "select view_name from duckdb_views() where not internal")}


def contract_views() -> set[str]:
    return {Path(name).stem for name in sql_files.sql_files("views")}


def test_an_old_warehouse_gets_the_new_columns_tables_and_views_and_keeps_its_rows(tmp_path):
    db = old_warehouse(tmp_path / "old.duckdb")
    assert "extractor_version" not in columns(db, "runs") and views(db) <= contract_views()
    with duckdb.connect(str(db)) as con:
        con.execute("drop view place_articles")  # as if the old release did not have it
    connect(db).close()
    assert columns(db, "articles")[-1] == "extractor_version"
    assert columns(db, "quarantine") == ["run_id", "source", "locator", "reason", "raw", "article_id"]
    assert {"schema_version", "newsetl_version", "extractor_version"} <= set(columns(db, "runs"))
    assert views(db) == contract_views()
    assert query(db, "select article_id, title, extractor_version from articles") == [("a1", "Title", None)]
    assert query(db, "select reason, article_id from quarantine") == [("line is not valid JSON", None)]
    from warehouse.migrate import schema_version

    [(version, changes)] = query(db, "select schema_version, changes from warehouse_schema")
    assert version == schema_version()
    assert "added column runs.extractor_version" in changes and "created table warehouse_schema" in changes


def test_opening_a_current_warehouse_changes_nothing(tmp_path):
    db = tmp_path / "news.duckdb"
    connect(db).close()
    from warehouse.migrate import migrate

    con = connect(db)
    assert migrate(con) == []
    con.close()
    assert query(db, "select count(*) from warehouse_schema") == [(1,)]


def forget_contract() -> None:
    """The contract is read once per process; a test that edits it makes it read again."""
    from warehouse import migrate

    for cached in (sql_files.read_sql, migrate.schema_version, migrate._contract_columns):
        cached.cache_clear()


@pytest.fixture
def contract_copy(tmp_path, monkeypatch):
    """A copy of warehouse/sql to add to, as another branch would."""
    copy = tmp_path / "sql"
    shutil.copytree(sql_files.SQL_DIR, copy)
    monkeypatch.setattr(sql_files, "SQL_DIR", copy)
    forget_contract()
    yield copy
    monkeypatch.undo()
    forget_contract()


def test_columns_tables_and_views_added_to_the_contract_migrate_with_no_code(tmp_path, contract_copy):
    db = tmp_path / "news.duckdb"
    connect(db).close()
    with duckdb.connect(str(db)) as con:
        con.execute("insert into figures (figure_id, article_id, kind, value, text, start_char, end_char) "
                    "values ('f1', 'a1', 'COUNT', 3, 'three', 0, 5)")
    figures = contract_copy / "published" / "figures.sql"
    ddl = figures.read_text()
    table_end = ddl.index("\n);")  # the end of the create table statement, whatever its last column
    figures.write_text(ddl[:table_end] + ",\n    probe_scope varchar default 'event',\n    probe_plausible boolean" + ddl[table_end:])
    (contract_copy / "published" / "probe_feeds.sql").write_text(
        "create table if not exists probe_feeds (feed_id varchar primary key, name varchar not null);\n"
        "comment on table probe_feeds is 'News feeds.';\n")
    (contract_copy / "views" / "probe_figures.sql").write_text(
        "create or replace view probe_figures as select figure_id, probe_scope from figures where probe_plausible is not false")
    forget_contract()
    con = connect(db)
    con.close()
    assert columns(db, "figures")[-2:] == ["probe_scope", "probe_plausible"]
    assert query(db, "select figure_id, probe_scope, probe_plausible from figures") == [("f1", "event", None)]
    assert columns(db, "probe_feeds") == ["feed_id", "name"]
    assert query(db, "select * from probe_figures") == [("f1", "event")]
    assert query(db, "select comment from duckdb_tables() where table_name = 'probe_feeds'") == [("News feeds.",)]


def test_a_migration_that_fails_changes_nothing(tmp_path, contract_copy):
    db = old_warehouse(tmp_path / "old.duckdb")
    before = columns(db, "runs")
    (contract_copy / "views" / "zz_broken.sql").write_text("create or replace view zz_broken as select nope from articles")
    forget_contract()
    with pytest.raises(duckdb.BinderException):
        connect(db)
    assert columns(db, "runs") == before
    assert "warehouse_schema" not in {t for (t,) in query(db, "select table_name from duckdb_tables()")}


def _previous_release(tmp_path: Path) -> Path:
    """main@896d101's code, extracted with git archive (skips when the clone lacks that commit)."""
    if shutil.which("git") is None or subprocess.run(["git", "-C", str(REPO), "cat-file", "-e", f"{PREVIOUS_RELEASE}^{{commit}}"],
                                                     capture_output=True).returncode != 0:
        pytest.skip(f"needs git and commit {PREVIOUS_RELEASE} in the clone")
    tree = tmp_path / "previous"
    tree.mkdir()
    archive = subprocess.run(["git", "-C", str(REPO), "archive", PREVIOUS_RELEASE], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    return tree


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_a_warehouse_made_by_the_previous_release_gets_the_new_schema_on_a_run_with_unchanged_input(one_shot_run, tmp_path):
    previous = _previous_release(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(previous), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "GX_ANALYTICS_ENABLED": "false", "NEWSETL_EXTRACT_PROCESSES": "0"}
    env.pop("PREFECT_API_URL", None)
    made = subprocess.run([sys.executable, "-m", "flows.cli", "run", "--input", str(SEEDS), "--db", str(one_shot_run.db_path),
                           "--report-dir", str(tmp_path / "old-reports")], cwd=previous, env=env,
                          capture_output=True, text=True, timeout=500)
    assert made.returncode == 0, made.stderr[-2000:]
    assert "extractor_version" not in columns(one_shot_run.db_path, "runs")
    published = query(one_shot_run.db_path, "select article_id, content_sha256 from articles")
    summary = one_shot_run(SEEDS)
    assert summary.status == "unchanged"
    assert views(one_shot_run.db_path) == contract_views()
    assert query(one_shot_run.db_path, "select article_id, content_sha256 from articles") == published
    [(status, version)] = query(one_shot_run.db_path, "select status, extractor_version from runs where run_id = ?", [summary.run_id])
    assert status == "unchanged" and version.startswith("0.1.0+")
    from warehouse.migrate import schema_version

    assert query(one_shot_run.db_path, "select schema_version from warehouse_schema") == [(schema_version(),)]


def test_casualties_published_before_the_migration_still_count(tmp_path):
    db = old_warehouse(tmp_path / "old.duckdb")
    with duckdb.connect(str(db)) as con:
        con.execute("insert into figures (figure_id, article_id, kind, category, value, text, start_char, end_char) "
                    "values ('k1', 'a1', 'COUNT', 'KILL', 5, 'five people were killed', 0, 23)")
    connect(db).close()
    assert query(db, "select article_id, killed, wounded, arrested from article_casualties") == [("a1", 5, 0, 0)]
