"""Bytes to text: UTF-8 when it is, a single-byte Western encoding when that can be told, else refuse."""

from __future__ import annotations

_TEXT_CONTROL = {0x09, 0x0A, 0x0C, 0x0D}


class UndecodableError(ValueError):
    """The bytes are not text we can decode with confidence."""


def looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 0x20 and b not in _TEXT_CONTROL and b != 0x1B)
    return controls > max(4, len(sample) // 100)


def decode_text(data: bytes, fallback: str | None = None) -> tuple[str, str]:
    """Return (text, encoding). ``fallback`` is the format's documented encoding (Reuters: latin-1)."""
    if looks_binary(data):
        raise UndecodableError("binary content (NUL or control bytes), not text")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        utf8_error = error
    if fallback:
        return data.decode(fallback), fallback
    # Western single-byte text: cp1252 decodes it; accept when the high bytes are
    # mostly letters and typographic punctuation, as in real latin-1 / cp1252 prose.
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise UndecodableError(f"not UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) and not cp1252") from None
    high = [c for c in text if ord(c) > 0x7F]
    plausible = sum(1 for c in high if c.isalpha() or c in "\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00a0\u00b0\u00a3\u20ac")
    if high and plausible / len(high) >= 0.9:
        return text, "cp1252"
    raise UndecodableError(f"not UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) and the encoding cannot be told")
