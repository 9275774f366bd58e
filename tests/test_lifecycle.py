"""A run's processes and records: nothing outlives a run, a dead run is marked, nothing is lost to a kill -9."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, query

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to find processes")


def descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as handle:
                    ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, stack = set(), [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.add(child)
            stack.append(child)
    return found


def alive(pids: set[int]) -> set[int]:
    living = set()
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as handle:
                if handle.read().rsplit(")", 1)[1].split()[0] != "Z":
                    living.add(pid)
        except OSError:
            pass
    return living


@linux_only
def test_a_server_process_started_with_the_lifeline_dies_when_its_parent_is_killed():
    parent = subprocess.Popen([sys.executable, "-c", (
        "import subprocess, sys, time\n"
        "from flows.lifeline import kill_with_parent_preexec\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'], "
        "preexec_fn=kill_with_parent_preexec)\n"
        "print(child.pid, flush=True)\n"
        "time.sleep(60)\n")], cwd=REPO, stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    assert alive({child}) == {child}
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 5
    while alive({child}) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert alive({child}) == set()


def test_extraction_workers_run_polars_on_one_thread_without_touching_this_process_environment():
    import polars as pl

    from flows.workers import WorkerPool

    before = dict(os.environ)
    with WorkerPool(1, environment={"POLARS_MAX_THREADS": "1"}) as pool:
        assert pool.submit(pl.thread_pool_size).result(timeout=120) == 1
    assert dict(os.environ) == before


def test_work_pending_when_the_workers_stop_fails_instead_of_hanging():
    from flows.workers import WorkerPool, WorkersStopped

    pool = WorkerPool(1)
    pending = pool.submit(time.sleep, 30)
    pool.close()
    with pytest.raises(WorkersStopped):
        pending.result(timeout=10)


def test_a_run_left_running_is_marked_abandoned_with_when_and_why(tmp_path):
    from warehouse import runs
    from warehouse.db import connect

    con = connect(tmp_path / "news.duckdb")
    try:
        con.execute("insert into runs (run_id, started_at, status) values "
                    "('dead', timestamp '2026-01-02 03:04:05', 'running'), "
                    "('done', timestamp '2026-01-01 00:00:00', 'published')")
        assert runs.abandon_unfinished(con, "its process died") == ["dead"]
        assert runs.abandon_unfinished(con, "its process died") == []
        status, message, finished = con.execute(
            "select status, message, finished_at is not null from runs where run_id = 'dead'").fetchone()
        assert query_status(con) == [("dead", "abandoned"), ("done", "published")]
    finally:
        con.close()
    assert (status, finished) == ("abandoned", True)
    assert message.startswith("abandoned: its process died (found at ")
    assert message.endswith(" by the next run; started at 2026-01-02 03:04:05)")


def query_status(con) -> list[tuple]:
    return con.execute("select run_id, status from runs order by run_id").fetchall()


def test_staging_folders_left_by_a_dead_run_are_removed_before_the_next(tmp_path):
    from flows.run import remove_stale_staging

    left = tmp_path / ".newsetl-staging-abc123"
    left.mkdir()
    (left / "articles-000001.parquet").write_bytes(b"PAR1")
    kept = tmp_path / "reports"
    kept.mkdir()
    remove_stale_staging(tmp_path / "news.duckdb")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports"]


def feed(path: Path, first: int, count: int) -> list[str]:
    """A JSON Lines feed of ``count`` distinct articles; returns their ids."""
    ids = [f"kill-{n}" for n in range(first, first + count)]
    with path.open("w", encoding="utf-8") as handle:
        for n, article_id in enumerate(ids, start=first):
            handle.write(json.dumps({
                "id": article_id, "title": f"Flooding report {n}", "date": "2026-02-24",
                "text": f"Bulletin {n}. Floods in Manila killed {n % 9 + 2} people on Monday, officials in the "
                        f"Philippines said. The Red Cross in Geneva sent $ {n + 1} million in aid."}) + "\n")
    return ids


@linux_only
@pytest.mark.slow
@pytest.mark.timeout(900)
def test_runs_killed_at_random_moments_leave_no_process_lose_no_row_and_are_marked_by_the_next(tmp_path):
    """kill -9 of `newsetl run` at random moments over 6 runs, each adding a feed of new articles.

    A first run, not killed, measures how long a run takes here; each later run is killed at a random
    moment between its start and 1.2 times that. The seed draws 0.11, 0.32, 0.53, 0.73, 0.95 and 1.09
    of it, so kills land in every stage, and a run may finish."""
    rng = random.Random(20274695)
    db_path, inputs = tmp_path / "news.duckdb", tmp_path / "inputs"
    inputs.mkdir()
    env = {**os.environ, "PYTHONPATH": str(REPO), "NEWSETL_EXTRACT_PROCESSES": "2"}
    env.pop("PREFECT_API_URL", None)
    command = [sys.executable, "-m", "flows.cli", "run", "--input", str(inputs), "--db", str(db_path),
               "--batch-size", "40"]
    expected: list[str] = []
    killed = left_behind = 0
    published_before: set[str] = set()
    took = 0.0
    for attempt in range(7):
        expected += feed(inputs / f"feed-{attempt:02d}.jsonl", attempt * 120, 120)
        run = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True)
        seen: set[int] = set()
        began = time.monotonic()
        deadline = began + (rng.uniform(0.0, 1.2 * took) if attempt else 600)
        while time.monotonic() < deadline and run.poll() is None:
            seen |= descendants(run.pid)
            time.sleep(0.05)
        if run.poll() is None:
            seen |= descendants(run.pid)
            run.send_signal(signal.SIGKILL)
            killed += 1
        run.communicate(timeout=600)
        if not attempt:
            assert run.returncode == 0
            took = time.monotonic() - began
        end = time.monotonic() + 10
        while alive(seen) and time.monotonic() < end:
            time.sleep(0.1)
        left_behind += len(alive(seen))
        if db_path.exists():
            published = {row[0] for row in query(db_path, "select source_id from articles")}
            # the old state or the new one: the articles of every feed so far, or exactly what was there before
            assert published in (published_before, set(expected)), attempt
            published_before = published
    assert killed >= 3, "too few runs were killed to mean anything; change the seed"
    assert left_behind == 0

    final = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert final.returncode == 0, final.stderr
    published = {row[0] for row in query(db_path, "select source_id from articles")}
    assert published == set(expected)  # no row lost
    statuses = [row[0] for row in query(db_path, "select status from runs order by started_at")]
    assert "running" not in statuses
    # a run killed before it opened its row leaves none; every other killed run is marked by the next
    assert 1 <= statuses.count("abandoned") <= killed
    # the last killed run may have published before it died: then the final run finds nothing new
    assert statuses[-1] in ("published", "unchanged")
    assert not list(tmp_path.glob(".newsetl-staging-*"))
    print(f"runs killed {killed}, processes left {left_behind}, rows lost {len(set(expected) - published)}")
