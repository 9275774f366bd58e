"""Throughput of resolve_places after the gazetteer is loaded (target: >= 1,000 articles/s on one core).

Articles are the gold-set texts when ../shared is present (TR-News + GeoWebNews, repeated to
--articles), else copies of the seed article. Mentions come from the entity extractor, computed
once before timing: only place resolution is measured.

    POLARS_MAX_THREADS=1 python benchmarks/bench_places.py --articles 2000
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import polars as pl
try:  # as `python -m benchmarks.X` or as `python benchmarks/X.py`
    from benchmarks.timing import best_of
except ImportError:
    from timing import best_of

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data" / "geoparse"


def sample_articles(n: int) -> pl.DataFrame:
    texts: list[str] = []
    if SHARED.exists():
        from evaluation.geo import read_gold

        for gold in (SHARED / "tr-news" / "TR-News.xml", SHARED / "geowebnews" / "GWN.xml"):
            texts += read_gold(gold)[0]["text"].to_list()
    if not texts:
        texts = [(REPO / "seeds" / "000_bd22b0fa7cd20e9b.txt").read_text(encoding="utf-8").split("\n", 2)[2]]
    bodies = [texts[i % len(texts)] for i in range(n)]
    return pl.DataFrame({"article_id": [f"{i:016x}" for i in range(n)], "title": [None] * n, "body": bodies})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from transforms.entities import extract_mentions
    from transforms.places import load_gazetteer, resolve_places

    started = time.perf_counter()
    load_gazetteer()
    print(f"gazetteer load: {time.perf_counter() - started:.2f}s (polars threads: {os.environ.get('POLARS_MAX_THREADS', 'all')})")
    articles = sample_articles(args.articles)
    # the extractor is not what is measured: tag each distinct text once, then fan out
    distinct = articles.unique("body", keep="first")
    tagged = extract_mentions(distinct)
    mentions = (
        articles.select("article_id", "body")
        .join(distinct.select(pl.col("article_id").alias("first_id"), "body"), on="body")
        .join(tagged.rename({"article_id": "first_id"}), on="first_id")
        .drop("first_id", "body")
        .select(tagged.columns)
    )
    chars = articles["body"].str.len_chars().sum()
    # the first call also builds the per-process lookup tables (lexicons, spot keys): reported apart
    began_cpu = time.process_time()
    resolve_places(articles.head(1), mentions.filter(pl.col("article_id") == articles["article_id"][0]))
    print(f"first call (1 article, builds the per-process lookup tables): {time.process_time() - began_cpu:.2f}s CPU")
    best, best_cpu, (placed, places) = best_of(args.repeat, lambda: resolve_places(articles, mentions))
    print(
        f"{args.articles} articles ({chars / args.articles:,.0f} chars each, {mentions.height} input mentions): "
        f"best of {args.repeat} {best:.2f}s = {args.articles / best:,.0f} articles/s "
        f"({best_cpu:.2f}s CPU = {args.articles / best_cpu:,.0f} articles/s per core); "
        f"{placed.height} placed mentions, {places.height} places"
    )


if __name__ == "__main__":
    main()
