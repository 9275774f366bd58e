"""The one way transforms cache data they build (gazetteer, lexicon): Arrow IPC files under a cache folder.

The files are uncompressed Arrow IPC, not Parquet: a process that extracts reads them at start-up,
and IPC is read at about a third of Parquet's CPU (no decoding), for about three times the disk.

A cache is a named set of frames, built by a function when any file is missing. Files are
written atomically (a unique temporary name in the same folder, then ``os.replace``), so
processes that build the same cache at once never read a half-written file and never collide
on a temporary name; the last writer wins with identical content. The name carries what the
cache is built from: ``content_digest`` of the code and data files the builder reads, so an edit
to any of them builds the cache again, with no version to remember to bump.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import polars as pl

REPO_ROOT = Path(__file__).resolve().parents[1]


def cache_dir() -> Path:
    """``$NEWSETL_CACHE_DIR``, else ``<repo>/.cache``."""
    return Path(os.environ.get("NEWSETL_CACHE_DIR") or REPO_ROOT / ".cache")


def content_digest(paths: Sequence[Path]) -> str:
    """12 hex digits of a SHA-256 over the names and contents of ``paths`` (in sorted order)."""
    digest = hashlib.sha256()
    for path in sorted(Path(p) for p in paths):
        digest.update(path.name.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:12]


def write_frame_atomic(frame: pl.DataFrame, path: Path) -> None:
    """Write ``frame`` to ``path`` (Arrow IPC) so that a reader sees the old file or the whole new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        frame.write_ipc(temporary, compression="uncompressed")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def cached_frames(name: str, parts: Sequence[str], build: Callable[[], dict[str, pl.DataFrame]]) -> dict[str, pl.DataFrame]:
    """The frames ``parts`` of cache ``name`` (a folder under ``cache_dir()``, versioned by its
    name): read from their files, or built with ``build()`` and written when any part is missing."""
    paths = {part: cache_dir() / name / f"{part}.arrow" for part in parts}
    if all(path.exists() for path in paths.values()):
        try:
            return {part: pl.read_ipc(path) for part, path in paths.items()}
        except (OSError, pl.exceptions.ComputeError):
            pass  # a file removed or damaged under us: build again
    frames = build()
    for part, path in paths.items():
        write_frame_atomic(frames[part], path)
    return frames
