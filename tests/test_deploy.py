"""prefect.yaml works as its header says: a local Prefect server, `prefect deploy`, a run, a process worker."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, SEEDS, query


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_prefect_yaml_deployed_to_a_local_server_gives_a_completed_run_on_a_process_worker(tmp_path):
    import httpx

    from flows.lifeline import kill_with_parent_preexec
    from flows.serve import stop_group

    bin_dir = Path(sys.executable).parent
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect-home"), "PREFECT_API_URL": api,
           "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", "PREFECT_LOGGING_LEVEL": "INFO"}
    prefect = [sys.executable, "-m", "prefect", "--no-prompt"]
    server = subprocess.Popen([*prefect, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                              env={**env, "PREFECT_API_URL": ""}, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, preexec_fn=kill_with_parent_preexec)
    try:
        deadline = time.monotonic() + 300
        while True:
            assert server.poll() is None, "the Prefect server exited"
            try:
                if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the Prefect server did not start"
            time.sleep(0.5)

        def prefect_cli(*args: str, timeout: float = 300) -> str:
            done = subprocess.run([*prefect, *args], cwd=REPO, env=env, capture_output=True, text=True,
                                  timeout=timeout)
            assert done.returncode == 0, f"prefect {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
            return done.stdout

        db_path, reports = tmp_path / "news.duckdb", tmp_path / "reports"
        prefect_cli("work-pool", "create", "newsetl", "--type", "process")
        prefect_cli("deploy", "--all", "--params", json.dumps(
            {"inputs": [str(SEEDS)], "db_path": str(db_path), "report_dir": str(reports)}))
        prefect_cli("deployment", "run", "newsetl-scheduled/newsetl-worker")
        worker = prefect_cli("worker", "start", "--pool", "newsetl", "--run-once", timeout=600)

        from prefect import get_client
        from prefect.settings import PREFECT_API_URL, PREFECT_HOME, temporary_settings

        with temporary_settings(updates={PREFECT_API_URL: api, PREFECT_HOME: tmp_path / "prefect-home"}):
            with get_client(sync_client=True) as client:
                deployment = client.read_deployment_by_name("newsetl-scheduled/newsetl-worker")
                runs = client.read_flow_runs()
        mine = [run.state.type.value for run in runs if run.deployment_id == deployment.id]
        # the run triggered now, completed; the cron's next runs, scheduled
        assert sorted(set(mine)) == ["COMPLETED", "SCHEDULED"] and mine.count("COMPLETED") == 1, worker
        assert [s.schedule.cron for s in deployment.schedules] == ["0 6 * * *"]
        assert query(db_path, "select status, published from runs") == [("published", True)]
        assert query(db_path, "select count(*) from articles") == [(1,)]
    finally:
        stop_group(server)
