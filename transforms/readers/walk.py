"""Which files of the inputs are read: regular files inside the input roots, nothing else.

A folder of articles can hold things that must never be read as articles: a named pipe
(reading it blocks forever), a device (``/dev/zero`` never ends), a socket, a symbolic
link out of the folder, the warehouse itself or the run's reports. ``walk_inputs``
lists the files to read and, for every entry it will not read, says why; ``open_regular``
opens a file only when it still is a regular file at the moment it is read (a file can
be swapped for a pipe between listing and reading), without blocking on a pipe.

Paths keep the bytes the file system gave them: a name that is not valid UTF-8 is a
``str`` with surrogate escapes, usable to open the file; ``display_path`` is its
printable form, used wherever a path is stored or shown.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

log = logging.getLogger("newsetl.readers")

# Documentation that ships beside corpora, never articles.
SKIPPED_NAMES = ("readme", "license", "licence", "source.md", "changelog")
SKIPPED_SUFFIXES = {".md", ".dtd"}

_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


class NotRegularFileError(OSError):
    """The path is not (or is no longer) a regular file: it is not read."""


@dataclass(frozen=True, slots=True)
class InputFile:
    path: str  # as listed, to open (may hold surrogate escapes)
    root: str  # the input folder it was found under (its own parent for a file given directly)


@dataclass(frozen=True, slots=True)
class SkippedEntry:
    path: str
    reason: str


def display_path(path: str | os.PathLike) -> str:
    """``path`` as valid UTF-8 text: bytes that are not UTF-8 are shown as ``\\xNN``."""
    return os.fsencode(path).decode("utf-8", errors="backslashreplace")


def kind_of(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def is_skipped_name(name: str) -> bool:
    lower = name.lower()
    return lower.startswith(".") or lower.startswith(SKIPPED_NAMES) or Path(lower).suffix in SKIPPED_SUFFIXES


def _inside(path: str, roots: Iterable[str]) -> bool:
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def walk_inputs(inputs: Iterable[Path], exclude: Iterable[Path] = (), warn: bool = True) -> Iterator[InputFile | SkippedEntry]:
    """Every file under ``inputs`` in a stable order (inputs as given, then sorted paths), or why it is skipped.

    Skipped silently: names starting with a dot or naming documentation (README, LICENSE,
    ``*.md``), and the ``exclude`` paths (the run's own warehouse, lock and reports).
    Skipped with a reason: anything that is not a regular file, a symbolic link whose
    target lies outside every input, a second path to a file already listed. Each skip is
    logged as a warning on ``newsetl.readers`` unless ``warn`` is false.
    """
    inputs = [Path(p) for p in inputs]
    roots = [os.path.realpath(p) for p in inputs]
    # An exclusion that is (or holds) an input itself, e.g. --report-dir the input folder, excludes nothing:
    # the input was asked for.
    excluded = [e for e in map(os.path.realpath, exclude) if not any(_inside(root, [e]) for root in roots)]
    seen: set[tuple[int, int]] = set()
    for given in inputs:
        try:
            mode = os.stat(given).st_mode
        except OSError as error:
            yield SkippedEntry(str(given), f"cannot read input: {error.strerror}")
            continue
        if stat.S_ISDIR(mode):
            candidates = _walk_folder(given, roots, excluded)
            root = str(given)
        else:
            candidates = iter([str(given)])
            root = str(given.parent)
        for path in candidates:
            entry = path if isinstance(path, SkippedEntry) else _check_file(
                path, root, roots, excluded, seen, explicit=path == str(given))
            if isinstance(entry, SkippedEntry) and warn:
                log.warning("skipping %s: %s", display_path(entry.path), entry.reason)
            if entry is not None:
                yield entry


def _walk_folder(folder: Path, roots: list[str], excluded: list[str]) -> Iterator[str | SkippedEntry]:
    def onerror(error: OSError) -> None:
        log.warning("cannot list %s: %s", display_path(error.filename or folder), error.strerror)

    for directory, subdirs, files in os.walk(folder, onerror=onerror, followlinks=False):
        kept = []
        for name in sorted(subdirs):
            path = os.path.join(directory, name)
            if name.startswith(".") or _inside(os.path.realpath(path), excluded):
                continue
            if os.path.islink(path):
                # Not followed: a link inside the inputs is read at its real place; one outside is not read.
                if not _inside(os.path.realpath(path), roots):
                    yield SkippedEntry(path, "symbolic link to a folder outside the inputs: not followed")
                continue
            kept.append(name)
        subdirs[:] = kept
        for name in sorted(files):
            if not is_skipped_name(name):
                yield os.path.join(directory, name)


def _check_file(path: str, root: str, roots: list[str], excluded: list[str], seen: set[tuple[int, int]],
                explicit: bool) -> InputFile | SkippedEntry | None:
    real = os.path.realpath(path)
    if _inside(real, excluded):
        log.debug("not reading %s: it is one of the run's own files", display_path(path))
        return None
    if os.path.islink(path) and not explicit and not _inside(real, roots):
        return SkippedEntry(path, f"symbolic link to {display_path(real)}, outside the inputs: not followed")
    try:
        info = os.stat(path)
    except OSError as error:
        return SkippedEntry(path, f"cannot read file: {error.strerror}")
    if not stat.S_ISREG(info.st_mode):
        target = f" (symbolic link to {display_path(real)})" if os.path.islink(path) else ""
        return SkippedEntry(path, f"{kind_of(info.st_mode)}{target}, not a regular file: not read")
    identity = (info.st_dev, info.st_ino)
    if identity in seen:
        log.info("not reading %s again: the same file is already read under another path", display_path(path))
        return None
    seen.add(identity)
    return InputFile(path, root)


def open_regular(path: str) -> BinaryIO:
    """Open ``path`` for reading if it is a regular file now; never blocks on a pipe.

    Raises NotRegularFileError for anything else and OSError when it cannot be opened
    (gone since it was listed, no permission).
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFileError(f"{kind_of(mode)}, not a regular file: not read")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
