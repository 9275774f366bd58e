"""Throughput of transforms.figures.extract_figures, in articles per second.

    python benchmarks/bench_figures.py [--articles 2000] [--repeat 3] [--gvdb ../shared/data/figures/gvdb/dev.tsv]

Articles are the seed body (about 4,000 characters), or GVDB dev texts when given, cycled
to the batch size the pipeline uses (500-2000). Mentions are empty: attribution adds a join.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import polars as pl

from transforms.figures import extract_figures
from transforms.schema import MENTIONS, empty

REPO = Path(__file__).resolve().parents[1]


def bodies(gvdb: Path | None) -> list[str]:
    if gvdb is not None:
        from evaluation.casualties import read_gold

        return read_gold(gvdb).get_column("text").to_list()
    return [(REPO / "seeds" / "000_bd22b0fa7cd20e9b.txt").read_text(encoding="utf-8").split("\n", 2)[2]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--gvdb", type=Path, default=None)
    args = parser.parse_args()
    texts = bodies(args.gvdb)
    batch = pl.DataFrame(
        {"article_id": [f"{i:016x}" for i in range(args.articles)], "body": [texts[i % len(texts)] for i in range(args.articles)]}
    )
    chars = batch.get_column("body").str.len_chars().sum()
    extract_figures(batch.head(10), empty(MENTIONS))  # compile the regexes once
    best = float("inf")
    for _ in range(args.repeat):
        started = time.perf_counter()
        figures = extract_figures(batch, empty(MENTIONS))
        best = min(best, time.perf_counter() - started)
    print(
        f"{args.articles} articles ({chars / args.articles:.0f} chars avg), {figures.height} figures: "
        f"best {best:.2f}s = {args.articles / best:,.0f} articles/s"
    )


if __name__ == "__main__":
    main()
