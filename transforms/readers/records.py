from __future__ import annotations

from dataclasses import dataclass

RAW_SAMPLE_CHARS = 2000


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One article as a reader found it; parsing and checks come later."""

    source: str  # file path as given
    locator: str  # where in the file: "line 12", "NEWID=5", "" for whole files
    source_id: str  # the record's own id (JSONL id, Reuters NEWID, relative path)
    title: str | None
    body: str | None
    published_date: str | None  # as written; parsed in transforms.parse
    url: str | None


@dataclass(frozen=True, slots=True)
class QuarantineRecord:
    source: str
    locator: str
    reason: str
    raw: str

    @classmethod
    def of(cls, source: str, locator: str, reason: str, raw: bytes | str) -> "QuarantineRecord":
        if isinstance(raw, bytes):
            raw = raw[: RAW_SAMPLE_CHARS * 4].decode("utf-8", errors="replace")
        return cls(source, locator, reason, raw[:RAW_SAMPLE_CHARS])
