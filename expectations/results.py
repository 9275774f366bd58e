"""Write validation outcomes to the warehouse's ``dq_results`` table."""

from __future__ import annotations

import json

import duckdb

from expectations.runner import ValidationReport


def record_validation(con: duckdb.DuckDBPyConnection, run_id: str, report: ValidationReport) -> None:
    rows = [
        (run_id, o.suite, o.expectation, o.column, o.critical, o.success, o.unexpected_count, json.dumps(o.details))
        for o in report.outcomes
    ]
    if rows:
        con.executemany("insert into dq_results values (?, ?, ?, ?, ?, ?, ?, ?)", rows)
