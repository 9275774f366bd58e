"""Settings read from NEWSETL_* environment variables, checked: a bad value is one clear line, never a traceback.

Each setting is read when it is used, not when a module is imported, and the CLI checks them all
before it starts a command (``check_all``), so a typo in the environment fails at once with the
variable's name and what it should be.
"""

from __future__ import annotations

import os


class SettingError(ValueError):
    """A NEWSETL_* environment variable holds a value newsetl cannot use; the message says which and why."""


# Every whole-number setting and its least value. The string settings (NEWSETL_DB, NEWSETL_CACHE_DIR,
# NEWSETL_SUITES_DIR, NEWSETL_STORAGE_VERSION) are checked where they are used.
WHOLE_NUMBER_MINIMUMS = {"NEWSETL_MAX_INPUT_FILE_BYTES": 1, "NEWSETL_EXTRACT_PROCESSES": 0}


def whole_number(name: str, default: int | None) -> int | None:
    """The integer in environment variable ``name`` (``default`` when unset or blank), at least its minimum."""
    minimum = WHOLE_NUMBER_MINIMUMS[name]
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw.replace("_", ""))
    except ValueError:
        raise SettingError(f"{name}={raw!r} is not a whole number") from None
    if value < minimum:
        raise SettingError(f"{name}={raw!r} must be at least {minimum}")
    return value


def check_all() -> None:
    """Raise SettingError for the first NEWSETL_* whole-number setting with a bad value."""
    for name in WHOLE_NUMBER_MINIMUMS:
        whole_number(name, None)
