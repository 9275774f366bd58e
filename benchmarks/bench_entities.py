"""Throughput of the entity stage (tokenise, features, CRF, linking) on one core.

    python benchmarks/bench_entities.py [--conll ../shared/data/conll2003/eng.train] [--repeat 3]

Reports CoNLL tokens per second of ``extract_mentions`` on the documents of a
CoNLL file, with polars limited to one thread (POLARS_MAX_THREADS=1).
"""

from __future__ import annotations

import os

os.environ.setdefault("POLARS_MAX_THREADS", "1")

import argparse  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from transforms.entities import extract_mentions  # noqa: E402
from transforms.entities.conll import as_articles, read_conll  # noqa: E402

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "conll2003" / "eng.testa"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conll", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    docs = read_conll(args.conll)
    articles = as_articles(docs)
    tokens = sum(len(d.tokens) for d in docs)
    extract_mentions(articles.head(5))  # load weights outside the timing
    best = float("inf")
    for _ in range(args.repeat):
        began = time.perf_counter()
        extract_mentions(articles)
        best = min(best, time.perf_counter() - began)
    print(f"{args.conll.name}: {len(docs)} docs, {tokens} tokens, best of {args.repeat}: {best:.3f}s = {tokens / best:,.0f} tokens/s")


if __name__ == "__main__":
    main()
