"""SQL lives in ``warehouse/sql`` as one statement group per file; this reads it."""

from __future__ import annotations

from functools import cache
from pathlib import Path

SQL_DIR = Path(__file__).parent / "sql"


@cache
def read_sql(relative: str) -> str:
    return (SQL_DIR / relative).read_text(encoding="utf-8")


def sql_files(folder: str) -> list[str]:
    return [f"{folder}/{p.name}" for p in sorted((SQL_DIR / folder).glob("*.sql"))]
