"""Data Docs: one self-contained HTML page of a run's validation results, rendered by us.

Great Expectations' own Data Docs load CSS and scripts from a CDN (so they break offline)
and show failing values without escaping them (an article id ``<script>…</script>`` that
fails a uniqueness check runs in the reader's browser). This page is rendered from the
``ValidationReport`` with a Jinja template that escapes every value, carries its CSS
inline and has no script at all, so it works from ``file://`` with no network.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader, select_autoescape

if TYPE_CHECKING:
    from expectations.outcomes import ValidationReport

TEMPLATES_DIR = Path(__file__).parent / "templates"
_TEMPLATES = Environment(loader=FileSystemLoader(TEMPLATES_DIR), autoescape=select_autoescape(default=True))
PAGE = "index.html"


def _suites(report: "ValidationReport") -> list[dict]:
    suites: dict[str, dict] = {}
    for outcome in report.outcomes:
        suite = suites.setdefault(outcome.suite, {"name": outcome.suite, "outcomes": [], "failed": 0,
                                                  "rows": outcome.details.get("element_count")})
        suite["outcomes"].append({
            "expectation": outcome.expectation,
            "column": outcome.column,
            "critical": outcome.critical,
            "success": outcome.success,
            "unexpected_count": outcome.unexpected_count,
            "kwargs": json.dumps(outcome.details.get("kwargs", {}), ensure_ascii=False, default=str),
            "failing_rows": [json.dumps(row, ensure_ascii=False, default=str)
                             for row in outcome.details.get("failing_rows", [])],
            "exception": outcome.details.get("exception"),
        })
        suite["failed"] += not outcome.success
    return list(suites.values())


def render(report: "ValidationReport", directory: Path) -> Path:
    """Write ``directory/index.html`` for ``report`` and return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    page = directory / PAGE
    html = _TEMPLATES.get_template("data_docs.html.j2").render(
        passed=report.passed, summary=report.summary(), suites=_suites(report),
        generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"),
    )
    temporary = page.with_name(f".{PAGE}.tmp")
    temporary.write_text(html, encoding="utf-8")
    temporary.replace(page)
    return page
