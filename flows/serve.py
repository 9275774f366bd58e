"""Scheduled runs: the newsetl flow as a Prefect deployment with a cron schedule.

``newsetl serve --cron ...`` serves it from this process (``Flow.serve``); ``prefect.yaml``
deploys the same flow to a work pool for those who run a Prefect server and workers. Either
way a scheduled run takes the warehouse lock first, so runs that overlap (a slow run and the
next tick, or a manual ``newsetl run``) never write the warehouse at the same time: the later
one fails at once with the busy-warehouse message, or waits ``wait_seconds`` for the lock.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from prefect import flow, get_run_logger
from prefect.deployments.runner import RunnerDeployment

from flows import DEFAULT_BATCH_SIZE
from flows.lifeline import kill_with_parent_preexec, watching_parent
from flows.lock import hold
from flows.run import run_pipeline
from flows.summary import RunSummary

# `newsetl serve`'s deployment; prefect.yaml's is "newsetl-worker", so the two never overwrite each other.
DEPLOYMENT_NAME = "newsetl-serve"


class RunNotPublished(RuntimeError):
    """Validation blocked the publish: the scheduled run is marked Failed so that it is noticed."""


@flow(name="newsetl-scheduled", log_prints=True)
def newsetl_scheduled(inputs: list[str] | None = None, db_path: str = "data/news.duckdb",
                      report_dir: str = "data/reports", batch_size: int = DEFAULT_BATCH_SIZE,
                      wait_seconds: float = 0) -> RunSummary:
    """Take the warehouse lock, then run the newsetl flow (as a subflow) on the inputs; log what it did."""
    logger = get_run_logger()
    db_file = Path(db_path)
    with watching_parent(), hold(db_file, wait_seconds):
        summary = run_pipeline([Path(p) for p in inputs or ["seeds"]], db_file, Path(report_dir), batch_size,
                               prefect=True)
    counts = summary.counts
    if summary.status == "unchanged":
        logger.info("nothing new: %s articles read, 0 new, 0 changed (%s)", f"{counts.get('articles_read', 0):,}",
                    summary.message)
    else:
        logger.info("%s: %s read, %s new, %s changed, %s quarantined, %s mentions, %s places, %s figures; "
                    "validation %s; report %s", summary.status, *(f"{counts.get(k, 0):,}" for k in (
                        "articles_read", "articles_new", "articles_changed", "quarantined", "mentions", "places",
                        "figures")), summary.validation, summary.report_path)
    if not summary.ok:
        raise RunNotPublished(summary.message)
    return summary


def parameters(inputs: list[Path], db_path: Path, report_dir: Path, batch_size: int) -> dict:
    """Deployment parameters; paths are made absolute so runs do not depend on the worker's directory."""
    return {
        "inputs": [str(p.resolve()) for p in inputs],
        "db_path": str(db_path.resolve()),
        "report_dir": str(report_dir.resolve()),
        "batch_size": batch_size,
    }


def deployment(cron: str, inputs: list[Path], db_path: Path, report_dir: Path, batch_size: int = DEFAULT_BATCH_SIZE,
               name: str = DEPLOYMENT_NAME) -> RunnerDeployment:
    return newsetl_scheduled.to_deployment(
        name=name, cron=cron, parameters=parameters(inputs, db_path, report_dir, batch_size),
        description="newsetl: ingest, extract, validate and publish articles on a schedule.",
        tags=["newsetl"],
    )


def serve(cron: str, inputs: list[Path], db_path: Path, report_dir: Path, batch_size: int = DEFAULT_BATCH_SIZE,
          name: str = DEPLOYMENT_NAME) -> None:
    """Register the deployment and run its scheduled runs from this process until interrupted."""
    newsetl_scheduled.serve(
        name=name, cron=cron, parameters=parameters(inputs, db_path, report_dir, batch_size),
        description="newsetl: ingest, extract, validate and publish articles on a schedule.",
        tags=["newsetl"],
        limit=1,  # one run at a time from this process; the lock covers every other writer
    )


class ServerStartError(RuntimeError):
    """The local Prefect server did not become healthy in time."""


@contextmanager
def local_prefect_server(port: int = 4200, timeout: float = 180.0):
    """Run ``prefect server start`` (API, UI and scheduler) on localhost for the life of the block, with
    PREFECT_API_URL pointing at it; yields its API URL.

    Prefect's temporary server has no scheduler, so ``newsetl serve`` without a configured
    PREFECT_API_URL brings up a real local one. The server dies with this process, even on kill -9
    (``flows.lifeline``), and is stopped (SIGTERM to its process group, then SIGKILL) when the block ends.
    """
    import httpx
    from prefect.settings import PREFECT_API_URL, temporary_settings

    url = f"http://127.0.0.1:{port}/api"
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(command, env={**os.environ, "PREFECT_API_URL": ""}, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, preexec_fn=kill_with_parent_preexec)
    try:
        deadline = time.monotonic() + timeout
        with httpx.Client() as client:
            while True:
                if server.poll() is not None:
                    raise ServerStartError(f"the local Prefect server exited with code {server.returncode} "
                                           f"(is port {port} in use? pass --port)")
                try:
                    if client.get(f"{url}/health").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise ServerStartError(f"the local Prefect server did not answer on {url} within {timeout:.0f} s")
                time.sleep(0.2)
        with temporary_settings(updates={PREFECT_API_URL: url}):
            yield url
    finally:
        stop_group(server)


def stop_group(process: subprocess.Popen, grace: float = 20.0) -> None:
    """SIGTERM to the process's group (it leads one), then SIGKILL to the group after ``grace`` seconds."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass
