"""The run report: ``<report dir>/index.html``, one page on this run and the history, beside GX Data Docs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
from jinja2 import Environment, FileSystemLoader, select_autoescape

if TYPE_CHECKING:
    from flows.pipeline import RunSummary

_TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html", "j2"], default=True),
)


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def write_report(con: duckdb.DuckDBPyConnection, run_id: str, report_dir: Path, summary: "RunSummary") -> Path:
    checks = _rows(
        con,
        "select suite, expectation, column_name, critical, success, unexpected_count, details "
        "from dq_results where run_id = ? order by success, suite, expectation",
        [run_id],
    )
    for check in checks:
        details = json.loads(check["details"]) if check["details"] else {}
        check["failing_rows"] = details.get("failing_rows", [])[:10]
    quarantine = _rows(
        con,
        "select reason, count(*) as n, any_value(source) as example_source, any_value(locator) as example_locator "
        "from quarantine where run_id = ? group by reason order by n desc limit 50",
        [run_id],
    )
    history = _rows(
        con,
        "select run_id, started_at, finished_at, status, articles_read, articles_new, articles_changed, "
        "articles_unchanged, quarantined, published from runs order by started_at desc limit 30",
    )
    data_docs = report_dir / "data_docs" / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"
    html = _TEMPLATES.get_template("index.html.j2").render(
        summary=summary,
        checks=checks,
        quarantine=quarantine,
        history=history,
        data_docs=data_docs.relative_to(report_dir) if data_docs.exists() else None,
    )
    path = report_dir / "index.html"
    path.write_text(html, encoding="utf-8")
    return path
