"""The benchmark corpora: the real news corpora, and the same replicated with distinct ids to a target size.

The real corpora are ``../shared/data/news`` (Reuters-21578 SGML and the BBC folders).
A replicated corpus is the real one plus JSON Lines copies of its articles: copy N of an
article has the id ``<source_id>#copyN`` and ``(copy N)`` appended to its title, so it is a
new article to the pipeline (a same-title-same-body copy would be quarantined as a duplicate).
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from transforms.parse import parse_articles, records_to_frame
from transforms.readers import RawRecord, plan_units, read_unit
from transforms.tokens import TOKEN_PATTERN

REPO = Path(__file__).resolve().parents[1]
NEWS = REPO.parent / "shared" / "data" / "news"


class CorpusMissing(RuntimeError):
    """The shared news corpora are not on this machine."""


def real_inputs() -> list[Path]:
    if not NEWS.exists():
        raise CorpusMissing(f"needs {NEWS} (Reuters-21578 and BBC, public research data, not in the repo)")
    return [NEWS]


def real_articles() -> pl.DataFrame:
    """The articles of the real corpora as the pipeline accepts them (quarantined records left out)."""
    records = [item for unit in plan_units(real_inputs(), 500) for item in read_unit(unit) if isinstance(item, RawRecord)]
    articles, _ = parse_articles(records_to_frame(records))
    return articles.unique("content_sha256", keep="first", maintain_order=True)


def token_count(bodies: pl.Series) -> int:
    """Non-space tokens as ``transforms.tokens`` counts them (every whitespace run is one match)."""
    counted = pl.DataFrame({"body": bodies}).select(
        pl.col("body").str.count_matches(TOKEN_PATTERN).sum() - pl.col("body").str.count_matches(r"\s+").sum()
    )
    return int(counted.item())


def replicated(target: int, folder: Path) -> tuple[list[Path], dict]:
    """Inputs holding ``target`` articles or more: the real corpora plus JSONL copies written under ``folder``.

    Returns the inputs and a manifest (articles, tokens); the copies are reused when the manifest matches.
    """
    folder.mkdir(parents=True, exist_ok=True)
    manifest_path = folder / "manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("target") == target and all((folder / name).exists() for name in manifest["files"]):
            return [*real_inputs(), *(folder / name for name in manifest["files"])], manifest
    articles = real_articles()
    tokens_per_copy = token_count(articles["body"])
    total, tokens, files, copy = articles.height, tokens_per_copy, [], 0
    while total < target:
        copy += 1
        take = articles.head(target - total)
        name = f"copy_{copy:02d}.jsonl"
        with (folder / name).open("w", encoding="utf-8") as handle:
            for source_id, title, body, date in take.select(
                "source_id", "title", "body", pl.col("published_date").cast(pl.String)
            ).iter_rows():
                handle.write(json.dumps({
                    "id": f"{source_id}#copy{copy}", "title": f"{title or ''} (copy {copy})".strip(),
                    "date": date, "text": body,
                }) + "\n")
        total += take.height
        tokens += tokens_per_copy if take.height == articles.height else token_count(take["body"])
        files.append(name)
    manifest = {"target": target, "articles": total, "real_articles": articles.height, "tokens": tokens, "files": files}
    manifest_path.write_text(json.dumps(manifest, indent=2))
    return [*real_inputs(), *(folder / name for name in files)], manifest


def small_feed(folder: Path, articles: int = 2000) -> Path:
    """A JSON Lines feed of ``articles`` real articles, half BBC and half Reuters (the first of each, in corpus
    order), written once under ``folder`` and reused."""
    path = folder / f"small-{articles}.jsonl"
    if path.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    real = real_articles()
    bbc = real.filter(pl.col("source_id").str.starts_with("bbc/")).head(articles // 2)
    reuters = real.filter(~pl.col("source_id").str.starts_with("bbc/")).head(articles - bbc.height)
    partial = path.with_suffix(".partial")
    with partial.open("w", encoding="utf-8") as handle:
        for source_id, title, body, date in pl.concat([bbc, reuters]).select(
            "source_id", "title", "body", pl.col("published_date").cast(pl.String)
        ).iter_rows():
            handle.write(json.dumps({"id": source_id, "title": title, "date": date, "text": body}) + "\n")
    partial.replace(path)
    return path
