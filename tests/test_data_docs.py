"""Data Docs and the run report escape every value they show and load nothing from the network."""

from __future__ import annotations

import json
import re

import pytest

from warehouse import loader
from warehouse.db import connect

HOSTILE_ID = "<script>alert(1)</script>"
HOSTILE_TITLE = '<img src=x onerror="alert(2)">'


def assert_inert(html: str) -> None:
    """No script, no event handler from data, nothing fetched from elsewhere."""
    assert "<script" not in html.lower()
    assert "<img src=x" not in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html), "loads something from the network"
    assert "cdn" not in html.lower()


@pytest.fixture
def staged_with_a_hostile_duplicate(tmp_path):
    con = connect(tmp_path / "news.duckdb")
    loader.reset_staging(con)
    for source_id in ("a", "b"):
        con.execute("insert into staging.articles values (?, ?, ?, 'Body text.', null, null, ?, 'new')",
                    [HOSTILE_ID, source_id, HOSTILE_TITLE, f"sha-{source_id}"])
    loader.finish_staging(con)
    yield con
    con.close()


def test_data_docs_render_hostile_failing_values_as_text(tmp_path):
    from expectations import data_docs
    from expectations.runner import ExpectationOutcome, ValidationReport

    report = ValidationReport([ExpectationOutcome(
        "articles", "expect_column_values_to_be_unique", "article_id", True, False, 2,
        {"kwargs": {}, "element_count": 2, "failing_rows": [{"article_id": HOSTILE_ID}, {"article_id": HOSTILE_TITLE}]})])
    html = data_docs.render(report, tmp_path).read_text(encoding="utf-8")
    assert_inert(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x onerror=" in html


@pytest.mark.slow  # Great Expectations takes seconds to import and configure
def test_data_docs_show_a_hostile_duplicate_id_escaped_and_offline(staged_with_a_hostile_duplicate, tmp_path):
    from expectations.runner import Validation

    validation = Validation(tmp_path / "reports" / "data_docs")
    report = validation.run(staged_with_a_hostile_duplicate)
    validation.build_docs(report)
    assert not report.passed
    [unique] = [o for o in report.outcomes if o.expectation == "expect_column_values_to_be_unique" and o.column == "article_id"]
    assert unique.unexpected_count == 2 and {row["article_id"] for row in unique.details["failing_rows"]} == {HOSTILE_ID}
    pages = sorted((tmp_path / "reports" / "data_docs").rglob("*.html"))
    for page in pages:
        assert_inert(page.read_text(encoding="utf-8"))
    assert pages == [tmp_path / "reports" / "data_docs" / "index.html"] == [report.data_docs]
    html = report.data_docs.read_text(encoding="utf-8")
    assert_inert(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "expect_column_values_to_be_unique" in html and "failed" in html


def test_the_run_report_escapes_titles_reasons_and_failing_rows(tmp_path):
    from flows.pipeline import RunSummary
    from flows.report import write_report

    con = connect(tmp_path / "news.duckdb")
    con.execute("insert into runs (run_id, started_at, status) values ('r1', current_timestamp, 'running')")
    con.execute("insert into articles (article_id, source_id, title, body, content_sha256, first_run_id, last_run_id) "
                "values ('a1', ?, ?, 'Body.', 'sha', 'r1', 'r1')", [HOSTILE_ID, HOSTILE_TITLE])
    con.execute("insert into quarantine (run_id, source, locator, reason, raw) values ('r1', ?, 'line 1', ?, ?)",
                [HOSTILE_TITLE, f"duplicate source_id {HOSTILE_ID}", HOSTILE_ID])
    con.execute("insert into dq_results values ('r1', 'articles', 'expect_column_values_to_be_unique', 'article_id', "
                "true, false, 2, ?)", [json.dumps({"failing_rows": [{"article_id": HOSTILE_ID}]})])
    summary = RunSummary("r1", "blocked", {"articles_new": 1, "articles_changed": 0}, "1 failed",
                         message=f"validation failed: {HOSTILE_ID}")
    (tmp_path / "reports").mkdir()
    html = write_report(con, "r1", tmp_path / "reports", summary).read_text(encoding="utf-8")
    con.close()
    assert_inert(html)
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3
