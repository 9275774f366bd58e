"""Readers and parsing: each input format, and every kind of bad input, on real text."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from tests.conftest import SEEDS, shared_data
from transforms.parse import parse_articles, records_to_frame
from transforms.readers import QuarantineRecord, RawRecord, plan_units, read_unit

SEED_FILE = SEEDS / "000_bd22b0fa7cd20e9b.txt"


def read_all(*inputs: Path, batch_size: int = 500) -> tuple[list[RawRecord], list[QuarantineRecord]]:
    records, bad = [], []
    for unit in plan_units(list(inputs), batch_size):
        for item in read_unit(unit):
            (records if isinstance(item, RawRecord) else bad).append(item)
    return records, bad


def test_seed_format_gives_headline_date_and_verbatim_body():
    records, bad = read_all(SEEDS)
    assert bad == []
    [record] = records
    assert record.source_id == "000_bd22b0fa7cd20e9b.txt"
    assert record.title.startswith("The White House has confirmed that the United States provided intelligence")
    assert record.published_date == "2026-02-23"
    raw = SEED_FILE.read_text(encoding="utf-8")
    assert raw.endswith(record.body)
    assert record.body.startswith("The White House has confirmed")
    assert record.body.endswith("(ANI Inputs)")


def test_parse_sets_date_ids_and_content_hash():
    records, _ = read_all(SEEDS)
    articles, quarantine = parse_articles(records_to_frame(records))
    assert quarantine.is_empty()
    row = articles.row(0, named=True)
    assert row["published_date"] == date(2026, 2, 23)
    assert len(row["article_id"]) == 16 and len(row["content_sha256"]) == 64


def test_jsonl_reader_quarantines_bad_lines_and_keeps_good_ones(tmp_path):
    lines = [
        json.dumps({"id": "a1", "text": "Police in Lagos arrested two men on Monday.", "title": "Arrests", "date": "2024-05-06"}),
        "{not json",
        json.dumps({"id": "a2"}),
        json.dumps(["a", "list"]),
        json.dumps({"id": "a3", "text": "Floods displaced 1,200 families in Assam.", "url": "https://example.org/a3"}),
        json.dumps({"text": "no id here"}),
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    records, bad = read_all(path)
    assert [r.source_id for r in records] == ["a1", "a3"]
    assert records[1].url == "https://example.org/a3"
    reasons = {q.locator: q.reason for q in bad}
    assert reasons["line 2"].startswith("line is not valid JSON")
    assert reasons["line 3"] == 'record has no "text"'
    assert reasons["line 4"] == "line is JSON list, expected an object"
    assert reasons["line 6"] == 'record has no "id"'


def test_jsonl_is_split_into_units_of_batch_size_lines(tmp_path):
    path = tmp_path / "many.jsonl"
    path.write_text("".join(json.dumps({"id": str(i), "text": f"Story {i}."}) + "\n" for i in range(25)))
    units = plan_units([path], batch_size=10)
    assert [u.first_line for u in units] == [1, 11, 21]
    records, bad = read_all(path, batch_size=10)
    assert [r.source_id for r in records] == [str(i) for i in range(25)] and bad == []


def test_empty_binary_latin1_and_undecodable_files(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "latin1.txt").write_bytes(
        "Caf\u00e9 owners in S\u00e3o Paulo protest\n\nOwners of caf\u00e9s marched on Tuesday.".encode("latin-1")
    )
    (tmp_path / "mixed.txt").write_bytes(b"Title\n\nBytes \x81\x8d\x8f\x90\x9d here")
    records, bad = read_all(tmp_path)
    assert [(r.source_id, r.title) for r in records] == [("latin1.txt", "Caf\u00e9 owners in S\u00e3o Paulo protest")]
    reasons = {Path(q.source).name: q.reason for q in bad}
    assert reasons["empty.txt"] == "empty file: no text"
    assert reasons["image.txt"].startswith("binary content")
    assert reasons["mixed.txt"].startswith("not UTF-8")


def test_huge_single_article_file_is_quarantined_without_reading_it_all(tmp_path):
    big = tmp_path / "dump.txt"
    with big.open("wb") as handle:
        handle.write(b"Huge\n\n")
        handle.write(b"word " * (6 * 1024 * 1024 // 5))
    records, bad = read_all(tmp_path)
    assert records == []
    assert bad[0].reason.startswith("file too large for one article")
    assert len(bad[0].raw) <= 2000


def test_duplicates_within_a_batch_are_quarantined():
    body = "Rescuers pulled three people from the rubble in Izmir."
    frame = records_to_frame([
        RawRecord("a.jsonl", "line 1", "x1", "Quake", body, None, None),
        RawRecord("a.jsonl", "line 2", "x1", "Quake", body + " More.", None, None),
        RawRecord("b.jsonl", "line 1", "x2", "Quake", body, None, None),
        RawRecord("b.jsonl", "line 2", "x3", "Empty", "   ", None, None),
    ])
    articles, quarantine = parse_articles(frame)
    assert articles["source_id"].to_list() == ["x1"]
    assert sorted(quarantine["reason"].to_list()) == [
        "article has no body text",
        "duplicate article: same title and body as x1",
        "duplicate source_id x1 (first seen in a.jsonl line 1)",
    ]


def test_reuters_sgml_reads_newid_title_dateline_and_date(tmp_path):
    sgml = (
        '<!DOCTYPE lewis SYSTEM "lewis.dtd">\n'
        '<REUTERS TOPICS="YES" NEWID="7">\n<DATE>26-FEB-1987 15:01:01.79</DATE>\n'
        "<TEXT>&#2;\n<TITLE>BAHIA COCOA REVIEW</TITLE>\n<DATELINE>    SALVADOR, Feb 26 - </DATELINE>"
        "<BODY>Showers continued throughout the week in\nthe Bahia cocoa zone, Comissaria Smith said.\n Reuter\n&#3;</BODY></TEXT>\n"
        "</REUTERS>\n"
        '<REUTERS TOPICS="NO" NEWID="8">\n<DATE> 3-MAR-1987  09:15:05.40</DATE>\n<TEXT TYPE="UNPROC">&#2;\n&#3;\n</TEXT>\n</REUTERS>\n'
    )
    path = tmp_path / "reut2-000.sgm"
    path.write_bytes(sgml.encode("latin-1"))
    records, bad = read_all(path)
    [record] = records
    assert (record.source_id, record.title, record.published_date) == ("7", "BAHIA COCOA REVIEW", "26-FEB-1987 15:01:01.79")
    assert record.body == "SALVADOR, Feb 26 - Showers continued throughout the week in\nthe Bahia cocoa zone, Comissaria Smith said."
    assert [(q.locator, q.reason) for q in bad] == [("NEWID=8", "Reuters document has no text")]
    articles, _ = parse_articles(records_to_frame(records))
    assert articles["published_date"].to_list() == [date(1987, 2, 26)]


def test_bbc_corpus_reads_every_article():
    bbc = shared_data("news/bbc")
    records, bad = read_all(bbc)
    assert len(records) == 2225 and bad == []
    assert {r.source_id for r in records} >= {"business/001.txt", "sport/199.txt"}
    first = next(r for r in records if r.source_id == "business/001.txt")
    assert first.title == "Ad sales boost Time Warner profit"


@pytest.mark.slow
def test_reuters_corpus_reads_every_document():
    reuters = shared_data("news/reuters21578")
    records, bad = read_all(reuters)
    documents = [r for r in records] + [q for q in bad if q.locator.startswith("NEWID=")]
    assert len(documents) == 21578
    assert pl.Series([r.source_id for r in records]).n_unique() == len(records)
