"""Operating newsetl: scheduled runs through a Prefect deployment, one writer at a time, crash safety."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO, SEEDS, query
from tests.test_lifecycle import alive, descendants

pytestmark = pytest.mark.slow  # the real CLI in child processes, Prefect servers and workers

NEWSETL = [sys.executable, "-m", "flows.cli"]
PUBLISHED = ("articles", "entities", "mentions", "places", "figures")
BUSY = "is in use by another run"


def newsetl(*args: str, **popen) -> subprocess.Popen:
    """Start the real CLI in a child process, against the test harness's Prefect API when there is one."""
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    if PREFECT_API_URL.value():
        env["PREFECT_API_URL"] = PREFECT_API_URL.value()
    return subprocess.Popen([*NEWSETL, *args], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, **popen)


def published_state(db_path: Path) -> dict[str, list[tuple]]:
    return {table: query(db_path, f"select * from {table} order by all") for table in PUBLISHED}


def test_second_run_while_the_first_holds_the_lock_exits_2_with_a_clear_message(tmp_path):
    from flows.lock import hold

    db_path = tmp_path / "news.duckdb"
    with hold(db_path):  # this test process is the first run
        second = newsetl("run", "--input", str(SEEDS), "--db", str(db_path), "--report-dir", str(tmp_path / "r"))
        _, stderr = second.communicate(timeout=120)
        waited = newsetl("run", "--db", str(db_path), "--wait", "1")
        _, waited_stderr = waited.communicate(timeout=120)
    assert second.returncode == 2
    message = " ".join(stderr.split())
    assert f"warehouse {db_path} {BUSY} (newsetl pid {os.getpid()} since" in message
    assert "try again when it has finished" in message
    assert waited.returncode == 2 and BUSY in " ".join(waited_stderr.split())
    assert not db_path.exists()  # refused before touching the warehouse


def test_a_writer_holding_duckdb_itself_gets_the_same_message(tmp_path):
    db_path = tmp_path / "news.duckdb"
    with duckdb.connect(str(db_path)):  # e.g. a notebook with the warehouse open for writing
        second = newsetl("run", "--db", str(db_path), "--report-dir", str(tmp_path / "r"))
        _, stderr = second.communicate(timeout=120)
    assert second.returncode == 2
    assert f"warehouse {db_path} {BUSY} (pid {os.getpid()})" in " ".join(stderr.split())


def big_feed(path: Path, articles: int) -> Path:
    """A JSON Lines feed of distinct articles made from the seed's body."""
    seed_lines = (SEEDS / "000_bd22b0fa7cd20e9b.txt").read_text(encoding="utf-8").split("\n", 2)
    body = seed_lines[2].strip()
    with path.open("w", encoding="utf-8") as handle:
        for n in range(articles):
            handle.write(json.dumps({"id": f"bulk-{n}", "title": f"Operation report {n}", "date": "2026-02-24",
                                     "text": f"Bulletin {n}. {body}"}) + "\n")
    return path


@pytest.mark.timeout(600)
def test_run_killed_mid_way_leaves_published_tables_as_they_were_and_the_next_run_succeeds(
        seed_db, prefect_server, tmp_path):
    from flows.lock import hold

    db_path = tmp_path / "news.duckdb"
    shutil.copy(seed_db, db_path)
    before = published_state(db_path)
    feed = big_feed(tmp_path / "bulk.jsonl", 3000)
    wal = Path(f"{db_path}.wal")
    victim = newsetl("run", "--input", str(feed), "--db", str(db_path), "--report-dir", str(tmp_path / "r"),
                     "--batch-size", "50", start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        # Staged batches go to DuckDB's write-ahead log; a few hundred KB means staging is well under way.
        while not (wal.exists() and wal.stat().st_size > 400_000):
            assert victim.poll() is None, f"run ended before it could be killed: {victim.communicate()}"
            assert time.monotonic() < deadline, "staging never started"
            time.sleep(0.2)
        assert victim.poll() is None
        os.killpg(victim.pid, signal.SIGKILL)  # the CLI and anything it started
    finally:
        if victim.poll() is None:
            os.killpg(victim.pid, signal.SIGKILL)
        victim.communicate(timeout=60)
    assert victim.returncode == -signal.SIGKILL

    assert published_state(db_path) == before
    assert query(db_path, "select status from runs order by started_at") == [("published",), ("running",)]
    with hold(db_path):  # the kernel released the dead run's lock
        pass
    small = tmp_path / "small"
    small.mkdir()
    big_feed(small / "feed.jsonl", 2)
    after = newsetl("run", "--input", str(small), "--db", str(db_path), "--report-dir", str(tmp_path / "r"))
    stdout, stderr = after.communicate(timeout=300)
    assert after.returncode == 0, stderr
    assert "published" in stdout
    assert query(db_path, "select count(*) from articles") == [(3,)]
    assert query(db_path, "select status from runs order by started_at") == [
        ("published",), ("abandoned",), ("published",)]


@pytest.mark.timeout(600)
def test_deployment_is_registered_with_its_cron_and_a_triggered_run_publishes(prefect_server, tmp_path):
    from prefect import get_client
    from prefect.flow_engine import run_flow

    from flows import serve

    db_path, reports = tmp_path / "news.duckdb", tmp_path / "reports"
    deployment = serve.deployment("0 6 * * *", [SEEDS], db_path, reports, batch_size=100, name="nightly")
    deployment_id = deployment.apply()

    with get_client(sync_client=True) as client:
        registered = client.read_deployment(deployment_id)
        assert registered.name == "nightly"
        assert [s.schedule.cron for s in registered.schedules] == ["0 6 * * *"]
        assert all(s.active for s in registered.schedules)
        assert registered.parameters == {"inputs": [str(SEEDS)], "db_path": str(db_path), "report_dir": str(reports),
                                         "batch_size": 100}
        flow_run = client.create_flow_run_from_deployment(deployment_id)

    # Execute the triggered run here, as a worker or `newsetl serve` would.
    state = run_flow(serve.newsetl_scheduled, flow_run=flow_run, parameters=flow_run.parameters, return_type="state")
    assert state.is_completed(), state

    with get_client(sync_client=True) as client:
        finished = client.read_flow_run(flow_run.id)
        assert finished.deployment_id == deployment_id and finished.state.is_completed()
    assert query(db_path, "select status, published from runs") == [("published", True)]
    assert query(db_path, "select count(*) from articles") == [(1,)]
    assert (reports / "index.html").exists()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_without_a_server_starts_one_and_its_schedule_publishes(tmp_path):
    """`newsetl serve` on a laptop: no PREFECT_API_URL, so it brings up a local server whose scheduler runs the flow."""
    db_path, reports = tmp_path / "news.duckdb", tmp_path / "reports"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PYTHONPATH=str(REPO), PREFECT_HOME=str(tmp_path / "prefect-home"), PREFECT_API_URL="")
    process = subprocess.Popen(
        [*NEWSETL, "serve", "--cron", "* * * * *", "--input", str(SEEDS), "--db", str(db_path),
         "--report-dir", str(reports), "--port", str(_free_port())],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 240
        published = False
        while time.monotonic() < deadline and process.poll() is None and not published:
            time.sleep(3)
            if db_path.exists():
                try:
                    published = query(db_path, "select count(*) from runs where status = 'published'")[0][0] > 0
                except duckdb.Error:  # the scheduled run is writing right now
                    pass
        assert published, f"no scheduled run published; serve output:\n{process.stdout.read() if process.poll() is not None else ''}"
        assert query(db_path, "select count(*) from articles")[0][0] == 1
        # One Ctrl-C (SIGINT to the foreground process group, as a terminal sends it) stops serve and the local
        # server it started in a process group of its own: nothing is left running.
        started = descendants(process.pid) | {process.pid}
        os.killpg(process.pid, signal.SIGINT)
        output, _ = process.communicate(timeout=90)
        assert process.returncode == 0, output
        deadline = time.monotonic() + 10
        while alive(started) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert alive(started) == set(), output
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)  # Ctrl-C: serve stops its local server on the way out
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def _session_alive(session: int) -> set[int]:
    """Live processes of a session (a terminal's processes): zombies awaiting their reaper do not count."""
    members = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.getsid(int(entry)) == session:
                    members.add(int(entry))
            except OSError:
                pass
    return alive(members)


@pytest.mark.timeout(300)
def test_ctrl_c_typed_in_a_terminal_stops_a_run_at_once_with_one_line_and_leaves_no_process(tmp_path):
    """Ctrl-C reaches every process of the terminal's foreground group, extraction workers included (whose
    polars import installs its own SIGINT handler); the run stops within seconds, says so in one line, and
    leaves nothing running and nothing published."""
    import pty
    import select

    feed = big_feed(tmp_path / "bulk.jsonl", 1500)  # over 2 MiB: extraction runs in worker processes
    db_path = tmp_path / "news.duckdb"
    wal = Path(f"{db_path}.wal")
    pid, terminal = pty.fork()
    if pid == 0:  # the child: the CLI on the pseudo-terminal, as a user starts it
        os.chdir(REPO)
        os.execve(sys.executable, [*NEWSETL, "run", "--input", str(feed), "--db", str(db_path), "--report-dir",
                                   str(tmp_path / "r"), "--batch-size", "100"], {**os.environ, "PYTHONPATH": str(REPO)})
    output, typed_at, status = b"", None, None
    deadline = time.monotonic() + 240
    while status is None and time.monotonic() < deadline:
        if typed_at is None and wal.exists() and wal.stat().st_size > 100_000:  # workers are extracting
            os.write(terminal, b"\x03")
            typed_at = time.monotonic()
        if select.select([terminal], [], [], 0.05)[0]:
            try:
                output += os.read(terminal, 65536)
            except OSError:
                pass
        done, raw = os.waitpid(pid, os.WNOHANG)
        if done:
            status = os.waitstatus_to_exitcode(raw)
    if status is None:
        os.killpg(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    text = output.decode(errors="replace")
    assert typed_at is not None, f"the run ended before staging began: {text[-2000:]}"
    assert status == 130, text[-2000:]
    assert time.monotonic() - typed_at < 10
    assert "newsetl: run stopped; nothing of it was published" in text
    assert "Traceback" not in text
    time.sleep(1)
    assert _session_alive(pid) == set()
    assert query(db_path, "select status from runs") == [("failed",)]
    assert query(db_path, "select count(*) from articles") == [(0,)]
