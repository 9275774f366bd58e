"""One function per input format: bytes of a file (or part of one) to records."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator

from transforms.readers.decode import UndecodableError, decode_text
from transforms.readers.records import QuarantineRecord, RawRecord

Item = RawRecord | QuarantineRecord

SEED_FIRST_LINE = re.compile(r"^ ?date (\d{4}-\d{2}-\d{2}) (.*)$")


def is_seed_format(text: str) -> bool:
    return SEED_FIRST_LINE.match(text.split("\n", 1)[0].rstrip("\r")) is not None


def read_single_article(data: bytes, source: str, source_id: str) -> Item:
    """A file that holds one article: the seed format, or a title line then the body (BBC style)."""
    try:
        text, _ = decode_text(data)
    except UndecodableError as error:
        return QuarantineRecord.of(source, "", str(error), data)
    if not text.strip():
        return QuarantineRecord.of(source, "", "empty file: no text", data)
    first, _, rest = text.partition("\n")
    first = first.rstrip("\r")
    seed = SEED_FIRST_LINE.match(first)
    if seed:
        date, title = seed.groups()
        # The body follows one blank line; it is kept verbatim so offsets stay true.
        body = rest[1:] if rest.startswith("\n") else rest[2:] if rest.startswith("\r\n") else rest
        return RawRecord(source, "", source_id, title.strip() or None, body, date, None)
    if not (rest.startswith("\n") or rest.startswith("\r\n")):
        return QuarantineRecord.of(
            source, "", "not an article: expected a title line, a blank line, then the body", text
        )
    return RawRecord(source, "", source_id, first.strip() or None, rest.lstrip("\r\n"), None, None)


def read_jsonl(data: bytes, source: str, first_line: int) -> Iterator[Item]:
    """JSON Lines, one ``{"id", "text", "title"?, "date"?, "url"?}`` object per line."""
    for number, raw in enumerate(data.split(b"\n"), start=first_line):
        line = raw.rstrip(b"\r")
        if not line.strip():
            continue
        locator = f"line {number}"
        try:
            record = json.loads(line)
        except UnicodeDecodeError:
            yield QuarantineRecord.of(source, locator, "line is not UTF-8 text", line)
            continue
        except json.JSONDecodeError as error:
            yield QuarantineRecord.of(source, locator, f"line is not valid JSON: {error.msg} (column {error.colno})", line)
            continue
        if not isinstance(record, dict):
            yield QuarantineRecord.of(source, locator, f"line is JSON {type(record).__name__}, expected an object", line)
            continue
        record_id, body = record.get("id"), record.get("text")
        if record_id is None or (isinstance(record_id, str) and not record_id.strip()):
            yield QuarantineRecord.of(source, locator, 'record has no "id"', line)
            continue
        if not isinstance(body, str):
            reason = 'record has no "text"' if body is None else f'"text" is {type(body).__name__}, expected a string'
            yield QuarantineRecord.of(source, locator, reason, line)
            continue
        optional = {key: record.get(key) for key in ("title", "date", "url")}
        bad = [key for key, value in optional.items() if value is not None and not isinstance(value, str)]
        if bad:
            yield QuarantineRecord.of(source, locator, f'"{bad[0]}" must be a string', line)
            continue
        yield RawRecord(source, locator, str(record_id), optional["title"], body, optional["date"], optional["url"])


_REUTERS_DOC = re.compile(r"<REUTERS\b([^>]*)>(.*?)</REUTERS>", re.S)
_NEWID = re.compile(r'NEWID="(\d+)"')


def _tag(name: str) -> re.Pattern[str]:
    return re.compile(rf"<{name}>(.*?)</{name}>", re.S)


_DATE, _TITLE, _DATELINE, _BODY = (_tag(n) for n in ("DATE", "TITLE", "DATELINE", "BODY"))
_TEXT = re.compile(r"<TEXT\b[^>]*>(.*?)</TEXT>", re.S)
_ANY_TAG = re.compile(r"<[^>]+>")


def _clean_reuters(fragment: str) -> str:
    return re.sub(r"[\x00-\x08\x0b-\x1f]", "", html.unescape(fragment))


def read_reuters_sgml(data: bytes, source: str) -> Iterator[Item]:
    """Reuters-21578 SGML: ``<REUTERS NEWID>`` documents, latin-1 by the corpus' own README."""
    text, _ = decode_text(data, fallback="latin-1")
    for match in _REUTERS_DOC.finditer(text):
        attributes, inner = match.groups()
        newid = _NEWID.search(attributes)
        locator = f"NEWID={newid.group(1)}" if newid else f"offset {match.start()}"
        if not newid:
            yield QuarantineRecord.of(source, locator, "Reuters document without NEWID", match.group(0))
            continue
        title = _TITLE.search(inner)
        body = _BODY.search(inner)
        if body:
            dateline = _DATELINE.search(inner)
            body_text = _clean_reuters(body.group(1)).strip()
            if dateline and dateline.group(1).strip():
                body_text = f"{_clean_reuters(dateline.group(1)).strip()} {body_text}"
        else:
            # Brief and unprocessed stories have no <BODY>: keep the story text that is there.
            story = _TEXT.search(inner)
            body_text = _clean_reuters(_ANY_TAG.sub(" ", story.group(1))).strip() if story else ""
        if body_text.endswith("Reuter"):
            body_text = body_text[: -len("Reuter")].rstrip()
        if not body_text:
            yield QuarantineRecord.of(source, locator, "Reuters document has no text", match.group(0))
            continue
        date = _DATE.search(inner)
        yield RawRecord(
            source,
            locator,
            newid.group(1),
            _clean_reuters(title.group(1)).strip() if title else None,
            body_text,
            date.group(1).strip() if date else None,
            None,
        )
