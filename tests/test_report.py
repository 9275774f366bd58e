"""The run report, index.html: the run's figures, plots drawn offline, article text escaped."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow  # a real run, and headless Chromium

HOSTILE_TITLE = "<script>document.body.setAttribute('data-pwned','1')</script> Clashes in Lagos"
ARTIFACTS = REPO / "test-artifacts"


@pytest.fixture(scope="module")
def report(seed_db, tmp_path_factory) -> Path:
    """The seed warehouse plus one article whose title carries a script, published by a real run."""
    from flows.run import run_pipeline

    root = tmp_path_factory.mktemp("report")
    db_path = root / "news.duckdb"
    shutil.copy(seed_db, db_path)
    feed = root / "in"
    feed.mkdir()
    (feed / "feed.jsonl").write_text(json.dumps({
        "id": "lagos-1", "title": HOSTILE_TITLE, "date": "2026-02-25",
        "text": "Police in Lagos arrested two men after clashes in Ikeja, officials said. "
                "Three people were killed and four were wounded, the police said.",
    }) + "\n", encoding="utf-8")
    summary = run_pipeline([feed], db_path, root / "reports", 500)
    assert summary.status == "published", summary.message
    report.db_path = db_path
    return summary.report_path


def test_article_text_is_escaped(report):
    html = report.read_text(encoding="utf-8")
    assert "&lt;script&gt;document.body.setAttribute(&#39;data-pwned&#39;,&#39;1&#39;)&lt;/script&gt; Clashes in Lagos" in html
    assert "<script" not in html  # the report itself needs no scripts either


def test_report_shows_the_run_plots_and_history(report):
    html = report.read_text(encoding="utf-8")
    assert 'id="run-status">published<' in html
    assert '<div class="figure" data-name="articles_new"><b>1</b>' in html
    for section in ('id="casualties-plot"', 'id="entities-plot"', 'id="map-svg"', 'id="history"'):
        assert section in html
    assert "Tapalpa" in html and "Lagos" in html
    assert html.count('class="published">published<') == 2  # the seed run and this one
    assert "http://" not in html and "https://" not in html  # nothing fetched when the page is opened


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        pytest.skip("chromium is not installed (.ci/run installs it)")
    return subprocess.run(
        [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
         f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=180, check=False)


@pytest.mark.timeout(420)
def test_report_renders_in_headless_chromium(report, tmp_path):
    url = report.resolve().as_uri()
    dom = chromium("--dump-dom", url, profile=tmp_path / "profile").stdout
    assert 'id="run-status">published<' in dom
    assert '<div class="figure" data-name="articles_read"><b>1</b>' in dom
    assert "Tapalpa" in dom and "Lagos" in dom
    assert 'data-pwned="1"' not in dom  # the title's script never ran
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / "report.png"
    screenshot.unlink(missing_ok=True)
    chromium(f"--screenshot={screenshot}", "--window-size=1200,2000", url, profile=tmp_path / "profile")
    assert screenshot.exists() and screenshot.stat().st_size > 20_000
