"""The ``runs`` table: one row per run, opened at the start and closed at the end."""

from __future__ import annotations

import duckdb


def open_run(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    con.execute(
        "insert into runs (run_id, started_at, status) values (?, current_timestamp, 'running')", [run_id]
    )


def close_run(con: duckdb.DuckDBPyConnection, run_id: str, status: str, counts: dict, message: str | None,
              report_path: str | None) -> None:
    columns = [
        "articles_read", "articles_new", "articles_changed", "articles_unchanged", "quarantined",
        "mentions", "places", "figures", "published",
    ]
    assignments = ", ".join(f"{c} = ?" for c in columns)
    con.execute(
        f"update runs set finished_at = current_timestamp, status = ?, message = ?, report_path = ?, {assignments} "
        "where run_id = ?",
        [status, message, report_path, *[counts.get(c, 0) for c in columns], run_id],
    )


def record_stages(con: duckdb.DuckDBPyConnection, run_id: str, stages: list[tuple[str, int, int, float, float]]) -> None:
    """One ``run_stages`` row per stage: (stage, calls, articles, wall_seconds, cpu_seconds)."""
    if stages:
        con.executemany("insert or replace into run_stages values (?, ?, ?, ?, ?, ?)", [(run_id, *row) for row in stages])
