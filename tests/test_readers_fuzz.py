"""Property tests over the readers: whatever the bytes, names and nesting, nothing raises, every good record
is read and kept, and every other non-blank record is in quarantine with its file and place, storable as is.

The fast profile runs in the fast loop (well under 20 s); the ``slow`` twins run many more examples.
"""

from __future__ import annotations

import functools
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import duckdb
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transforms.parse import parse_articles, records_to_frame
from transforms.readers import QuarantineRecord, RawRecord, plan_units, read_unit
from warehouse import loader
from warehouse.db import ensure_published_tables

JSONL_SUFFIXES, SGML_SUFFIXES = {".jsonl", ".ndjson"}, {".sgm", ".sgml"}


def display_path(name: bytes | str) -> str:
    """How a file name is shown and stored: valid UTF-8, other bytes as \\xNN."""
    return os.fsencode(name).decode("utf-8", errors="backslashreplace")


def is_skipped_name(name: str) -> bool:
    """Hidden files and the documentation that ships beside corpora are not inputs."""
    lower = name.lower()
    return lower.startswith((".", "readme", "license", "licence", "source.md", "changelog")) or lower.endswith((".md", ".dtd"))


_QUIET = {"deadline": None, "database": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}
FAST = settings(max_examples=25, **_QUIET)
LONG = settings(max_examples=400, **_QUIET)


def both_profiles(check: Callable, **strategies) -> tuple[Callable, Callable]:
    """(``check`` over ``strategies`` with the fast profile, the same with the long profile, marked slow)."""

    @functools.wraps(check)
    def fast(**arguments):
        check(**arguments)

    @functools.wraps(check)
    def long(**arguments):
        check(**arguments)

    return FAST(given(**strategies)(fast)), pytest.mark.slow(LONG(given(**strategies)(long)))


# Text that is valid Unicode (no lone surrogates): what a good record carries.
valid_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=80)
json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20)
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                           max_leaves=12)


@st.composite
def bad_lines(draw) -> bytes:
    """One JSON Lines line that is not a good record: bytes, odd JSON, deep nesting, huge numbers, surrogates."""
    kind = draw(st.sampled_from(["bytes", "json", "object", "deep", "digits", "surrogate", "not_utf8"]))
    if kind == "bytes":
        line = draw(st.binary(min_size=1, max_size=120))
    elif kind == "json":
        value = draw(json_values)
        if isinstance(value, dict):
            value.pop("id", None)  # ids of the good records stay unique
        line = json.dumps(value).encode()
    elif kind == "object":
        record = draw(st.dictionaries(st.sampled_from(["text", "title", "date", "url", "x"]), json_values, max_size=5))
        record["id"] = draw(st.none() | st.booleans() | st.floats() | st.lists(st.integers(), max_size=2)
                            | st.text(max_size=8).map(lambda t: "bad-" + t) | st.integers(max_value=-1))
        line = json.dumps(record).encode()
    elif kind == "deep":
        depth = draw(st.integers(2_000, 30_000))
        line = ('{"id": "deep", "text": "t", "v": ' + "[" * depth + "]" * depth + "}").encode()
    elif kind == "digits":
        digits = draw(st.integers(4_301, 6_000))
        line = ('{"id": ' + "9" * digits + ', "text": "t"}').encode()
    elif kind == "surrogate":
        field = draw(st.sampled_from(["id", "text", "title", "date", "url"]))
        record = {"id": "s", "text": "t", field: "x\\ud800y"}
        line = json.dumps(record).replace("\\\\ud800", "\\ud800").encode()
    else:
        line = b'{"id": "n", "text": "caf\xe9"}'
    return line.replace(b"\n", b" ").replace(b"\r", b" ")


@st.composite
def good_records(draw, index: int) -> dict:
    record = {"id": draw(st.sampled_from([f"good-{index}", index])), "text": f"Story {index}: " + draw(valid_text)}
    for key in ("title", "date", "url"):
        if draw(st.booleans()):
            record[key] = draw(valid_text | st.dates().map(str))
    return record


@st.composite
def jsonl_feeds(draw) -> tuple[list[bytes], dict[int, str]]:
    """Lines of a feed and, by line number, the source_id of each good record."""
    lines, good = [], {}
    for _ in range(draw(st.integers(0, 12))):
        if draw(st.booleans()):
            record = draw(good_records(len(good)))
            good[len(lines) + 1] = str(record["id"])
            lines.append(json.dumps(record, ensure_ascii=draw(st.booleans())).encode())
        elif draw(st.integers(0, 5)) == 0:
            lines.append(draw(st.sampled_from([b"", b"   ", b"\t"])))
        else:
            lines.append(draw(bad_lines()))
    return lines, good


def read(folder: Path, batch_size: int) -> tuple[list[RawRecord], list[QuarantineRecord]]:
    records, bad = [], []
    for unit in plan_units([folder], batch_size):
        for item in read_unit(unit):
            (records if isinstance(item, RawRecord) else bad).append(item)
    return records, bad


@functools.cache
def warehouse() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    ensure_published_tables(con)
    loader.reset_staging(con)
    return con


def store(articles: pl.DataFrame, quarantine: pl.DataFrame) -> None:
    """What the run writes must go into DuckDB as it is (no encoding error at the warehouse boundary)."""
    con = warehouse()
    con.execute("begin transaction")
    try:
        loader.load_quarantine(con, "run", quarantine)
        con.register("incoming", articles.with_columns(pl.lit("new").alias("change")))
        con.execute("insert into staging.articles select article_id, source_id, title, body, published_date, url, "
                    "content_sha256, change from incoming")
        con.unregister("incoming")
    finally:
        con.execute("rollback")


def check_jsonl_feed(feed: tuple[list[bytes], dict[int, str]], batch_size: int) -> None:
    lines, good = feed
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "feed.jsonl"
        path.write_bytes(b"\n".join(lines) + (b"\n" if lines else b""))
        records, bad = read(Path(scratch), batch_size)
        articles, quarantine = parse_articles(records_to_frame(records))
        store(articles, quarantine)
    published = set(articles["source_id"].to_list())
    assert set(good.values()) <= published, "a good record was not published"
    # Every non-blank line is accounted for once: an article, or a quarantine row at its line.
    rejected = {q.locator for q in bad} | set(quarantine.filter(pl.col("article_id").is_null())["locator"].to_list())
    read_lines = {r.locator for r in records}
    for number, line in enumerate(lines, start=1):
        if line.strip():
            assert f"line {number}" in read_lines | rejected, f"line {number} lost: {line[:80]!r}"
    assert all(q.source == str(path) and q.reason for q in bad)
    assert all(len(q.raw) <= 2000 for q in bad)


test_jsonl_fuzz_fast, test_jsonl_fuzz_long = both_profiles(
    check_jsonl_feed, feed=jsonl_feeds(), batch_size=st.integers(1, 6))


# File names: arbitrary bytes (not UTF-8, controls, spaces), not hidden, not documentation.
file_names = st.binary(min_size=1, max_size=40).map(
    lambda raw: raw.replace(b"/", b"_").replace(b"\0", b"_") + b".txt").filter(
    lambda name: len(name) <= 255 and not is_skipped_name(os.fsdecode(name)))


@st.composite
def article_folders(draw) -> dict[bytes, bytes | None]:
    """File name -> content (None: a good article written by the test)."""
    names = draw(st.lists(file_names, max_size=6, unique_by=lambda n: n.lower()))
    return {name: draw(st.none() | st.binary(max_size=300)) for name in names}


def check_article_folder(files: dict[bytes, bytes | None], batch_size: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = os.fsencode(scratch)
        expected_good = set()
        for index, (name, content) in enumerate(files.items()):
            if content is None:
                content = f"Headline {index}\n\nBody of story {index} about the harbour.".encode()
                expected_good.add(display_path(name))
            with open(os.path.join(folder, name), "wb") as handle:
                handle.write(content)
        records, bad = read(Path(scratch), batch_size)
        articles, quarantine = parse_articles(records_to_frame(records))
        store(articles, quarantine)
    assert expected_good <= set(articles["source_id"].to_list()), "a good article was not published"
    # One item per file: read, or quarantined with its (printable) name.
    seen = {Path(r.source).name for r in records} | {Path(q.source).name for q in bad}
    assert seen == {display_path(name) for name in files}


test_names_fuzz_fast, test_names_fuzz_long = both_profiles(
    check_article_folder, files=article_folders(), batch_size=st.integers(1, 4))


REUTERS = ('<REUTERS TOPICS="NO" NEWID="{id}">\n<DATE>26-FEB-1987 15:01:01.79</DATE>\n<TEXT>\n'
           "<TITLE>STORY {id}</TITLE>\n<BODY>Prices rose in story {id}.\n Reuter\n</BODY></TEXT>\n</REUTERS>\n")


def check_cut_sgml(documents: int, cut_fraction: float, garbage: bytes) -> None:
    """A Reuters file cut anywhere, with any bytes after the cut: the whole documents are read, the rest quarantined."""
    full = '<!DOCTYPE lewis SYSTEM "lewis.dtd">\n' + "".join(REUTERS.format(id=i) for i in range(1, documents + 1))
    cut = int(len(full) * cut_fraction)
    data = full[:cut].encode("latin-1") + garbage
    with tempfile.TemporaryDirectory() as scratch:
        (Path(scratch) / "reut2-000.sgm").write_bytes(data)
        records, bad = read(Path(scratch), 500)
        store(*parse_articles(records_to_frame(records)))
    ends = [full.index(REUTERS.format(id=i)) + len(REUTERS.format(id=i).rstrip("\n")) for i in range(1, documents + 1)]
    complete = [i for i, end in zip(range(1, documents + 1), ends) if end <= cut]
    assert [r.source_id for r in records] == [str(i) for i in complete]
    rest = data[ends[len(complete) - 1] if complete else 0:]
    if rest.strip():
        assert bad, f"{rest[:80]!r} after the last whole document dropped silently"


test_sgml_fuzz_fast, test_sgml_fuzz_long = both_profiles(
    check_cut_sgml, documents=st.integers(1, 4), cut_fraction=st.floats(0, 1), garbage=st.binary(max_size=40))


def test_a_control_character_after_the_last_reuters_document_is_quarantined_not_taken_for_blank():
    # found by test_sgml_fuzz_long: str.strip() takes \x1c (a file separator) for whitespace
    check_cut_sgml(documents=1, cut_fraction=1.0, garbage=b"\x1c")


def check_any_bytes(suffix: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        (Path(scratch) / f"input{suffix}").write_bytes(data)
        records, bad = read(Path(scratch), 3)
        store(*parse_articles(records_to_frame(records)))
    if data.strip():
        assert records or bad, "non-blank input vanished without a quarantine row"


test_any_bytes_fuzz_fast, test_any_bytes_fuzz_long = both_profiles(
    check_any_bytes, suffix=st.sampled_from(sorted(JSONL_SUFFIXES | SGML_SUFFIXES | {".txt", ".html"})),
    data=st.binary(max_size=2000))
