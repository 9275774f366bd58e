"""Train the entity tagger on CoNLL-2003 eng.train and export its weights.

    python -m transforms.entities.train [--conll-dir ../shared/data/conll2003]

Trains on eng.train only; eng.testa (dev) is used for the score printed at the
end. L-BFGS in crfsuite is deterministic: the same data and settings give the
same weights (there is no random seed to set). Writes to transforms/models/:
ner_state.parquet, ner_transitions.parquet, gazetteer.parquet, casing.parquet.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import polars as pl

from transforms.entities.conll import as_articles, gold_mentions, read_conll
from transforms.entities.crf import MODEL_DIR, CrfWeights
from transforms.entities.features import TEMPLATES, Lexicons, casing_lexicon, token_features
from transforms.entities.gazetteer import build_gazetteer
from transforms.entities.tagger import TYPE_TO_LABEL, predict_labels, spans_from_tags
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
        features.with_columns(attrs.alias("attrs"), tags)
        .group_by("seq", maintain_order=True)
        .agg("attrs", "tag")
    )
    return grouped["attrs"].to_list(), grouped["tag"].to_list()


def export(model_path: Path, out_dir: Path) -> None:
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
        .with_columns(pl.col("attr").str.split_exact("=", 1).struct.rename_fields(["template", "value"]))
        .unnest("attr")
        .pivot("label", index=["template", "value"], values="weight", on_columns=labels)
        .fill_null(0.0)
        .sort("template", "value")
    )
    for label in labels:
        if label not in state.columns:
            state = state.with_columns(pl.lit(0.0, pl.Float32).alias(label))
    state.select("template", "value", *labels).write_parquet(out_dir / "ner_state.parquet", compression="zstd")
    rows = [[info.transitions.get((frm, to), 0.0) for to in labels] for frm in labels]
    trans = pl.DataFrame(rows, schema={l: pl.Float32 for l in labels}, orient="row").insert_column(
        0, pl.Series("label", labels)
    )
    trans.write_parquet(out_dir / "ner_transitions.parquet")


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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conll-dir", type=Path, default=DEFAULT_CONLL_DIR)
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    parser.add_argument("--max-iterations", type=int, default=PARAMS["max_iterations"])
    parser.add_argument("--c1", type=float, default=PARAMS["c1"])
    parser.add_argument("--c2", type=float, default=PARAMS["c2"])
    args = parser.parse_args(argv)
    import pycrfsuite

    began = time.perf_counter()
    docs = read_conll(args.conll_dir / "eng.train")
    tokens = tokenize(as_articles(docs))
    tags = gold_tags(tokens, gold_mentions(docs))
    lexicons = Lexicons(gazetteer=build_gazetteer(), casing=casing_lexicon(tokens))
    args.out.mkdir(parents=True, exist_ok=True)
    lexicons.gazetteer.write_parquet(args.out / "gazetteer.parquet", compression="zstd")
    lexicons.casing.write_parquet(args.out / "casing.parquet", compression="zstd")
    xseqs, yseqs = crfsuite_sequences(token_features(tokens, lexicons), tags)
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    for x, y in zip(xseqs, yseqs):
        trainer.append(x, y)
    trainer.set_params({**PARAMS, "c1": args.c1, "c2": args.c2, "max_iterations": args.max_iterations})
    with tempfile.TemporaryDirectory() as tmp:
        model_path = Path(tmp) / "ner.crfsuite"
        trainer.train(str(model_path))
        export(model_path, args.out)
    print(f"trained on {tokens.height} tokens in {time.perf_counter() - began:.0f}s")

    dev_path = args.conll_dir / "eng.testa"
    if dev_path.exists():
        dev = read_conll(dev_path)
        weights = CrfWeights.load(args.out)
        pred = spans_from_tags(predict_labels(tokenize(as_articles(dev)), weights))
        for name, (p, r, f) in score(pred, gold_mentions(dev)).items():
            print(f"eng.testa {name:9s} P={p:.4f} R={r:.4f} F1={f:.4f}")


if __name__ == "__main__":
    main()
