"""Word clusters learnt from unlabelled news, as tagger features (word -> cluster id at three granularities).

    python -m transforms.entities.clusters [--news-dir ../shared/data/news] [--out transforms/models/word_clusters.parquet]

The tagger knows the words of its training text; clusters let it carry what it
learnt about a word to words used alike that it never saw labelled ("Chelsea"
beside "Arsenal", "Sony" beside "Toshiba"). Built once, at build time:

1. text: every article of the Reuters-21578 SGML files and the BBC text files
   under ``--news-dir`` (read with ``transforms.readers``), titles and bodies;
   no CoNLL text, so cross-validation on CoNLL stays clean;
2. words as the tagger's ``w`` feature writes them (lower-cased, digits as 0,
   U.S. as us) that occur at least ``MIN_COUNT`` times;
3. each word's contexts: the word 1 and 2 places to its left and to its right
   (four separate slots, the ``CONTEXT_WORDS`` most frequent words each),
   weighted by positive pointwise mutual information (context counts smoothed
   to the power 0.75), reduced by a truncated SVD to ``DIMENSIONS`` dimensions;
4. k-means (cosine, fixed seed, k-means++ start) at each of ``GRANULARITIES``:
   coarse clusters generalise, fine ones keep distinctions.

Ships only the table ``word, c1, c2, c3`` (cluster ids as strings), a few
hundred kB of Parquet. The same inputs and settings give the same table.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import polars as pl

from transforms.tokens import ENGINE, tokenize

MODEL_DIR = Path(__file__).resolve().parents[1] / "models"
CLUSTERS_PATH = MODEL_DIR / "word_clusters.parquet"
DEFAULT_NEWS_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "news"

MIN_COUNT = 3
CONTEXT_WORDS = 4000
DIMENSIONS = 100
GRANULARITIES = {"c1": 64, "c2": 256, "c3": 1024}
WINDOW = (-2, -1, 1, 2)
SEED = 14

EMPTY = pl.DataFrame(schema={"word": pl.String, **{c: pl.String for c in GRANULARITIES}})


def word_form(token: pl.Expr) -> pl.Expr:
    """The tagger's ``w`` feature: lower case, dotted initialisms undotted (U.S. -> us), digits as 0."""
    low = token.str.to_lowercase()
    return (
        pl.when(token.str.contains(r"^(?:\p{L}\.)+$"))
        .then(low.str.replace_all(r"\.", ""))
        .otherwise(low)
        .str.replace_all(r"\d", "0")
    )


def load_clusters(path: Path = CLUSTERS_PATH) -> pl.DataFrame:
    """The shipped table, or an empty one (no cluster features) when it was not built."""
    return pl.read_parquet(path) if path.exists() else EMPTY


def news_texts(news_dir: Path) -> pl.DataFrame:
    """``article_id, body``: title and body of every Reuters-21578 and BBC article under ``news_dir``."""
    from transforms.readers.formats import RawRecord, read_reuters_sgml, read_single_article

    texts: list[str] = []
    for path in sorted(news_dir.rglob("*.sgm")):
        for item in read_reuters_sgml(path.read_bytes(), str(path)):
            if isinstance(item, RawRecord):
                texts.append(f"{item.title or ''}\n{item.body or ''}")
    for path in sorted(news_dir.rglob("*.txt")):
        if path.parent.parent.name != "bbc":  # bbc/<topic>/<n>.txt, not the corpora's READMEs
            continue
        item = read_single_article(path.read_bytes(), str(path), path.name)
        if isinstance(item, RawRecord):
            texts.append(f"{item.title or ''}\n{item.body or ''}")
    return pl.DataFrame({"article_id": [str(i) for i in range(len(texts))], "body": texts})


def word_vectors(articles: pl.DataFrame) -> tuple[list[str], np.ndarray]:
    """(words, unit-length DIMENSIONS-dim vectors) from PPMI-weighted context counts."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.linalg import svds

    tokens = tokenize(articles).select("article_id", word=word_form(pl.col("token")))
    counts = tokens.group_by("word").len().sort(["len", "word"], descending=[True, False])
    vocab = counts.filter(pl.col("len") >= MIN_COUNT)["word"]
    index = {w: i for i, w in enumerate(vocab.to_list())}
    ids = tokens.select(pl.col("word").replace_strict(index, default=-1, return_dtype=pl.Int64))["word"].to_numpy()
    doc = tokens.select(pl.col("article_id").rle_id())["article_id"].to_numpy()
    rows, cols = [], []
    for slot, k in enumerate(WINDOW):
        if k > 0:
            w, c, same = ids[:-k], ids[k:], doc[:-k] == doc[k:]
        else:
            w, c, same = ids[-k:], ids[:k], doc[-k:] == doc[:k]
        keep = same & (w >= 0) & (c >= 0) & (c < CONTEXT_WORDS)
        rows.append(w[keep])
        cols.append(c[keep] + slot * CONTEXT_WORDS)
    r, c = np.concatenate(rows), np.concatenate(cols)
    matrix = coo_matrix((np.ones(len(r), np.float64), (r, c)), shape=(len(index), CONTEXT_WORDS * len(WINDOW))).tocsr()
    matrix.sum_duplicates()
    total = matrix.sum()
    word_p = np.asarray(matrix.sum(axis=1)).ravel() / total
    context_p = np.asarray(matrix.sum(axis=0)).ravel() ** 0.75
    context_p /= context_p.sum()
    coo = matrix.tocoo()
    pmi = np.log(coo.data / total / (word_p[coo.row] * context_p[coo.col]))
    keep = pmi > 0
    ppmi = coo_matrix((pmi[keep], (coo.row[keep], coo.col[keep])), shape=matrix.shape).tocsr()
    u, s, _ = svds(ppmi, k=DIMENSIONS, random_state=SEED)
    vectors = u * np.sqrt(s)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = vectors / np.where(norms == 0, 1, norms)
    return vocab.to_list(), vectors.astype(np.float32)


def kmeans(vectors: np.ndarray, k: int, iterations: int = 25, seed: int = SEED) -> np.ndarray:
    """Cluster of each row (spherical k-means, k-means++ start, deterministic for a seed)."""
    rng = np.random.default_rng(seed)
    n = len(vectors)
    k = min(k, n)
    centres = np.empty((k, vectors.shape[1]), np.float32)
    centres[0] = vectors[rng.integers(n)]
    distance = 1 - vectors @ centres[0]
    for j in range(1, k):
        p = np.clip(distance, 0, None) ** 2
        centres[j] = vectors[rng.choice(n, p=p / p.sum()) if p.sum() > 0 else rng.integers(n)]
        distance = np.minimum(distance, 1 - vectors @ centres[j])
    assign = np.zeros(n, np.int64)
    for _ in range(iterations):
        new = np.empty(n, np.int64)
        for start in range(0, n, 8192):  # keep the (chunk, k) similarity block small
            new[start : start + 8192] = (vectors[start : start + 8192] @ centres.T).argmax(axis=1)
        if np.array_equal(new, assign) and _ > 0:
            break
        assign = new
        sums = np.zeros_like(centres)
        np.add.at(sums, assign, vectors)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        empty = norms[:, 0] == 0
        centres = np.where(empty[:, None], centres, sums / np.where(norms == 0, 1, norms))
    return assign


def build_clusters(news_dir: Path) -> pl.DataFrame:
    words, vectors = word_vectors(news_texts(news_dir))
    table = {"word": words}
    for name, k in GRANULARITIES.items():
        table[name] = [str(c) for c in kmeans(vectors, k).tolist()]
    return pl.DataFrame(table).sort("word")


def build_table(argv: list[str] | None, description: str, out: Path,
                build: Callable[[Path], pl.DataFrame], what: str) -> None:
    """The command line of a table built from the unlabelled news corpora: ``build(news_dir)`` written to ``--out``."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--news-dir", type=Path, default=DEFAULT_NEWS_DIR)
    parser.add_argument("--out", type=Path, default=out)
    args = parser.parse_args(argv)
    if not args.news_dir.is_dir():
        parser.error(f"no news corpora at {args.news_dir}")
    began = time.perf_counter()
    table = build(args.news_dir)
    table.write_parquet(args.out, compression="zstd")
    print(f"{table.height} words{what} in {time.perf_counter() - began:.0f}s -> {args.out}")


def main(argv: list[str] | None = None) -> None:
    build_table(argv, __doc__, CLUSTERS_PATH, build_clusters, f", clusters {GRANULARITIES},")


if __name__ == "__main__":
    main()
