"""Prefect flows, the run's plan and the newsetl CLI.

Nothing here changes the process's environment: the CLI sets its quiet defaults when a command starts
(``flows.cli.QUIET_DEFAULTS``), and worker processes get theirs from ``flows.workers``.
"""

# Articles per extraction batch (one Prefect task each): larger batches amortise per-batch costs.
DEFAULT_BATCH_SIZE = 1000
