"""How unlabelled news writes each word inside a sentence: the share of its occurrences capitalised.

    python -m transforms.entities.news_casing [--news-dir ../shared/data/news] [--out transforms/models/news_casing.parquet]

The entity tagger learns names from 1996 Reuters text; it calls some capitalised
common words organisations ("told Radio 4", "Best musical actor", "the last
Parliamentary session"). Whether a word is a name or a common word is better
told by much more text: how often the news writes it capitalised where case
carries meaning (not at the start of a line or sentence, not in an ALL-CAPS line).

Built once, at build time, from the same unlabelled corpora as the word clusters
(``clusters.news_texts``: Reuters-21578 and BBC, no CoNLL text). Ships only the
table ``word`` (lower case), ``upper`` (percent of its occurrences capitalised,
0-100) and ``n`` (occurrences counted), words seen at least ``MIN_COUNT`` times.
The same inputs give the same table.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from transforms.entities.clusters import MODEL_DIR, build_table, news_texts
from transforms.entities.features import sentences, word_features
from transforms.tokens import ENGINE, tokenize

NEWS_CASING_PATH = MODEL_DIR / "news_casing.parquet"
MIN_COUNT = 3
SCHEMA = pl.Schema({"word": pl.String, "upper": pl.UInt8, "n": pl.UInt32})


def word_casing(articles: pl.DataFrame, min_count: int = MIN_COUNT) -> pl.DataFrame:
    """``word, upper, n`` for the words of ``articles`` (``article_id``, ``body``) seen ``min_count`` times where case counts."""
    tokens = tokenize(articles)
    return (
        sentences(tokens, word_features(tokens, None))
        .filter("is_evidence")
        .group_by(pl.col("low").alias("word"))
        .agg(upper=(pl.col("starts_upper").mean() * 100).round().cast(pl.UInt8), n=pl.len().cast(pl.UInt32))
        .filter(pl.col("n") >= min_count)
        .sort("word")
        .collect(engine=ENGINE)
    )


def load_news_casing(path: Path = NEWS_CASING_PATH) -> pl.DataFrame:
    """The shipped table, or an empty one (every word unknown) when it was not built."""
    return pl.read_parquet(path) if path.exists() else pl.DataFrame(schema=SCHEMA)


def main(argv: list[str] | None = None) -> None:
    build_table(argv, __doc__, NEWS_CASING_PATH, lambda news_dir: word_casing(news_texts(news_dir)), "")


if __name__ == "__main__":
    main()
