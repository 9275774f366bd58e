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
        return cls(valid_text(source), valid_text(locator), valid_text(reason), valid_text(raw[:RAW_SAMPLE_CHARS]))


def valid_text(text: str) -> str:
    """``text`` as valid Unicode: a lone surrogate (from a JSON escape or a file name) is shown as ``\\udXXX``."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", errors="backslashreplace").decode("utf-8")
