"""Prefect flows and the newsetl CLI."""

import os

# Quiet, offline defaults; set before Prefect or GX are imported. Users can override them.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("DO_NOT_TRACK", "1")
# The temporary local API can take long to start on a busy 2-core machine.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")

# Articles per extraction batch (one Prefect task each): larger batches amortise per-batch costs.
DEFAULT_BATCH_SIZE = 1000
