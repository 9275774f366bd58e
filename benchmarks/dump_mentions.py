"""Dump the extractor's mentions, to check that a speed change leaves the output unchanged.

    python -m benchmarks.dump_mentions OUT.csv [--news 1000]

Writes every mention ``extract_mentions(..., keep_misc=True)`` gives for the
documents of eng.testa and for the first ``--news`` BBC and Reuters articles
(half each, in corpus order, as ``benchmarks.corpus.small_feed`` picks them),
one CSV row per mention: set, article id, label, offsets, text, canonical name,
entity id. Compare two dumps with ``cmp``/``diff``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import polars as pl

from benchmarks.corpus import real_articles
from transforms.entities import extract_mentions
from transforms.entities.conll import as_articles, read_conll

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
CACHE = Path("/tmp") / "newsetl-dump-news.parquet"


def news(n: int) -> pl.DataFrame:
    if CACHE.exists():
        cached = pl.read_parquet(CACHE)
        if cached.height == n:
            return cached
    real = real_articles()
    bbc = real.filter(pl.col("source_id").str.starts_with("bbc/")).head(n // 2)
    reuters = real.filter(~pl.col("source_id").str.starts_with("bbc/")).head(n - bbc.height)
    picked = pl.concat([bbc, reuters]).select(pl.col("source_id").alias("article_id"), "body")
    picked.write_parquet(CACHE)
    return picked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--news", type=int, default=1000)
    args = parser.parse_args()
    sets = {
        "testa": as_articles(read_conll(SHARED / "conll2003" / "eng.testa")).select("article_id", "body"),
        "news": news(args.news),
    }
    frames = [
        extract_mentions(articles, keep_misc=True).select(
            pl.lit(name).alias("set"), "article_id", "label", "start_char", "end_char", "text", "canonical_name", "entity_id"
        )
        for name, articles in sets.items()
    ]
    pl.concat(frames).write_csv(args.out)


if __name__ == "__main__":
    main()
