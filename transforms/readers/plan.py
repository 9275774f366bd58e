"""Split the inputs into read units of about ``batch_size`` articles, and read one unit.

Planning only lists files (see :mod:`.walk`: regular files inside the inputs) and, for
JSON Lines, finds line boundaries; reading a unit is independent of every other unit,
so units can run anywhere. Nothing here raises for bad input: an entry that is not read
(a pipe, a link out of the inputs, a file gone since it was listed, a file over its size
cap) becomes a quarantine record with the reason.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from transforms.readers.decode import looks_binary
from transforms.readers.formats import Item, read_jsonl, read_reuters_sgml, read_single_article
from transforms.readers.records import QuarantineRecord
from transforms.readers.settings import whole_number
from transforms.readers.walk import InputFile, NotRegularFileError, SkippedEntry, display_path, open_regular, walk_inputs

JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SGML_SUFFIXES = {".sgm", ".sgml"}
# One article this large is not an article: a dump, a log or a mistake.
MAX_ARTICLE_BYTES = 5 * 1024 * 1024
# One JSON Lines record this large is not an article either; it is quarantined unparsed.
MAX_JSONL_LINE_BYTES = 8 * 1024 * 1024
# Reuters SGML files are read whole (the corpus' files are ~1.3 MB each).
MAX_SGML_BYTES = 64 * 1024 * 1024
# Any input file: JSON Lines are read in chunks, but a file past this size is a runaway log, not a feed.
# NEWSETL_MAX_INPUT_FILE_BYTES overrides it (read when inputs are planned: max_input_file_bytes).
MAX_INPUT_FILE_BYTES = 16 * 1024**3
JSONL_CHUNK_TARGET_BYTES = 4 * 1024 * 1024
SAMPLE_BYTES = 8192
DUCKDB_MAGIC = b"DUCK"  # bytes 8-11 of every DuckDB database file


@dataclass(frozen=True, slots=True)
class ReadUnit:
    kind: Literal["files", "jsonl", "sgml", "skipped", "oversize"]
    root: str
    paths: tuple[str, ...]
    byte_start: int = 0
    byte_end: int = -1  # -1: to the end of the file
    first_line: int = 1
    reason: str = ""  # why a skipped or oversize unit is not read


def is_duckdb_header(head: bytes) -> bool:
    """True when ``head`` (a file's first 16 bytes or more) is a DuckDB database file's."""
    return head[8:12] == DUCKDB_MAGIC


def _too_large(size: int, cap: int, what: str) -> str:
    return f"{what} too large: {size:,} bytes > {cap:,}"


def _jsonl_units(path: str, root: str, batch_size: int) -> Iterator[ReadUnit]:
    """Units of whole lines, ~batch_size lines each; a line over MAX_JSONL_LINE_BYTES gets a unit of its own."""
    with open_regular(path) as handle:
        head = handle.read(16)
        if is_duckdb_header(head):
            yield ReadUnit("skipped", root, (path,), reason="a DuckDB database file, not articles: not read")
            return
        handle.seek(0)
        start = line_start = offset = lines_in_chunk = 0
        line_no = chunk_first_line = 1
        while block := handle.read(1 << 22):
            position = 0
            while (newline := block.find(b"\n", position)) != -1:
                position = newline + 1
                end = offset + position
                if end - line_start > MAX_JSONL_LINE_BYTES:
                    if line_start > start:
                        yield ReadUnit("jsonl", root, (path,), start, line_start, chunk_first_line)
                    yield ReadUnit("oversize", root, (path,), line_start, end, line_no,
                                   _too_large(end - line_start, MAX_JSONL_LINE_BYTES, "line"))
                    start, chunk_first_line, lines_in_chunk = end, line_no + 1, 0
                else:
                    lines_in_chunk += 1
                    if lines_in_chunk >= batch_size or end - start >= JSONL_CHUNK_TARGET_BYTES:
                        yield ReadUnit("jsonl", root, (path,), start, end, chunk_first_line)
                        start, chunk_first_line, lines_in_chunk = end, line_no + 1, 0
                line_no += 1
                line_start = end
            offset += len(block)
    if offset - line_start > MAX_JSONL_LINE_BYTES:
        if line_start > start:
            yield ReadUnit("jsonl", root, (path,), start, line_start, chunk_first_line)
        yield ReadUnit("oversize", root, (path,), line_start, offset, line_no,
                       _too_large(offset - line_start, MAX_JSONL_LINE_BYTES, "line"))
    elif offset > start:
        yield ReadUnit("jsonl", root, (path,), start, -1, chunk_first_line)


def max_input_file_bytes() -> int:
    """The largest input file read: NEWSETL_MAX_INPUT_FILE_BYTES, else MAX_INPUT_FILE_BYTES (SettingError if bad)."""
    return whole_number("NEWSETL_MAX_INPUT_FILE_BYTES", MAX_INPUT_FILE_BYTES)


def _file_units(entry: InputFile, batch_size: int) -> Iterator[ReadUnit]:
    path, root = entry.path, entry.root
    suffix = Path(path).suffix.lower()
    try:
        size, limit = os.path.getsize(path), max_input_file_bytes()
        if size > limit:
            yield ReadUnit("oversize", root, (path,), 0, SAMPLE_BYTES, 1,
                           _too_large(size, limit, "file") + " (NEWSETL_MAX_INPUT_FILE_BYTES)")
        elif suffix in JSONL_SUFFIXES:
            yield from _jsonl_units(path, root, batch_size)
        elif suffix in SGML_SUFFIXES:
            yield ReadUnit("sgml", root, (path,))
        else:
            yield ReadUnit("files", root, (path,))
    except NotRegularFileError as error:
        yield ReadUnit("skipped", root, (path,), reason=str(error))
    except OSError as error:
        yield ReadUnit("skipped", root, (path,), reason=f"cannot read file: {error.strerror}")


def plan_units(inputs: list[Path], batch_size: int, exclude: Iterable[Path] = ()) -> list[ReadUnit]:
    """The read units of ``inputs``, in a stable order; ``exclude`` (the run's own files) is never read."""
    units: list[ReadUnit] = []
    pending: list[str] = []
    pending_root = None

    def flush() -> None:
        nonlocal pending
        if pending:
            units.append(ReadUnit("files", pending_root, tuple(pending)))
            pending = []

    for entry in walk_inputs(inputs, exclude):
        if isinstance(entry, SkippedEntry):
            units.append(ReadUnit("skipped", os.path.dirname(entry.path), (entry.path,), reason=entry.reason))
            continue
        for unit in _file_units(entry, batch_size):
            if unit.kind != "files":
                units.append(unit)
                continue
            if pending_root != unit.root:
                flush()
                pending_root = unit.root
            pending.append(unit.paths[0])
            if len(pending) >= batch_size:
                flush()
    flush()
    return units


def input_fingerprint(inputs: list[Path], exclude: Iterable[Path] = ()) -> str:
    """sha256 over the path and bytes of every file ``plan_units`` would read: equal fingerprints, equal articles."""
    digest = hashlib.sha256()
    for entry in walk_inputs(inputs, exclude, warn=False):
        digest.update(f"{entry.path}\x00".encode("utf-8", "surrogateescape"))
        if isinstance(entry, SkippedEntry):
            digest.update(f"skipped: {entry.reason}".encode())
            continue
        try:
            file_digest = hashlib.sha256()
            with open_regular(entry.path) as handle:
                while block := handle.read(1 << 22):
                    file_digest.update(block)
            digest.update(file_digest.digest())
        except OSError as error:
            digest.update(f"unreadable: {error.strerror or error}".encode())
    return digest.hexdigest()


def _read_range(path: str, start: int, end: int, cap: int | None = None) -> bytes:
    """Bytes ``start:end`` of ``path`` (to its end when ``end`` is -1), at most ``cap`` + 1 of them."""
    with open_regular(path) as handle:
        handle.seek(start)
        length = -1 if end < 0 else end - start
        if cap is not None and (length < 0 or length > cap + 1):
            length = cap + 1
        return handle.read(length)


def _unreadable(path: str, locator: str, error: OSError) -> QuarantineRecord:
    if isinstance(error, NotRegularFileError):
        reason = str(error)
    elif isinstance(error, FileNotFoundError):
        reason = "file disappeared between listing and reading: not read"
    else:
        reason = f"cannot read file: {error.strerror or error}"
    return QuarantineRecord.of(display_path(path), locator, reason, b"")


def read_unit(unit: ReadUnit) -> Iterator[Item]:
    if unit.kind == "skipped":
        yield QuarantineRecord.of(display_path(unit.paths[0]), "", unit.reason, b"")
        return
    if unit.kind == "oversize":
        path = unit.paths[0]
        locator = f"line {unit.first_line}" if Path(path).suffix.lower() in JSONL_SUFFIXES and unit.byte_start else ""
        try:
            sample = _read_range(path, unit.byte_start, unit.byte_start + SAMPLE_BYTES)
        except OSError as error:
            yield _unreadable(path, locator, error)
            return
        yield QuarantineRecord.of(display_path(path), locator, unit.reason, sample)
        return
    if unit.kind == "jsonl":
        path = unit.paths[0]
        try:
            data = _read_range(path, unit.byte_start, unit.byte_end)
        except OSError as error:
            yield _unreadable(path, f"line {unit.first_line}", error)
            return
        yield from read_jsonl(data, display_path(path), unit.first_line)
        return
    if unit.kind == "sgml":
        path = unit.paths[0]
        try:
            data = _read_range(path, 0, -1, MAX_SGML_BYTES)
        except OSError as error:
            yield _unreadable(path, "", error)
            return
        source = display_path(path)
        if len(data) > MAX_SGML_BYTES:
            yield QuarantineRecord.of(source, "", _too_large(os.path.getsize(path), MAX_SGML_BYTES, "SGML file"),
                                      data[:SAMPLE_BYTES])
        elif is_duckdb_header(data[:16]):
            yield QuarantineRecord.of(source, "", "a DuckDB database file, not articles: not read", b"")
        elif looks_binary(data) and b"<REUTERS" not in data:
            # Control bytes inside documents are dropped by the reader; only a file with no document is refused.
            yield QuarantineRecord.of(source, "", "binary content (NUL or control bytes), not SGML text", data)
        else:
            yield from read_reuters_sgml(data, source)
        return
    for path in unit.paths:
        source = display_path(path)
        try:
            data = _read_range(path, 0, -1, MAX_ARTICLE_BYTES)
        except OSError as error:
            yield _unreadable(path, "", error)
            continue
        if len(data) > MAX_ARTICLE_BYTES:
            size = max(len(data), _size_or_zero(path))
            yield QuarantineRecord.of(source, "", f"file too large for one article: {size:,} bytes > {MAX_ARTICLE_BYTES:,}",
                                      data[:SAMPLE_BYTES])
            continue
        if is_duckdb_header(data[:16]):
            yield QuarantineRecord.of(source, "", "a DuckDB database file, not articles: not read", b"")
            continue
        yield read_single_article(data, source, display_path(os.path.relpath(path, unit.root)))


def _size_or_zero(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0
