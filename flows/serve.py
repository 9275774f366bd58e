"""Scheduled runs: the newsetl flow as a Prefect deployment with a cron schedule.

``newsetl serve --cron ...`` serves it from this process (``Flow.serve``); ``prefect.yaml``
deploys the same flow to a work pool for those who run a Prefect server and workers. Either
way a scheduled run takes the warehouse lock first, so runs that overlap (a slow run and the
next tick, or a manual ``newsetl run``) never write the warehouse at the same time: the later
one fails at once with the busy-warehouse message, or waits ``wait_seconds`` for the lock.
"""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from prefect import flow
from prefect.deployments.runner import RunnerDeployment

from flows.lock import hold
from flows import DEFAULT_BATCH_SIZE
from flows.api_process import prefect_api_process
from flows.pipeline import RunSummary, newsetl_run

DEPLOYMENT_NAME = "newsetl"


class RunNotPublished(RuntimeError):
    """Validation blocked the publish: the scheduled run is marked Failed so that it is noticed."""


@flow(name="newsetl-scheduled", log_prints=False)
def newsetl_scheduled(inputs: list[str] | None = None, db_path: str = "warehouse/news.duckdb",
                      report_dir: str = "reports", batch_size: int = DEFAULT_BATCH_SIZE, wait_seconds: float = 0) -> RunSummary:
    """Take the warehouse lock, then run the newsetl flow (as a subflow) on the inputs."""
    with hold(Path(db_path), wait_seconds):
        summary = newsetl_run(inputs or ["seeds"], db_path, report_dir, batch_size)
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
    """Start ``prefect server start`` (API, UI and scheduler) on localhost for the life of the block.

    Prefect's temporary in-process server has no scheduler, so ``newsetl serve`` without a
    configured PREFECT_API_URL brings up a real local one and stops it on exit.
    """
    command = [str(Path(sys.executable).with_name("prefect")), "server", "start", "--host", "127.0.0.1",
               "--port", str(port)]
    with prefect_api_process(command, {**os.environ, "PREFECT_API_URL": ""}, f"http://127.0.0.1:{port}/api",
                             timeout, stop_timeout=20, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL) as ready:
        ready.join()
        if ready.error:
            raise ServerStartError(str(ready.error))
        yield ready.url
