"""The ``runs`` table: one row per run, opened at the start and closed at the end."""

from __future__ import annotations

import duckdb

from transforms.version import extractor_version, newsetl_version
from warehouse.migrate import schema_version


def open_run(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """Insert the run's row, ``running``, with the schema, package and extractor versions it writes with."""
    con.execute(
        "insert into runs (run_id, started_at, status, schema_version, newsetl_version, extractor_version) "
        "values (?, current_timestamp, 'running', ?, ?, ?)",
        [run_id, schema_version(), newsetl_version(), extractor_version()],
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


def record_fingerprint(con: duckdb.DuckDBPyConnection, run_id: str, fingerprint: str) -> None:
    con.execute("insert or replace into input_fingerprints values (?, ?)", [run_id, fingerprint])


def repeat_of(con: duckdb.DuckDBPyConnection, fingerprint: str) -> dict | None:
    """The latest run when it finished (published or unchanged) on inputs with this fingerprint, else None.

    Its inputs are byte for byte today's and nothing has been published since, so a full run
    would find every article unchanged and quarantine the same records.
    """
    cursor = con.execute(
        """
        select r.* from (select * from runs order by started_at desc limit 1) r
        join input_fingerprints f using (run_id)
        where f.fingerprint = ? and r.status in ('published', 'unchanged')
        """,
        [fingerprint],
    )
    row = cursor.fetchone()
    return dict(zip([d[0] for d in cursor.description], row)) if row else None


def repeat_run(con: duckdb.DuckDBPyConnection, run_id: str, previous: dict) -> dict[str, int]:
    """Open ``run_id`` as a repeat of ``previous``: its quarantine rows again; returns the run's counts."""
    open_run(con, run_id)
    con.execute("insert into quarantine (run_id, source, locator, reason, raw, article_id) "
                "select ?, source, locator, reason, raw, article_id from quarantine where run_id = ?",
                [run_id, previous["run_id"]])
    accepted = previous["articles_new"] + previous["articles_changed"] + previous["articles_unchanged"]
    return {"articles_read": previous["articles_read"], "articles_new": 0, "articles_changed": 0,
            "articles_unchanged": accepted, "quarantined": previous["quarantined"],
            "mentions": 0, "places": 0, "figures": 0}


def abandon_unfinished(con: duckdb.DuckDBPyConnection, why: str) -> list[str]:
    """Mark every run still ``running`` as ``abandoned``, with when it was found and why; returns their ids.

    Called by a run holding the warehouse lock, before it starts: no other run can be running,
    so such a row belongs to a run whose process died (kill -9, a crash, power loss).
    """
    rows = con.execute(
        "update runs set status = 'abandoned', finished_at = current_timestamp, "
        "message = 'abandoned: ' || ? || ' (found at ' || strftime(current_timestamp, '%Y-%m-%d %H:%M:%S') || "
        "' by the next run; started at ' || strftime(started_at, '%Y-%m-%d %H:%M:%S') || ')' "
        "where status = 'running' returning run_id",
        [why],
    ).fetchall()
    return [row[0] for row in rows]
