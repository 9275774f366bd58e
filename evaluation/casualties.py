"""Casualty counts against the Gun Violence Database (GVDB, Pavlick et al. 2016).

Gold per article, from its crowd annotation (the ``Json`` column):

- killed  = victims whose ``victim-was`` includes "killed";
- wounded = victims whose ``victim-was`` includes "injured" or "hospitalized" but not "killed".

The articles go through the real pipeline (JSONL in, DuckDB warehouse out) and the published
``article_casualties`` view is scored: exact-match accuracy and mean absolute error for killed
and wounded, next to the always-zero baseline. Articles without figures count as 0.
"""

from __future__ import annotations

import csv
import json
import sys
import tempfile
from pathlib import Path

import polars as pl

METRICS = ("killed", "wounded")


# --------------------------------------------------------------------------- gold


def read_gold(gvdb_path: Path) -> pl.DataFrame:
    """One row per article: source_id, title, url, text, gold killed and wounded."""
    csv.field_size_limit(sys.maxsize)
    rows = []
    with open(gvdb_path, encoding="utf-8", newline="") as handle:
        # Tab-separated, no quoting (see the dataset's SOURCE.md).
        for record in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            victims = json.loads(record["Json"]).get("victim-section") or []
            outcomes = [set(victim.get("victim-was") or []) for victim in victims]
            rows.append(
                {
                    "source_id": record["Article id"],
                    "title": record["Article title"],
                    "url": record["Article url"],
                    "text": record["Full text"],
                    "gold_killed": sum("killed" in was for was in outcomes),
                    "gold_wounded": sum(bool(was & {"injured", "hospitalized"}) and "killed" not in was for was in outcomes),
                }
            )
    return pl.DataFrame(rows, schema_overrides={"gold_killed": pl.Int64, "gold_wounded": pl.Int64})


def write_jsonl(gold: pl.DataFrame, path: Path) -> Path:
    with open(path, "w", encoding="utf-8") as handle:
        for row in gold.select("source_id", "text", "title", "url").iter_rows(named=True):
            record = {"id": row["source_id"], "text": row["text"], "title": row["title"], "url": row["url"]}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


# --------------------------------------------------------------------------- prediction


def predict_with_pipeline(gold: pl.DataFrame, workdir: Path) -> pl.DataFrame:
    """source_id, killed, wounded from the published warehouse after a real pipeline run."""
    import duckdb

    from flows.run import run_pipeline

    jsonl = write_jsonl(gold, workdir / "gvdb.jsonl")
    db_path = workdir / "eval.duckdb"
    run_pipeline(inputs=[jsonl], db_path=db_path, report_dir=workdir / "reports", batch_size=500)
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.sql(
            """
            select a.source_id, coalesce(c.killed, 0) as killed, coalesce(c.wounded, 0) as wounded
            from articles a
            left join article_casualties c on c.article_id = a.article_id
            """
        ).pl()


def predict_directly(gold: pl.DataFrame, mentions: pl.DataFrame | None = None) -> pl.DataFrame:
    """The same numbers without the pipeline: extract_figures, then the view over the frame in DuckDB.

    For iterating on the extractor; ``evaluate`` uses the pipeline.
    """
    import duckdb

    from transforms.figures import extract_figures
    from transforms.ids import article_id
    from transforms.schema import MENTIONS, empty

    articles = gold.select("source_id", pl.col("text").alias("body")).with_columns(article_id(pl.col("source_id")).alias("article_id"))
    figures = extract_figures(articles, empty(MENTIONS) if mentions is None else mentions).with_row_index("figure_id")
    view = Path(__file__).resolve().parents[1] / "warehouse" / "sql" / "views" / "article_casualties.sql"
    with duckdb.connect() as con:
        con.register("figures", figures)
        con.register("articles", articles.select("article_id", "source_id"))
        con.execute(view.read_text(encoding="utf-8"))
        return con.sql(
            """
            select a.source_id, coalesce(c.killed, 0) as killed, coalesce(c.wounded, 0) as wounded
            from articles a
            left join article_casualties c on c.article_id = a.article_id
            """
        ).pl()


# --------------------------------------------------------------------------- scoring


def score(gold: pl.DataFrame, predicted: pl.DataFrame) -> tuple[dict, pl.DataFrame]:
    joined = gold.join(predicted.select("source_id", "killed", "wounded"), on="source_id", how="left").with_columns(
        pl.col("killed").fill_null(0).cast(pl.Int64), pl.col("wounded").fill_null(0).cast(pl.Int64)
    )
    result: dict = {"articles": joined.height}
    for metric in METRICS:
        error = (pl.col(metric) - pl.col(f"gold_{metric}")).abs()
        baseline_error = pl.col(f"gold_{metric}").abs()
        stats = joined.select(
            (error == 0).mean().alias("accuracy"),
            error.mean().alias("mae"),
            (baseline_error == 0).mean().alias("baseline_accuracy"),
            baseline_error.mean().alias("baseline_mae"),
        ).row(0, named=True)
        result[metric] = stats
    return result, joined


def evaluate(gvdb_path: Path, *, through_pipeline: bool = True) -> dict:
    gold = read_gold(Path(gvdb_path))
    if through_pipeline:
        with tempfile.TemporaryDirectory(prefix="newsetl-eval-casualties-") as tmp:
            predicted = predict_with_pipeline(gold, Path(tmp))
    else:
        predicted = predict_directly(gold)
    result, per_article = score(gold, predicted)
    result["gold_file"] = Path(gvdb_path).name
    result["through_pipeline"] = through_pipeline
    result["per_article"] = per_article.drop("text")
    return result


def render(result: dict):
    from rich.table import Table

    table = Table(title=f"Casualties per article: {result.get('gold_file', '')} ({result['articles']} articles)")
    table.add_column("count")
    table.add_column("exact accuracy", justify="right")
    table.add_column("MAE", justify="right")
    table.add_column("baseline (always 0) accuracy", justify="right")
    table.add_column("baseline MAE", justify="right")
    for metric in METRICS:
        stats = result[metric]
        table.add_row(
            metric,
            f"{stats['accuracy']:.3f}",
            f"{stats['mae']:.3f}",
            f"{stats['baseline_accuracy']:.3f}",
            f"{stats['baseline_mae']:.3f}",
        )
    return table


if __name__ == "__main__":  # python -m evaluation.casualties FILE [--direct]
    from rich.console import Console

    Console().print(render(evaluate(Path(sys.argv[1]), through_pipeline="--direct" not in sys.argv)))
