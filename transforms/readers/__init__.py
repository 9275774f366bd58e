"""Readers: turn input files into raw article records, and bad input into quarantine records.

Each reader yields :class:`RawRecord` and :class:`QuarantineRecord` items; nothing
raises for bad data. Format is detected per file (see :mod:`.detect`).
"""

from transforms.readers.records import QuarantineRecord, RawRecord
from transforms.readers.plan import ReadUnit, input_fingerprint, plan_units, read_unit

__all__ = ["QuarantineRecord", "RawRecord", "ReadUnit", "input_fingerprint", "plan_units", "read_unit"]
