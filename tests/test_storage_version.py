"""The warehouse file opens in DuckDB 1.x clients (CLI, DBeaver, older Python), not only in DuckDB 2.x."""

from __future__ import annotations

import json
import subprocess
import venv
from pathlib import Path

import duckdb
import pytest

from tests.conftest import query
from warehouse.db import connect


def storage_version(db_path: Path) -> str:
    [(tag,)] = query(db_path, "select tags['storage_version'] from duckdb_databases() where database_name = ?",
                     [db_path.stem])
    return tag


def test_a_new_warehouse_is_written_in_the_v1_storage_format(tmp_path):
    connect(tmp_path / "news.duckdb").close()
    assert storage_version(tmp_path / "news.duckdb") == "v1.0.0+"


def test_newsetl_storage_version_latest_writes_duckdb_2_format(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSETL_STORAGE_VERSION", "latest")
    connect(tmp_path / "news.duckdb").close()
    assert storage_version(tmp_path / "news.duckdb") == "v2.0.0+"


def test_an_unknown_storage_version_is_a_one_line_error_naming_the_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSETL_STORAGE_VERSION", "v9")
    with pytest.raises(ValueError) as raised:
        connect(tmp_path / "news.duckdb")
    assert str(raised.value) == ("NEWSETL_STORAGE_VERSION='v9' is not a DuckDB storage version; "
                                 "use latest or a DuckDB version such as v1.0.0 or v1.4.0")


def test_an_existing_warehouse_keeps_the_format_it_was_created_in(tmp_path):
    duckdb.connect(str(tmp_path / "news.duckdb")).close()  # DuckDB 2's own default
    connect(tmp_path / "news.duckdb").close()
    assert storage_version(tmp_path / "news.duckdb") == "v2.0.0+"


READ_EVERYTHING = """
import json, sys
import duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
names = [n for (n,) in con.execute(
    "select table_name from duckdb_tables() where schema_name = 'main' "
    "union all select view_name from duckdb_views() where schema_name = 'main' and not internal").fetchall()]
print(json.dumps({"version": duckdb.__version__,
                  "rows": {n: len(con.execute(f'select * from "{n}"').fetchall()) for n in names}}))
"""


@pytest.fixture(scope="module")
def duckdb_1_python(tmp_path_factory) -> Path:
    """A throwaway virtualenv with the newest DuckDB 1.x from the package registry."""
    root = tmp_path_factory.mktemp("duckdb1")
    venv.create(root, with_pip=True)
    python = root / "bin" / "python"
    installed = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "duckdb<2"],
                               capture_output=True, text=True, timeout=600, check=False)
    if installed.returncode != 0:
        pytest.skip(f"pip could not install duckdb<2 (package registry unreachable?): {installed.stderr[-300:]}")
    return python


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_a_duckdb_1_client_reads_every_published_table_and_view(seed_db, duckdb_1_python):
    expected = dict(query(seed_db, """
        select table_name, estimated_size from duckdb_tables() where schema_name = 'main'
        union all select view_name, null from duckdb_views() where schema_name = 'main' and not internal"""))
    for name in expected:
        [(expected[name],)] = query(seed_db, f'select count(*) from "{name}"')
    read = subprocess.run([str(duckdb_1_python), "-c", READ_EVERYTHING, str(seed_db)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert read.returncode == 0, read.stderr
    result = json.loads(read.stdout)
    assert result["version"].startswith("1.")
    assert result["rows"] == expected
    assert {"articles", "entities", "mentions", "places", "figures", "runs", "dq_results", "quarantine",
            "article_casualties", "place_articles", "dq_history"} <= set(expected)
    assert expected["articles"] == 1 and expected["mentions"] > 0
