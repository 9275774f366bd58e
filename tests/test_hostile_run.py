"""A real run over a folder of hostile input: it publishes every good record, quarantines every bad one with its
file, place and reason, never hangs, and gives the same result whatever the batch size (issue 15)."""

from __future__ import annotations

import json
import os
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from tests.conftest import query

FAR_FUTURE = (date.today() + timedelta(days=800)).isoformat()
REUTERS = ('<REUTERS TOPICS="NO" NEWID="{id}">\n<DATE>26-FEB-1987 15:01:01.79</DATE>\n<TEXT>\n'
           "<TITLE>COCOA {id}</TITLE>\n<BODY>Cocoa prices rose in Bahia, traders in Salvador said on day {id}.\n Reuter\n"
           "</BODY></TEXT>\n</REUTERS>\n")


def hostile_inbox(folder: Path, outside: Path) -> None:
    folder.mkdir()
    lines = [
        json.dumps({"id": "g1", "title": "Floods", "date": "2024-05-06", "text": "Floods displaced 1,200 families in Assam."}),
        '{"id": ' + "7" * 5000 + ', "text": "An id of 5,000 digits."}',
        '{"id": "deep", "text": "Deep.", "x": ' + "[" * 20_000 + "]" * 20_000 + "}",
        '{"id": "surrogate", "text": "Lone \\ud800 surrogate."}',
        json.dumps({"id": "future", "date": FAR_FUTURE, "text": "A story dated far in the future, in Paris."}),
        json.dumps({"id": "old", "date": "1850-03-02", "text": "A story dated 1850, in London."}),
        json.dumps({"id": "dup", "text": "First version of the duplicated id, from Lagos."}),
    ]
    (folder / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "b.jsonl").write_text(json.dumps({"id": "dup", "text": "Second version, from Nairobi."}) + "\n")
    (folder / os.fsdecode(b"caf\xe9.txt")).write_text("Cafe strike\n\nWorkers at cafes in Lisbon walked out.")
    os.mkfifo(folder / "pipe.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    outside.write_text("Private\n\nNot for the warehouse.")
    (folder / "outside.txt").symlink_to(outside)
    (folder / "reut2-000.sgm").write_bytes((REUTERS.format(id=1) + REUTERS.format(id=2)[:70]).encode("latin-1"))
    (folder / "reut2-001.sgm").write_bytes(b"")
    duckdb.connect(str(folder / "other.duckdb")).execute("create table t as select 1 as a").close()


PUBLISHED = ["1", "caf\\xe9.txt", "dup", "future", "g1", "old"]
QUARANTINED = sorted([
    ("a.jsonl", "line 2", '"id" is 5,000 characters long, more than 512', False),
    ("a.jsonl", "line 3", "line nests JSON arrays or objects too deeply to read", False),
    ("a.jsonl", "line 4", '"text" holds an unpaired UTF-16 surrogate (\\ud800 at character 5), which is not valid Unicode text', False),
    ("a.jsonl", "line 5", f"published date {FAR_FUTURE} is in the future (after {date.today() + timedelta(days=1)}): "
                          "published with a NULL date", True),
    ("a.jsonl", "line 6", "published date 1850-03-02 is before 1900: published with a NULL date", True),
    ("b.jsonl", "line 1", "duplicate source_id dup (first seen in {inbox}/a.jsonl line 7)", False),
    ("other.duckdb", "", "a DuckDB database file, not articles: not read", False),
    ("outside.txt", "", "symbolic link to {outside}, outside the inputs: not followed", False),
    ("pipe.txt", "", "a named pipe (FIFO), not a regular file: not read", False),
    ("reut2-000.sgm", "NEWID=2", "Reuters document cut off: no </REUTERS> before the end of the file", False),
    ("reut2-001.sgm", "", "empty file: no text", False),
    ("zero.txt", "", "symbolic link to /dev/zero, outside the inputs: not followed", False),
])


def outcome(db: Path, inbox: Path, outside: Path) -> tuple[list, list]:
    published = [s for (s,) in query(db, "select source_id from articles order by source_id")]
    quarantined = sorted(
        (Path(source).name, locator, reason.replace(str(inbox), "{inbox}").replace(str(outside), "{outside}"), kept)
        for source, locator, reason, kept in query(db, "select source, locator, reason, article_id is not null from quarantine"))
    return published, quarantined


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_a_hostile_folder_publishes_every_good_record_and_quarantines_the_rest(tmp_path):
    from flows.run import run_pipeline

    results = {}
    for batch_size in (500, 1):
        inbox, outside = tmp_path / f"inbox-{batch_size}", tmp_path / f"private-{batch_size}.txt"
        hostile_inbox(inbox, outside)
        # The warehouse and reports live inside the input folder: they must never be read back as input.
        db, reports = inbox / "news.duckdb", inbox / "reports"
        summary = run_pipeline([inbox], db, reports, batch_size, extract_processes=0)
        assert summary.status == "published", summary.message
        published, quarantined = outcome(db, inbox, outside)
        assert published == PUBLISHED
        assert quarantined == QUARANTINED
        assert summary.counts["quarantined"] == sum(not kept for *_, kept in QUARANTINED)
        assert query(db, "select source_id, published_date from articles where source_id in ('future', 'old', 'g1') "
                         "order by source_id") == [("future", None), ("g1", date(2024, 5, 6)), ("old", None)]
        assert query(db, "select body from articles where source_id = 'dup'") == [
            ("First version of the duplicated id, from Lagos.",)]
        again = run_pipeline([inbox], db, reports, batch_size, extract_processes=0)
        assert again.status == "unchanged" and again.counts["quarantined"] == summary.counts["quarantined"]
        results[batch_size] = query(db, "select source_id, content_sha256, published_date from articles order by 1")
    assert results[1] == results[500]
