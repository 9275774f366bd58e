"""The run's steps (``flows.steps``) as batch-level Prefect tasks, for orchestrated runs."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from flows import steps

ingest_batch = task(steps.ingest, name="ingest_batch", cache_policy=NO_CACHE, retries=0)
extract_batch = task(steps.extract, name="extract_batch", cache_policy=NO_CACHE)
load_staging = task(steps.load_staging, name="load_staging", cache_policy=NO_CACHE)
validate_staging = task(steps.validate, name="validate", cache_policy=NO_CACHE)
publish = task(steps.publish, name="publish", cache_policy=NO_CACHE)

PREFECT = steps.Steps(ingest=ingest_batch, submit_extract=extract_batch.submit, load_staging=load_staging,
                      validate=validate_staging, publish=publish)
