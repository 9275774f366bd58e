"""Hostile and broken input: every bad record is quarantined with its reason, every good one is read.

Each case here made the whole run fail, hang or lose records silently before the readers
quarantined row by row (issue 15).
"""

from __future__ import annotations

import json
import os
import socket
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest

from transforms.parse import parse_articles, records_to_frame
from transforms.readers import QuarantineRecord, RawRecord, input_fingerprint, plan_units, read_unit

GOOD = {"id": "good-1", "title": "Flood", "text": "Floods displaced 1,200 families in Assam on Monday."}
LATER = {"id": "good-2", "title": "Quake", "text": "A quake shook Izmir on Tuesday."}


def read_all(*inputs: Path, batch_size: int = 500, exclude=()) -> tuple[list[RawRecord], list[QuarantineRecord]]:
    records, bad = [], []
    for unit in plan_units(list(inputs), batch_size, *([exclude] if exclude else [])):
        for item in read_unit(unit):
            (records if isinstance(item, RawRecord) else bad).append(item)
    return records, bad


def jsonl_with(tmp_path: Path, middle: str) -> Path:
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join([json.dumps(GOOD), middle, json.dumps(LATER)]) + "\n", encoding="utf-8")
    return path


def reasons(bad: list[QuarantineRecord]) -> list[tuple[str, str, str]]:
    return [(Path(q.source).name, q.locator, q.reason) for q in bad]


def test_an_id_of_5000_digits_is_quarantined_and_the_other_lines_read(tmp_path):
    records, bad = read_all(jsonl_with(tmp_path, '{"id": ' + "7" * 5000 + ', "text": "Body."}'))
    assert [r.source_id for r in records] == ["good-1", "good-2"]
    assert reasons(bad) == [("feed.jsonl", "line 2", '"id" is 5,000 characters long, more than 512')]
    assert len(bad[0].raw) == 2000


def test_an_integer_id_is_read_as_its_digits(tmp_path):
    records, bad = read_all(jsonl_with(tmp_path, '{"id": 12345678901234567890123, "text": "Body."}'))
    assert [r.source_id for r in records] == ["good-1", "12345678901234567890123", "good-2"] and bad == []


def test_json_nested_20000_deep_is_quarantined_not_a_recursion_error(tmp_path):
    deep = '{"id": "deep", "text": "Body.", "extra": ' + "[" * 20_000 + "]" * 20_000 + "}"
    records, bad = read_all(jsonl_with(tmp_path, deep))
    assert [r.source_id for r in records] == ["good-1", "good-2"]
    assert reasons(bad) == [("feed.jsonl", "line 2", "line nests JSON arrays or objects too deeply to read")]


def test_a_lone_surrogate_in_the_text_is_quarantined_and_parsing_goes_on(tmp_path):
    records, bad = read_all(jsonl_with(tmp_path, '{"id": "s1", "text": "Broken \\ud800 text."}'))
    assert reasons(bad) == [("feed.jsonl", "line 2", '"text" holds an unpaired UTF-16 surrogate (\\ud800 at character 7), '
                                                     "which is not valid Unicode text")]
    articles, quarantine = parse_articles(records_to_frame(records))
    assert articles["source_id"].to_list() == ["good-1", "good-2"] and quarantine.is_empty()


def test_a_lone_surrogate_in_the_id_is_quarantined_with_a_printable_raw_sample(tmp_path):
    records, bad = read_all(jsonl_with(tmp_path, '{"id": "\\udc80x", "text": "Body."}'))
    assert [r.source_id for r in records] == ["good-1", "good-2"]
    assert bad[0].reason.startswith('"id" holds an unpaired UTF-16 surrogate')
    bad[0].raw.encode("utf-8")  # storable text


def test_ids_that_are_not_strings_or_integers_are_quarantined(tmp_path):
    path = tmp_path / "ids.jsonl"
    path.write_text('{"id": [1], "text": "a"}\n{"id": true, "text": "b"}\n{"id": 1.5, "text": "c"}\n{"id": -4, "text": "d"}\n')
    records, bad = read_all(path)
    assert [r.source_id for r in records] == ["-4"]
    assert [q.reason for q in bad] == ['"id" is an array, expected a string or an integer',
                                       '"id" is a boolean, expected a string or an integer',
                                       '"id" is a number, expected a string or an integer']


def test_a_file_name_that_is_not_utf8_is_read_under_a_printable_name(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    name = os.fsdecode(b"caf\xe9-report.txt")
    (folder / name).write_text("Cafe owners protest\n\nOwners of cafes marched on Tuesday.", encoding="utf-8")
    records, bad = read_all(folder)
    assert bad == []
    assert [r.source_id for r in records] == ["caf\\xe9-report.txt"]
    assert records[0].source.endswith("in/caf\\xe9-report.txt")
    articles, _ = parse_articles(records_to_frame(records))
    assert articles["source_id"].to_list() == ["caf\\xe9-report.txt"]


def test_a_jsonl_file_deleted_between_listing_and_reading_is_quarantined(tmp_path):
    gone = jsonl_with(tmp_path, json.dumps({"id": "x", "text": "Body."}))
    (tmp_path / "stays.txt").write_text("Stays\n\nThis one stays.", encoding="utf-8")
    units = plan_units([tmp_path], 500)
    gone.unlink()
    items = [item for unit in units for item in read_unit(unit)]
    assert [i.source_id for i in items if isinstance(i, RawRecord)] == ["stays.txt"]
    assert reasons([i for i in items if isinstance(i, QuarantineRecord)]) == [
        ("feed.jsonl", "line 1", "file disappeared between listing and reading: not read")]


def test_sgml_and_text_files_deleted_between_listing_and_reading_are_quarantined(tmp_path):
    (tmp_path / "reut2-000.sgm").write_text('<REUTERS NEWID="1"><BODY>Text.</BODY></REUTERS>', encoding="latin-1")
    (tmp_path / "story.txt").write_text("Title\n\nBody.", encoding="utf-8")
    units = plan_units([tmp_path], 500)
    for path in tmp_path.iterdir():
        path.unlink()
    items = [item for unit in units for item in read_unit(unit)]
    assert sorted(reasons(items)) == [("reut2-000.sgm", "", "file disappeared between listing and reading: not read"),
                                      ("story.txt", "", "file disappeared between listing and reading: not read")]


REUTERS_DOC = ('<REUTERS TOPICS="NO" NEWID="{id}">\n<DATE>26-FEB-1987 15:01:01.79</DATE>\n<TEXT>\n'
               "<TITLE>STORY {id}</TITLE>\n<BODY>Cocoa prices rose in story {id}.\n Reuter\n</BODY></TEXT>\n</REUTERS>\n")


def test_reuters_sgml_cut_off_mid_document_quarantines_the_cut_document(tmp_path):
    cut = REUTERS_DOC.format(id=2)[:60]
    (tmp_path / "reut2-000.sgm").write_bytes((REUTERS_DOC.format(id=1) + cut).encode("latin-1"))
    records, bad = read_all(tmp_path)
    assert [r.source_id for r in records] == ["1"]
    assert reasons(bad) == [("reut2-000.sgm", "NEWID=2", "Reuters document cut off: no </REUTERS> before the end of the file")]
    assert bad[0].raw == cut


def test_reuters_document_cut_off_by_the_next_one_does_not_swallow_it(tmp_path):
    cut = REUTERS_DOC.format(id=1)[:80]
    (tmp_path / "reut2-000.sgm").write_bytes((cut + REUTERS_DOC.format(id=2)).encode("latin-1"))
    records, bad = read_all(tmp_path)
    assert [(r.source_id, r.title) for r in records] == [("2", "STORY 2")]
    assert reasons(bad) == [("reut2-000.sgm", "NEWID=1", "Reuters document cut off: no </REUTERS> before the next <REUTERS>")]


def test_empty_reuters_files_are_quarantined(tmp_path):
    (tmp_path / "reut2-000.sgm").write_bytes(b"")
    (tmp_path / "reut2-001.sgm").write_bytes(b'<!DOCTYPE lewis SYSTEM "lewis.dtd">\n')
    records, bad = read_all(tmp_path)
    assert records == []
    assert reasons(bad) == [("reut2-000.sgm", "", "empty file: no text"),
                            ("reut2-001.sgm", "", "no <REUTERS> document in this SGML file")]


@pytest.mark.timeout(20)
def test_a_fifo_in_the_input_folder_is_skipped_without_blocking(tmp_path):
    (tmp_path / "story.txt").write_text("Title\n\nBody of the story.", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    os.mkfifo(tmp_path / "pipe.jsonl")
    records, bad = read_all(tmp_path)
    assert [r.source_id for r in records] == ["story.txt"]
    assert reasons(bad) == [("pipe.jsonl", "", "a named pipe (FIFO), not a regular file: not read"),
                            ("pipe.txt", "", "a named pipe (FIFO), not a regular file: not read")]
    assert len(input_fingerprint([tmp_path])) == 64


@pytest.mark.timeout(20)
def test_a_socket_in_the_input_folder_is_skipped(tmp_path):
    (tmp_path / "story.txt").write_text("Title\n\nBody of the story.", encoding="utf-8")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "feed.sock"))
    try:
        records, bad = read_all(tmp_path)
    finally:
        server.close()
    assert [r.source_id for r in records] == ["story.txt"]
    assert reasons(bad) == [("feed.sock", "", "a socket, not a regular file: not read")]


@pytest.mark.timeout(20)
def test_a_symlink_to_dev_zero_is_skipped_not_read_forever(tmp_path):
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    (tmp_path / "zero.jsonl").symlink_to("/dev/zero")
    records, bad = read_all(tmp_path)
    assert records == []
    assert [(name, reason.split(",")[0]) for name, _, reason in reasons(bad)] == [
        ("zero.jsonl", "symbolic link to /dev/zero"), ("zero.txt", "symbolic link to /dev/zero")]
    assert all(reason.endswith("outside the inputs: not followed") for _, _, reason in reasons(bad))


def test_symlinks_pointing_outside_the_inputs_are_not_followed(tmp_path):
    secret = tmp_path / "private"
    secret.mkdir()
    (secret / "notes.txt").write_text("Private\n\nNot for the warehouse.", encoding="utf-8")
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "story.txt").write_text("Title\n\nBody of the story.", encoding="utf-8")
    (inputs / "notes.txt").symlink_to(secret / "notes.txt")
    (inputs / "private").symlink_to(secret, target_is_directory=True)
    records, bad = read_all(inputs)
    assert [r.source_id for r in records] == ["story.txt"]
    assert [(name, reason) for name, _, reason in reasons(bad)] == [
        ("private", "symbolic link to a folder outside the inputs: not followed"),
        ("notes.txt", f"symbolic link to {secret / 'notes.txt'}, outside the inputs: not followed"),
    ]


def test_a_symlink_inside_the_inputs_reads_its_file_once(tmp_path):
    (tmp_path / "story.txt").write_text("Title\n\nBody of the story.", encoding="utf-8")
    (tmp_path / "alias.txt").symlink_to(tmp_path / "story.txt")
    records, bad = read_all(tmp_path)
    assert [r.source_id for r in records] == ["alias.txt"] and bad == []


def test_a_duckdb_file_is_never_read_as_articles_and_the_runs_own_files_are_excluded(tmp_path):
    import duckdb

    for name in ("other.duckdb", "other.jsonl", "other.txt"):
        duckdb.connect(str(tmp_path / name)).execute("create table t as select 1 as a").close()
    ours = tmp_path / "news.duckdb"
    duckdb.connect(str(ours)).close()
    (tmp_path / "news.duckdb.lock").write_text("newsetl pid 1 since 2026-01-01 00:00:00\n")
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "index.html").write_text("<html>report</html>")
    records, bad = read_all(tmp_path, exclude=[ours, tmp_path / "news.duckdb.lock", reports])
    assert records == []
    assert sorted(reasons(bad)) == [(name, "", "a DuckDB database file, not articles: not read")
                            for name in ("other.duckdb", "other.jsonl", "other.txt")]


def test_a_jsonl_line_over_the_cap_is_quarantined_unparsed(tmp_path, monkeypatch):
    from transforms.readers import plan

    monkeypatch.setattr(plan, "MAX_JSONL_LINE_BYTES", 1000)
    huge = json.dumps({"id": "huge", "text": "word " * 1000})
    records, bad = read_all(jsonl_with(tmp_path, huge), batch_size=1)
    assert [r.source_id for r in records] == ["good-1", "good-2"]
    assert reasons(bad) == [("feed.jsonl", "line 2", f"line too large: {len(huge) + 1:,} bytes > 1,000")]
    assert len(bad[0].raw) == 2000


def test_dates_in_the_future_or_before_1900_publish_as_null_with_a_note():
    tomorrow, far = date.today() + timedelta(days=1), date.today() + timedelta(days=400)
    frame = records_to_frame([
        RawRecord("a.jsonl", "line 1", "future", "T", "Body one.", far.isoformat(), None),
        RawRecord("a.jsonl", "line 2", "old", "T", "Body two.", "1850-03-02", None),
        RawRecord("a.jsonl", "line 3", "unreadable", "T", "Body three.", "the other day", None),
        RawRecord("a.jsonl", "line 4", "tomorrow", "T", "Body four.", tomorrow.isoformat(), None),
        RawRecord("a.jsonl", "line 5", "fine", "T", "Body five.", "1987-02-26", None),
    ])
    articles, quarantine = parse_articles(frame)
    assert articles.select("source_id", "published_date").rows() == [
        ("future", None), ("old", None), ("unreadable", None), ("tomorrow", tomorrow), ("fine", date(1987, 2, 26))]
    notes = quarantine.join(articles.select("article_id", "source_id"), on="article_id")
    assert sorted(notes.select("source_id", "reason").rows()) == [
        ("future", f"published date {far} is in the future (after {tomorrow}): published with a NULL date"),
        ("old", "published date 1850-03-02 is before 1900: published with a NULL date"),
        ("unreadable", 'published date "the other day" is not a date newsetl can read: published with a NULL date'),
    ]


def test_numbers_written_for_machines_publish_the_article_with_a_note_naming_them():
    frame = records_to_frame([
        RawRecord("a.jsonl", "line 1", "big", "T", "Police said " + "9" * 400 + " people were killed and 1e308 were hurt.", None, None),
        RawRecord("a.jsonl", "line 2", "tiny", "T", "Officials said 1e-308 were killed.", None, None),
        RawRecord("a.jsonl", "line 3", "fine", "T", "Two men were hurt in 2015; 1,200 families fled.", None, None),
    ])
    articles, quarantine = parse_articles(frame)
    assert articles.get_column("source_id").to_list() == ["big", "tiny", "fine"]
    notes = quarantine.join(articles.select("article_id", "source_id"), on="article_id")
    assert notes.select("source_id", "locator", "reason").rows() == [
        ("big", "line 1", "2 numbers written for machines (an exponent, or 16 or more digits) are not read as figures: "
                          "99999999… (400 digits), 1e308"),
        ("tiny", "line 2", "1 number written for machines (an exponent, or 16 or more digits) is not read as figures: 1e-308"),
    ]


def test_the_date_range_expectation_warns_and_never_blocks():
    from expectations.runner import load_suites

    [articles] = [s for s in load_suites() if s["suite"] == "articles"]
    [date_check] = [e for e in articles["expectations"] if e["column"] == "published_date_in_range"]
    assert date_check["critical"] is False


def _classify_run(inputs: list[Path], batch_size: int) -> tuple[list[str], list[tuple[str, str, str]]]:
    """What one run accepts and quarantines, batch by batch, exactly as the flow classifies (on an empty warehouse)."""
    import duckdb

    from warehouse.db import ensure_published_tables
    from warehouse.incremental import RunLedger, classify

    con = duckdb.connect()
    ensure_published_tables(con)
    ledger, accepted, rejected = RunLedger(), [], []
    for unit in plan_units(inputs, batch_size):
        records = [i for i in read_unit(unit) if isinstance(i, RawRecord)]
        articles, quarantine = parse_articles(records_to_frame(records))
        rejected += quarantine.select("source", "locator", "reason").rows()
        classified = classify(con, articles, ledger)
        kept = classified.filter(pl.col("change") != "duplicate")
        ledger.remember(kept)
        accepted += [f"{s}:{Path(src).name} {loc}" for s, src, loc in kept.select("source_id", "source", "locator").rows()]
        rejected += classified.filter(pl.col("change") == "duplicate").select("source", "locator", "duplicate_reason").rows()
    return accepted, sorted((Path(s).name, loc, r.replace(str(inputs[0]) + "/", "")) for s, loc, r in rejected)


def test_the_same_id_in_two_files_resolves_the_same_way_whatever_the_batch_size(tmp_path):
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(r) for r in [
        {"id": "x1", "text": "First version of x1."}, {"id": "x2", "text": "Story x2."}]) + "\n")
    (tmp_path / "b.jsonl").write_text("\n".join(json.dumps(r) for r in [
        {"id": "x1", "text": "Second version of x1."}, {"id": "x3", "text": "Story x2."},
        {"id": "x2", "text": "Story x2, again."}]) + "\n")
    outcomes = {size: _classify_run([tmp_path], size) for size in (1, 2, 3, 500)}
    accepted, rejected = outcomes[500]
    assert accepted == ["x1:a.jsonl line 1", "x2:a.jsonl line 2"]
    assert rejected == [
        ("b.jsonl", "line 1", "duplicate source_id x1 (first seen in a.jsonl line 1)"),
        ("b.jsonl", "line 2", "duplicate article: same title and body as x2"),
        ("b.jsonl", "line 3", "duplicate source_id x2 (first seen in a.jsonl line 2)"),
    ]
    assert all(outcome == outcomes[500] for outcome in outcomes.values())


def test_an_exclusion_that_is_the_input_folder_itself_excludes_nothing(tmp_path):
    (tmp_path / "story.txt").write_text("Title\n\nBody of the story.", encoding="utf-8")
    records, bad = read_all(tmp_path, exclude=[tmp_path, tmp_path.parent])
    assert [r.source_id for r in records] == ["story.txt"] and bad == []
