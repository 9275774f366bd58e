"""Split the inputs into read units of about ``batch_size`` articles, and read one unit.

Planning only lists files and, for JSON Lines, finds line boundaries; reading a
unit is independent of every other unit, so units can run anywhere.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from transforms.readers.decode import looks_binary
from transforms.readers.formats import Item, read_jsonl, read_reuters_sgml, read_single_article
from transforms.readers.records import QuarantineRecord

JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SGML_SUFFIXES = {".sgm", ".sgml"}
# Documentation that ships beside corpora, never articles.
SKIPPED_NAMES = ("readme", "license", "licence", "source.md", "changelog")
SKIPPED_SUFFIXES = {".md", ".dtd"}
# One article this large is not an article: a dump, a log or a mistake.
MAX_ARTICLE_BYTES = 5 * 1024 * 1024
JSONL_CHUNK_TARGET_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ReadUnit:
    kind: Literal["files", "jsonl", "sgml"]
    root: str
    paths: tuple[str, ...]
    byte_start: int = 0
    byte_end: int = -1  # -1: to the end of the file
    first_line: int = 1


def _is_skipped(path: Path) -> bool:
    name = path.name.lower()
    return name.startswith(".") or name.startswith(SKIPPED_NAMES) or path.suffix.lower() in SKIPPED_SUFFIXES


def _files_under(root: Path) -> Iterator[Path]:
    if root.is_file():
        yield root
        return
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(directory) / name
            if not _is_skipped(path):
                yield path


def _jsonl_ranges(path: Path, batch_size: int) -> Iterator[tuple[int, int, int]]:
    """(byte_start, byte_end, first_line) chunks of whole lines, ~batch_size lines each."""
    start, line_no, lines_in_chunk, offset = 0, 1, 0, 0
    chunk_start_line = 1
    with path.open("rb") as handle:
        while block := handle.read(1 << 22):
            position = 0
            while (newline := block.find(b"\n", position)) != -1:
                position = newline + 1
                line_no += 1
                lines_in_chunk += 1
                end = offset + position
                if lines_in_chunk >= batch_size or end - start >= JSONL_CHUNK_TARGET_BYTES:
                    yield start, end, chunk_start_line
                    start, chunk_start_line, lines_in_chunk = end, line_no, 0
            offset += len(block)
    if offset > start:
        yield start, -1, chunk_start_line


def plan_units(inputs: list[Path], batch_size: int) -> list[ReadUnit]:
    units: list[ReadUnit] = []
    for given in inputs:
        root = given if given.is_dir() else given.parent
        pending: list[str] = []
        for path in _files_under(given):
            suffix = path.suffix.lower()
            if suffix in JSONL_SUFFIXES:
                for start, end, first in _jsonl_ranges(path, batch_size):
                    units.append(ReadUnit("jsonl", str(root), (str(path),), start, end, first))
            elif suffix in SGML_SUFFIXES:
                units.append(ReadUnit("sgml", str(root), (str(path),)))
            else:
                pending.append(str(path))
                if len(pending) >= batch_size:
                    units.append(ReadUnit("files", str(root), tuple(pending)))
                    pending = []
        if pending:
            units.append(ReadUnit("files", str(root), tuple(pending)))
    return units


def input_fingerprint(inputs: list[Path]) -> str:
    """sha256 over the path and bytes of every file ``plan_units`` would read: equal fingerprints, equal articles."""
    digest = hashlib.sha256()
    for given in inputs:
        for path in _files_under(given):
            digest.update(f"{path}\x00".encode("utf-8", "surrogateescape"))
            try:
                digest.update(hashlib.sha256(path.read_bytes()).digest())
            except OSError as error:
                digest.update(f"unreadable: {error.strerror}".encode())
    return digest.hexdigest()


def _read_range(path: str, start: int, end: int) -> bytes:
    with open(path, "rb") as handle:
        handle.seek(start)
        return handle.read() if end < 0 else handle.read(end - start)


def read_unit(unit: ReadUnit) -> Iterator[Item]:
    if unit.kind == "jsonl":
        path = unit.paths[0]
        yield from read_jsonl(_read_range(path, unit.byte_start, unit.byte_end), path, unit.first_line)
        return
    if unit.kind == "sgml":
        path = unit.paths[0]
        data = Path(path).read_bytes()
        if looks_binary(data):
            yield QuarantineRecord.of(path, "", "binary content (NUL or control bytes), not SGML text", data)
            return
        yield from read_reuters_sgml(data, path)
        return
    for path in unit.paths:
        relative = os.path.relpath(path, unit.root)
        try:
            size = os.path.getsize(path)
            if size > MAX_ARTICLE_BYTES:
                yield QuarantineRecord.of(
                    path, "", f"file too large for one article: {size:,} bytes > {MAX_ARTICLE_BYTES:,}",
                    _read_range(path, 0, 8192),
                )
                continue
            data = Path(path).read_bytes()
        except OSError as error:
            yield QuarantineRecord.of(path, "", f"cannot read file: {error.strerror}", b"")
            continue
        yield read_single_article(data, path, relative)
