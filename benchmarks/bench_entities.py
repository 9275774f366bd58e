"""Throughput of the entity stage (tokenise, features, CRF, linking) on one core.

    python benchmarks/bench_entities.py [--conll ../shared/data/conll2003/eng.testa]
                                        [--news '../shared/data/news/bbc/*/*.txt'] [--sample 500] [--repeat 5]

Times ``extract_mentions`` with polars limited to one thread
(POLARS_MAX_THREADS=1) on the documents of a CoNLL file and on a sample of
news bodies (title-first text files: title line, blank line, body). Reports
tokens per second of CPU time (the process's, best of ``--repeat``), which
other jobs on a shared machine disturb far less than wall time; wall time is
shown beside it. CoNLL tokens are the file's; news tokens are
``transforms.tokens.tokenize``'s non-space tokens.
"""

from __future__ import annotations

import os

os.environ.setdefault("POLARS_MAX_THREADS", "1")

import argparse  # noqa: E402
import glob  # noqa: E402
import random  # noqa: E402
from pathlib import Path  # noqa: E402

import polars as pl  # noqa: E402

from transforms.entities import extract_mentions  # noqa: E402
from transforms.entities.conll import as_articles, read_conll  # noqa: E402
from transforms.tokens import tokenize  # noqa: E402
try:  # as `python -m benchmarks.X` or as `python benchmarks/X.py`
    from benchmarks.timing import best_of  # noqa: E402
except ImportError:
    from timing import best_of  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
DEFAULT_CONLL = SHARED / "conll2003" / "eng.testa"
DEFAULT_NEWS = str(SHARED / "news" / "bbc" / "*" / "*.txt")


def news_articles(pattern: str, sample: int, seed: int = 0) -> pl.DataFrame:
    """Bodies of a seeded random sample of title-first text files."""
    paths = sorted(glob.glob(pattern))
    paths = random.Random(seed).sample(paths, min(sample, len(paths)))
    bodies = []
    for path in paths:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
        bodies.append(text.split("\n\n", 1)[1].lstrip("\r\n") if "\n\n" in text else text)
    return pl.DataFrame({"article_id": [Path(p).as_posix() for p in paths], "body": bodies})


def measure(name: str, articles: pl.DataFrame, tokens: int, repeat: int) -> None:
    extract_mentions(articles.head(5))  # load weights and lexicons outside the timing
    wall, cpu, _ = best_of(repeat, lambda: extract_mentions(articles))
    print(
        f"{name}: {articles.height} docs, {tokens} tokens, best of {repeat}: "
        f"cpu {cpu:.3f}s = {tokens / cpu:,.0f} tokens/s ({articles.height / cpu:,.0f} docs/s); "
        f"wall {wall:.3f}s = {tokens / wall:,.0f} tokens/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conll", type=Path, default=DEFAULT_CONLL)
    parser.add_argument("--news", default=DEFAULT_NEWS, help="glob of title-first news files ('' to skip)")
    parser.add_argument("--sample", type=int, default=500, help="news files to sample")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if args.news and Path(args.news).is_dir():
        parser.error(f"--news takes a glob of title-first text files, not a folder: e.g. '{Path(args.news) / 'bbc' / '*' / '*.txt'}'")
    if args.conll and args.conll.exists():
        docs = read_conll(args.conll)
        measure(args.conll.name, as_articles(docs), sum(len(d.tokens) for d in docs), args.repeat)
    if args.news:
        articles = news_articles(args.news, args.sample)
        if articles.height:
            measure(f"news sample ({args.news})", articles, tokenize(articles).height, args.repeat)


if __name__ == "__main__":
    main()
