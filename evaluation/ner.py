"""Entity extraction scored against a CoNLL-2003 file, through the real pipeline.

Each ``-DOCSTART-`` document becomes one JSONL article (tokens joined by single
spaces, sentences by newlines); the pipeline ingests them into a temporary
DuckDB warehouse, and the published ``mentions`` are scored against the gold
spans: exact-match precision, recall and F1 per type (PER=PERSON, ORG,
LOC=LOCATION) and micro-averaged over the three. MISC is not scored. Only
literal mentions count (``usage`` 'literal' or null): embedded places and
demonyms added by the geoparser are not entity mentions in CoNLL's sense.

``mode="direct"`` calls ``transforms.entities.extract_mentions`` instead of the
pipeline: the same extractor, without ingestion and loading, for quick runs.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Literal

import polars as pl

from transforms.entities.conll import as_articles, gold_mentions, read_conll

SCORED = {"PER": "PERSON", "ORG": "ORG", "LOC": "LOCATION"}
CONVENTION = (
    "CoNLL-2003 convention: a mention counts only if its type and both ends of its span match a gold entity "
    "exactly (no partial credit); PER, ORG and LOC are scored, micro-averaged over the three; MISC is excluded "
    "from gold and predictions; only literal mentions are scored."
)
_KEYS = ["article_id", "label", "start_char", "end_char"]


def _pipeline_mentions(articles: pl.DataFrame, tmp: Path) -> pl.DataFrame:
    import duckdb

    from flows.run import run_pipeline

    jsonl = tmp / "conll.jsonl"
    with open(jsonl, "w", encoding="utf-8") as handle:
        for doc_id, text in articles.select("article_id", "body").iter_rows():
            handle.write(json.dumps({"id": doc_id, "text": text}) + "\n")
    db_path = tmp / "eval.duckdb"
    summary = run_pipeline(inputs=[jsonl], db_path=db_path, report_dir=tmp / "reports", batch_size=500)
    if summary.status != "published":
        raise RuntimeError(f"the evaluation run did not publish ({summary.status}): {summary.message}")
    with duckdb.connect(str(db_path), read_only=True) as con:
        published = con.sql(
            """
            select a.source_id as article_id, a.body, m.label, m.text, m.start_char, m.end_char
            from mentions m join articles a using (article_id)
            where m.usage = 'literal' or m.usage is null
            """
        ).pl()
    if published.height == 0:
        raise RuntimeError(f"the pipeline published no mentions into {db_path}: did the run publish? (see its report)")
    # JSON Lines bodies are stored verbatim, so offsets into them are offsets into the CoNLL text.
    changed = articles.join(published.select("article_id", "body").unique("article_id"), on="article_id", suffix="_published")
    changed = changed.filter(pl.col("body") != pl.col("body_published"))
    if changed.height:
        raise ValueError(f"{changed.height} published bodies differ from the CoNLL text, e.g. {changed['article_id'][0]}")
    return published.select("article_id", "label", "text", "start_char", "end_char")


def _direct_mentions(articles: pl.DataFrame) -> pl.DataFrame:
    from transforms.entities import extract_mentions, link_across_articles

    mentions = link_across_articles(extract_mentions(articles))  # as a run links its staged mentions
    return mentions.select("article_id", "label", "text", "start_char", "end_char")


def score(predicted: pl.DataFrame, gold: pl.DataFrame) -> dict[str, dict[str, float]]:
    """Exact-span P/R/F1 per scored type and micro over them."""
    result: dict[str, dict[str, float]] = {}
    for name, label in [*SCORED.items(), ("micro", None)]:
        keep = pl.col("label").is_in(list(SCORED.values())) if label is None else pl.col("label") == label
        p, g = predicted.filter(keep).select(_KEYS).unique(), gold.filter(keep).select(_KEYS)
        tp = p.join(g, on=_KEYS).height
        precision = tp / p.height if p.height else 0.0
        recall = tp / g.height if g.height else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result[name] = {"precision": precision, "recall": recall, "f1": f1, "gold": g.height, "predicted": p.height, "tp": tp}
    return result


def _token_predictions(docs, predicted: pl.DataFrame) -> str:
    """CoNLL-style ``token gold pred`` lines; pred in IOB2 from the predicted spans."""
    by_doc: dict[str, list[tuple[int, int, str]]] = {}
    for doc_id, label, start, end in predicted.select(_KEYS).sort("start_char").iter_rows():
        by_doc.setdefault(doc_id, []).append((start, end, label))
    to_type = {v: k for k, v in SCORED.items()}
    lines: list[str] = []
    for doc in docs:
        spans = by_doc.get(doc.doc_id, [])
        lines.append("-DOCSTART- O O\n")
        previous_sentence = 0
        for token, tag, start, sentence in zip(doc.tokens, doc.tags, doc.starts, doc.sentence_ids):
            if sentence != previous_sentence:
                lines.append("\n")
                previous_sentence = sentence
            pred = "O"
            for s, e, label in spans:
                if s <= start < e and label in to_type:
                    pred = ("B-" if s == start else "I-") + to_type[label]
                    break
            lines.append(f"{token} {tag} {pred}\n")
        lines.append("\n")
    return "".join(lines)


def evaluate(
    conll_path: Path, predictions_out: Path | None = None, mode: Literal["pipeline", "direct"] = "pipeline"
) -> dict:
    """Score entity mentions on ``conll_path``; optionally write token-level predictions."""
    docs = read_conll(Path(conll_path))
    articles = as_articles(docs)
    with tempfile.TemporaryDirectory(prefix="newsetl-ner-") as tmp:
        predicted = _pipeline_mentions(articles, Path(tmp)) if mode == "pipeline" else _direct_mentions(articles)
    gold = gold_mentions(docs)
    if predictions_out is not None:
        Path(predictions_out).write_text(_token_predictions(docs, predicted), encoding="utf-8")
    return {
        "conll": str(conll_path),
        "convention": CONVENTION,
        "mode": mode,
        "documents": len(docs),
        "tokens": sum(len(d.tokens) for d in docs),
        "scores": score(predicted, gold),
    }


def render(result: dict):
    """The scores as a rich table."""
    from rich.table import Table

    table = Table(
        title=f"NER on {Path(result['conll']).name} ({result['documents']} docs, {result['tokens']} tokens)",
        caption=result.get("convention", CONVENTION),
    )
    for column in ("type", "precision", "recall", "F1", "gold", "predicted"):
        table.add_column(column, justify="left" if column == "type" else "right")
    for name, s in result["scores"].items():
        table.add_row(
            name, f"{s['precision']:.4f}", f"{s['recall']:.4f}", f"{s['f1']:.4f}", str(s["gold"]), str(s["predicted"])
        )
    return table


def _frame(cursor) -> pl.DataFrame:
    """A DuckDB result as a polars frame (through plain rows: the queries here return a few thousand)."""
    names = [d[0] for d in cursor.description]
    return pl.DataFrame(cursor.fetchall(), schema=names, orient="row")


def sample_mentions(db_path: Path, label: str, n: int = 100, seed: int = 14, context: int = 60) -> pl.DataFrame:
    """A fixed random sample of ``label``'s literal mentions in a warehouse, with the text around each, to check by eye.

    The same warehouse, label, ``n`` and ``seed`` give the same sample (rows
    ordered by mention_id, then shuffled with ``seed``).
    """
    import duckdb

    with duckdb.connect(str(db_path), read_only=True) as con:
        rows = con.execute(
            """
            select m.mention_id, a.source_id, m.text, e.canonical_name,
                   substr(a.body, greatest(m.start_char + 1 - ?, 1), least(m.start_char, ?)) as before,
                   substr(a.body, m.end_char + 1, ?) as after
            from mentions m join articles a using (article_id) join entities e using (entity_id)
            where m.label = ? and m.usage = 'literal'
            order by m.mention_id
            """,
            [context, context, context, label],
        )
        rows = _frame(rows)
    return rows.sample(n=min(n, rows.height), seed=seed, shuffle=True).with_columns(
        pl.col("before", "after").str.replace_all(r"\s+", " ")
    )


def top_entities(db_path: Path, label: str, n: int = 20) -> pl.DataFrame:
    """The ``n`` entities of ``label`` in most articles (``entity_mention_counts``)."""
    import duckdb

    with duckdb.connect(str(db_path), read_only=True) as con:
        result = con.execute(
            "select canonical_name, articles, mentions from entity_mention_counts where label = ? "
            "order by articles desc, mentions desc, canonical_name limit ?",
            [label, n],
        )
        return _frame(result)


if __name__ == "__main__":
    import argparse

    from rich.console import Console

    parser = argparse.ArgumentParser(description="Score entity extraction on a CoNLL-2003 file, or sample a warehouse.")
    parser.add_argument("--conll", type=Path)
    parser.add_argument("--predictions-out", type=Path)
    parser.add_argument("--mode", choices=["pipeline", "direct"], default="pipeline")
    parser.add_argument("--sample-db", type=Path, help="print a by-eye sample of this warehouse's mentions instead")
    parser.add_argument("--label", default="PERSON")
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    if args.sample_db:
        print(top_entities(args.sample_db, args.label).rows())
        for i, row in enumerate(sample_mentions(args.sample_db, args.label, args.n, args.seed).iter_rows(named=True)):
            print(f"{i + 1:3d} {row['source_id']}: ...{row['before']}[[{row['text']}]]{row['after']}... -> {row['canonical_name']}")
    elif args.conll:
        Console().print(render(evaluate(args.conll, args.predictions_out, args.mode)))
    else:
        parser.error("give --conll or --sample-db")
