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


MAX_ID_CHARS = 512


def _lone_surrogate(value: str) -> int | None:
    """Index of the first unpaired UTF-16 surrogate in ``value`` (JSON allows ``"\\ud800"``; Unicode text does not)."""
    try:
        value.encode("utf-8")
        return None
    except UnicodeEncodeError as error:
        return error.start


def read_jsonl(data: bytes, source: str, first_line: int) -> Iterator[Item]:
    """JSON Lines, one ``{"id", "text", "title"?, "date"?, "url"?}`` object per line.

    Every line that is not such an object becomes a quarantine record with the reason;
    nothing a line holds (numbers of any length, any nesting, escapes) raises.
    """
    for number, raw in enumerate(data.split(b"\n"), start=first_line):
        line = raw.rstrip(b"\r")
        if not line.strip():
            continue
        locator = f"line {number}"
        try:
            # Integers stay text: an id of 5,000 digits is past Python's int-from-string limit.
            record = json.loads(line, parse_int=str)
        except UnicodeDecodeError:
            yield QuarantineRecord.of(source, locator, "line is not UTF-8 text", line)
            continue
        except json.JSONDecodeError as error:
            yield QuarantineRecord.of(source, locator, f"line is not valid JSON: {error.msg} (column {error.colno})", line)
            continue
        except RecursionError:
            yield QuarantineRecord.of(source, locator, "line nests JSON arrays or objects too deeply to read", line)
            continue
        except ValueError as error:  # anything else json refuses to decode
            yield QuarantineRecord.of(source, locator, f"line cannot be read as JSON: {error}", line)
            continue
        if not isinstance(record, dict):
            kind = "number" if isinstance(record, str) and line.lstrip()[:1] not in (b'"',) else type(record).__name__
            yield QuarantineRecord.of(source, locator, f"line is JSON {kind}, expected an object", line)
            continue
        problem = _jsonl_problem(record)
        if problem:
            yield QuarantineRecord.of(source, locator, problem, line)
            continue
        yield RawRecord(source, locator, str(record["id"]), record.get("title"), record["text"], record.get("date"),
                        record.get("url"))


def _jsonl_problem(record: dict) -> str | None:
    """Why a decoded JSON Lines object is not an article, in plain words (None when it is one)."""
    record_id, body = record.get("id"), record.get("text")
    if record_id is None or (isinstance(record_id, str) and not record_id.strip()):
        return 'record has no "id"'
    if not isinstance(record_id, str):  # integers arrive as text (parse_int=str)
        return f'"id" is {_json_kind(record_id)}, expected a string or an integer'
    if len(record_id) > MAX_ID_CHARS:
        return f'"id" is {len(record_id):,} characters long, more than {MAX_ID_CHARS}'
    if not isinstance(body, str):
        return 'record has no "text"' if body is None else f'"text" is {_json_kind(body)}, expected a string'
    for key in ("title", "date", "url"):
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            return f'"{key}" must be a string'
    for key in ("id", "text", "title", "date", "url"):
        value = record.get(key)
        at = _lone_surrogate(value) if isinstance(value, str) else None
        if at is not None:
            return (f'"{key}" holds an unpaired UTF-16 surrogate (\\u{ord(value[at]):04x} at character {at}), '
                    "which is not valid Unicode text")
    return None


def _json_kind(value) -> str:
    return {dict: "an object", list: "an array", bool: "a boolean", float: "a number"}.get(type(value), type(value).__name__)


_NEWID = re.compile(r'NEWID="(\d+)"')


def _tag(name: str) -> re.Pattern[str]:
    return re.compile(rf"<{name}>(.*?)</{name}>", re.S)


_DATE, _TITLE, _DATELINE, _BODY = (_tag(n) for n in ("DATE", "TITLE", "DATELINE", "BODY"))
_TEXT = re.compile(r"<TEXT\b[^>]*>(.*?)</TEXT>", re.S)
_ANY_TAG = re.compile(r"<[^>]+>")


def _clean_reuters(fragment: str) -> str:
    return re.sub(r"[\x00-\x08\x0b-\x1f]", "", html.unescape(fragment))


_REUTERS_OPEN = re.compile(r"<REUTERS\b([^>]*)>")
_REUTERS_CLOSE = "</REUTERS>"
_DOCTYPE = re.compile(r"<!DOCTYPE[^>]*>", re.I)
# Blank between and around documents: ASCII layout only. str.strip() would also take control characters such as
# \x1c-\x1f (and \x85, \xa0) for blank, and drop them silently instead of quarantining them.
LAYOUT_SPACE = " \t\n\r\f\v"


def read_reuters_sgml(data: bytes, source: str) -> Iterator[Item]:
    """Reuters-21578 SGML: ``<REUTERS NEWID>`` documents, latin-1 by the corpus' own README.

    Each ``<REUTERS>`` runs to its ``</REUTERS>``; one cut off (by the end of the file or
    by the next ``<REUTERS>``) is quarantined, and a file with no document at all too.
    """
    try:
        text, _ = decode_text(data, fallback="latin-1")
    except UndecodableError:  # control bytes among the documents: latin-1 decodes any byte, the cleaner drops them
        text = data.decode("latin-1")
    openings = list(_REUTERS_OPEN.finditer(text))
    if not openings:
        reason = "empty file: no text" if not text.strip() else "no <REUTERS> document in this SGML file"
        yield QuarantineRecord.of(source, "", reason, data)
        return
    preamble = _DOCTYPE.sub("", text[:openings[0].start()]).strip(LAYOUT_SPACE)
    if preamble:
        yield QuarantineRecord.of(source, "offset 0", "text before the first <REUTERS> document", preamble)
    for index, opening in enumerate(openings):
        segment_end = openings[index + 1].start() if index + 1 < len(openings) else len(text)
        close = text.find(_REUTERS_CLOSE, opening.end(), segment_end)
        attributes = opening.group(1)
        newid = _NEWID.search(attributes)
        locator = f"NEWID={newid.group(1)}" if newid else f"offset {opening.start()}"
        if close == -1:
            cut_by = "the next <REUTERS>" if index + 1 < len(openings) else "the end of the file"
            yield QuarantineRecord.of(source, locator, f"Reuters document cut off: no </REUTERS> before {cut_by}",
                                      text[opening.start():segment_end])
            continue
        document = text[opening.start():close + len(_REUTERS_CLOSE)]
        if not newid:
            yield QuarantineRecord.of(source, locator, "Reuters document without NEWID", document)
        else:
            yield _reuters_document(text[opening.end():close], document, source, locator, newid.group(1))
        after = close + len(_REUTERS_CLOSE)
        trailing = text[after:segment_end]
        if trailing.strip(LAYOUT_SPACE):
            # e.g. a file cut inside the next document's opening tag: "<REUTERS TOPICS="
            yield QuarantineRecord.of(source, f"offset {after + len(trailing) - len(trailing.lstrip(LAYOUT_SPACE))}",
                                      "text outside any <REUTERS> document (a document cut off in its opening tag?)",
                                      trailing.strip(LAYOUT_SPACE))


def _reuters_document(inner: str, document: str, source: str, locator: str, newid: str) -> Item:
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
        return QuarantineRecord.of(source, locator, "Reuters document has no text", document)
    date = _DATE.search(inner)
    return RawRecord(
        source,
        locator,
        newid,
        _clean_reuters(title.group(1)).strip() if title else None,
        body_text,
        date.group(1).strip() if date else None,
        None,
    )
