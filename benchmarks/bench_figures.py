"""Throughput of transforms.figures.extract_figures, in articles per second.

    python benchmarks/bench_figures.py [--articles 2000] [--repeat 3] [--corpus seed|bbc|reuters|gvdb]

Articles are the seed body (about 4,000 characters), BBC News bodies, Reuters-21578 bodies or
GVDB dev texts, cycled to the batch size the pipeline uses (500-2000). Mentions are empty:
attribution adds a join. Measure one core: ``POLARS_MAX_THREADS=1``; CPU time is printed next
to wall time because the machine is shared.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import polars as pl

from transforms.figures import extract_figures
from transforms.schema import MENTIONS, empty
try:  # as `python -m benchmarks.X` or as `python benchmarks/X.py`
    from benchmarks.timing import best_of
except ImportError:
    from timing import best_of

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"


def bodies(corpus: str, limit: int) -> list[str]:
    if corpus == "gvdb":
        from evaluation.casualties import read_gold

        return read_gold(SHARED / "figures" / "gvdb" / "dev.tsv").get_column("text").to_list()
    if corpus == "bbc":
        texts = []
        for path in sorted((SHARED / "news" / "bbc").glob("*/*.txt"))[:limit]:
            data = path.read_bytes()
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
            texts.append(text.split("\n", 2)[2] if text.count("\n") >= 2 else text)
        return texts
    if corpus == "reuters":
        from transforms.readers import RawRecord
        from transforms.readers.formats import read_reuters_sgml

        texts = []
        for path in sorted((SHARED / "news" / "reuters21578").glob("reut2-*.sgm")):
            for item in read_reuters_sgml(path.read_bytes(), str(path)):
                if isinstance(item, RawRecord) and item.body:
                    texts.append(item.body)
                if len(texts) >= limit:
                    return texts
        return texts
    return [(REPO / "seeds" / "000_bd22b0fa7cd20e9b.txt").read_text(encoding="utf-8").split("\n", 2)[2]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--corpus", choices=["seed", "bbc", "reuters", "gvdb"], default="seed")
    args = parser.parse_args()
    texts = bodies(args.corpus, args.articles)
    batch = pl.DataFrame(
        {"article_id": [f"{i:016x}" for i in range(args.articles)], "body": [texts[i % len(texts)] for i in range(args.articles)]}
    )
    chars = batch.get_column("body").str.len_chars().sum()
    extract_figures(batch.head(10), empty(MENTIONS))  # compile the regexes once
    best, best_cpu, figures = best_of(args.repeat, lambda: extract_figures(batch, empty(MENTIONS)))
    print(
        f"{args.corpus}: {args.articles} articles ({chars / args.articles:.0f} chars avg), {figures.height} figures: "
        f"best {best:.2f}s wall = {args.articles / best:,.0f} articles/s; "
        f"{best_cpu:.2f}s CPU = {args.articles / best_cpu:,.0f} articles/s per core"
    )


if __name__ == "__main__":
    main()
