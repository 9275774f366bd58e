"""The ``newsetl-run`` Prefect flow: the run's plan (``flows.plan``) with its steps as Prefect tasks."""

from __future__ import annotations

import os
import uuid

from prefect import flow
from prefect.runtime import flow_run
from prefect.task_runners import ThreadPoolTaskRunner

from flows import DEFAULT_BATCH_SIZE
from flows.plan import IN_FLIGHT, execute
from flows.summary import RunSummary
from flows.tasks import PREFECT


@flow(name="newsetl-run", task_runner=ThreadPoolTaskRunner(max_workers=IN_FLIGHT), log_prints=False)
def newsetl_run(inputs: list[str], db_path: str, report_dir: str, batch_size: int = DEFAULT_BATCH_SIZE,
                fingerprint: str | None = None, spill_batches: bool = True) -> RunSummary:
    """Read, extract, validate and publish ``inputs`` into the warehouse at ``db_path`` (see ``flows.plan``)."""
    return execute(PREFECT, str(flow_run.id or uuid.uuid4()), inputs, db_path, report_dir, batch_size,
                   fingerprint, spill_batches)


def task_runner(kind: str = "threads", dask_address: str | None = None):
    """The Prefect task runner for extraction batches: local threads, or Dask (a local cluster without an address)."""
    if kind == "threads":
        return ThreadPoolTaskRunner(max_workers=IN_FLIGHT)
    if kind == "dask":
        from prefect_dask import DaskTaskRunner

        if dask_address:
            return DaskTaskRunner(address=dask_address)
        return DaskTaskRunner(cluster_kwargs={"n_workers": os.cpu_count() or 1, "threads_per_worker": 1,
                                              "processes": True, "dashboard_address": None})
    raise ValueError(f"unknown task runner {kind!r}: use threads or dask")
