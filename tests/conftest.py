from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from flows import validator as validators

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"

# Runs in this process validate in it, so GX is imported once per session instead of once per run (seconds
# each); the CLI in child processes (test_operate, test_lifecycle, ...) keeps its validator process.
validators.SEPARATE_PROCESS = False
SHARED_DATA = REPO.parent / "shared" / "data"


def shared_data(relative: str) -> Path:
    """A path under ../shared/data, or skip the test when the shared data is absent."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"needs {path} (public research data, not in the repo)")
    return path


@pytest.fixture(scope="session")
def prefect_server():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


def _pipeline_runner(tmp_path: Path, prefect: bool):
    from flows.run import run_pipeline

    db_path = tmp_path / "news.duckdb"

    def _run(*inputs: Path, batch_size: int = 500):
        return run_pipeline(list(inputs), db_path, tmp_path / "reports", batch_size, prefect=prefect)

    _run.db_path = db_path
    _run.report_dir = tmp_path / "reports"
    return _run


@pytest.fixture
def run(prefect_server, tmp_path):
    """Run the real pipeline as a Prefect flow into a warehouse under tmp_path; returns (summary, db_path)."""
    return _pipeline_runner(tmp_path, prefect=True)


@pytest.fixture
def one_shot_run(tmp_path):
    """As ``run``, but the same plan runs without Prefect, as ``newsetl run`` does without a server (seconds faster)."""
    return _pipeline_runner(tmp_path, prefect=False)


def query(db_path: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory) -> Path:
    """The seed article published once (by a one-shot run without Prefect) into a warehouse shared by read-only tests."""
    from flows.run import run_pipeline

    root = tmp_path_factory.mktemp("seed")
    validators.SEPARATE_PROCESS = None  # one run, as the CLI makes it: GX starts on the other core while it extracts
    try:
        summary = run_pipeline([SEEDS], root / "news.duckdb", root / "reports", 500, prefect=False)
    finally:
        validators.SEPARATE_PROCESS = False
    assert summary.status == "published", summary.message
    return root / "news.duckdb"
