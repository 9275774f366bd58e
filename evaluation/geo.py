"""Geoparsing against public gold sets: TR-News (LGL schema) and GeoWebNews.

The gold articles go through the real pipeline (JSONL in, DuckDB warehouse out); the published
LOCATION mentions (any usage) joined to their places are scored against the gold toponyms:

- detection precision and recall, a prediction matching a gold toponym when the spans overlap
  (TR-News has spans shifted by a few characters, so exact matching would be unfair);
- accuracy@161km: among detected gold toponyms with coordinates, the share resolved within
  161 km (100 miles) of the gold point; a detected but unresolved toponym counts as wrong;
- end-to-end recall@161km: gold toponyms with coordinates both detected and resolved within 161 km;
- mean and median error in km over detected and resolved gold toponyms.

Gold sets: TR-News counts every toponym; GeoWebNews counts the toponyms that carry coordinates
(its other spans are demonyms, non-toponyms, expressions...).
"""

from __future__ import annotations

import json
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import polars as pl

KM_THRESHOLD = 161.0
EARTH_RADIUS_KM = 6371.0088


# --------------------------------------------------------------------------- gold


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None


def _reanchor(text: str, phrase: str, start: int) -> int:
    """TR-News shifts some spans by 1-10 characters: find the phrase nearest the given start."""
    if not phrase or text[start : start + len(phrase)] == phrase:
        return start
    best = None
    for offset in range(0, 40):
        for candidate in (start - offset, start + offset):
            if 0 <= candidate and text[candidate : candidate + len(phrase)] == phrase:
                best = candidate
                break
        if best is not None:
            return best
    return start


def read_gold(gold_path: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(articles: doc_id, text; toponyms: doc_id, start, end, phrase, lat, lon) from either schema."""
    root = ET.parse(gold_path).getroot()
    docs, toponyms = [], []
    for number, article in enumerate(root.iter("article")):
        doc_id = article.get("docid") or article.get("file") or str(number)
        text = article.findtext("text") or ""
        docs.append({"doc_id": doc_id, "text": text})
        for top in article.iter("toponym"):
            if top.find("gaztag") is not None or top.find("phrase") is not None:  # LGL / TR-News
                phrase = top.findtext("phrase") or ""
                gaz = top.find("gaztag")
                lat = _float(gaz.findtext("lat")) if gaz is not None else None
                lon = _float(gaz.findtext("lon")) if gaz is not None else None
                counted = True
            else:  # GeoWebNews
                phrase = top.findtext("extractedName") or ""
                lat, lon = _float(top.findtext("latitude")), _float(top.findtext("longitude"))
                counted = lat is not None and lon is not None
            start = int(top.findtext("start") or 0)
            start = _reanchor(text, phrase, start)
            if counted and start >= 0:
                toponyms.append(
                    {"doc_id": doc_id, "start": start, "end": start + len(phrase) if phrase else int(top.findtext("end") or 0),
                     "phrase": phrase, "lat": lat, "lon": lon}
                )
    schema = {"doc_id": pl.String, "start": pl.Int64, "end": pl.Int64, "phrase": pl.String, "lat": pl.Float64, "lon": pl.Float64}
    return pl.DataFrame(docs, schema={"doc_id": pl.String, "text": pl.String}), pl.DataFrame(toponyms, schema=schema)


# --------------------------------------------------------------------------- predictions


def predict_with_pipeline(docs: pl.DataFrame, workdir: Path) -> pl.DataFrame:
    """doc_id, start, end, text, usage, place_id, lat, lon from the published warehouse."""
    import duckdb

    from flows.run import run_pipeline

    jsonl = workdir / "gold.jsonl"
    with jsonl.open("w", encoding="utf-8") as out:
        for row in docs.iter_rows(named=True):
            out.write(json.dumps({"id": row["doc_id"], "text": row["text"]}, ensure_ascii=False) + "\n")
    db_path = workdir / "eval.duckdb"
    summary = run_pipeline(inputs=[jsonl], db_path=db_path, report_dir=workdir / "reports", batch_size=500)
    if summary.status != "published":
        raise RuntimeError(f"the pipeline did not publish the gold articles: {summary.status}: {summary.message}")
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.sql(
            """
            select a.source_id as doc_id, m.start_char as start, m.end_char as "end", m.text, m.usage,
                   m.place_id, p.latitude as lat, p.longitude as lon
            from mentions m
            join articles a using (article_id)
            left join places p using (place_id)
            where m.label = 'LOCATION'
            """
        ).pl()


def predict_directly(docs: pl.DataFrame, mentions: pl.DataFrame | None = None) -> pl.DataFrame:
    """The same frame without the warehouse: by default the pipeline's own extraction
    (``transforms.extract.extract``) on the documents; with ``mentions`` (MENTIONS keyed by
    doc_id as article_id), ``resolve_places`` over those spans instead (e.g. gold spans)."""
    from transforms.places import load_gazetteer, resolve_places
    from transforms.schema import ARTICLES, conform

    articles = docs.select(pl.col("doc_id").alias("article_id"), pl.col("text").alias("body"))
    if mentions is None:
        from transforms.extract import extract

        staged = conform(articles, ARTICLES).with_columns(pl.lit("new").alias("change"))
        placed = extract(staged)["mentions"]
    else:
        placed, _ = resolve_places(articles, mentions)
    gaz = load_gazetteer().select("place_id", pl.col("latitude").alias("lat"), pl.col("longitude").alias("lon"))
    return (
        placed.filter(pl.col("label") == "LOCATION")
        .join(gaz, on="place_id", how="left")
        .select(pl.col("article_id").alias("doc_id"), pl.col("start_char").alias("start"), pl.col("end_char").alias("end"),
                "text", "usage", "place_id", "lat", "lon")
    )


# --------------------------------------------------------------------------- scoring


def haversine_km(lat1: pl.Expr, lon1: pl.Expr, lat2: pl.Expr, lon2: pl.Expr) -> pl.Expr:
    rad = 3.141592653589793 / 180.0
    dlat, dlon = (lat2 - lat1) * rad, (lon2 - lon1) * rad
    a = (dlat / 2).sin() ** 2 + (lat1 * rad).cos() * (lat2 * rad).cos() * (dlon / 2).sin() ** 2
    return 2 * EARTH_RADIUS_KM * a.sqrt().arcsin()


def score(gold: pl.DataFrame, predicted: pl.DataFrame) -> tuple[dict, pl.DataFrame]:
    """The metrics, and one row per gold toponym with its best overlapping prediction."""
    gold = gold.with_row_index("gold_row")
    predicted = predicted.with_row_index("pred_row")
    pairs = (
        gold.join(predicted, on="doc_id", suffix="_pred")
        .filter((pl.col("start") < pl.col("end_pred")) & (pl.col("start_pred") < pl.col("end")))
        .with_columns(haversine_km(pl.col("lat"), pl.col("lon"), pl.col("lat_pred"), pl.col("lon_pred")).alias("error_km"))
    )
    # the overlapping prediction that is resolved and closest stands for the gold toponym
    per_gold = (
        gold.join(
            pairs.sort("error_km", nulls_last=True).unique("gold_row", keep="first").select(
                "gold_row", "pred_row", pl.col("text").alias("predicted_text"), "usage", "place_id", "error_km"
            ),
            on="gold_row",
            how="left",
        )
        .with_columns(pl.col("pred_row").is_not_null().alias("detected"))
        .sort("gold_row")
    )
    n_pred, n_gold = predicted.height, gold.height
    matched_pred = pairs["pred_row"].n_unique() if pairs.height else 0
    detected = per_gold.filter("detected")
    with_coords = per_gold.filter(pl.col("lat").is_not_null())
    detected_coords = with_coords.filter("detected")
    within = detected_coords.filter(pl.col("error_km") <= KM_THRESHOLD).height
    errors = detected_coords["error_km"].drop_nulls()
    result = {
        "gold_toponyms": n_gold,
        "gold_with_coordinates": with_coords.height,
        "predicted_locations": n_pred,
        "detection_precision": matched_pred / n_pred if n_pred else 0.0,
        "detection_recall": detected.height / n_gold if n_gold else 0.0,
        "accuracy_at_161km": within / detected_coords.height if detected_coords.height else 0.0,
        "end_to_end_recall_at_161km": within / with_coords.height if with_coords.height else 0.0,
        "mean_error_km": float(errors.mean()) if errors.len() else None,
        "median_error_km": float(errors.median()) if errors.len() else None,
        "detected_unresolved": detected_coords.filter(pl.col("place_id").is_null()).height,
    }
    return result, per_gold


def evaluate(gold_path: Path, *, through_pipeline: bool = True, mentions: pl.DataFrame | None = None) -> dict:
    """Score the pipeline on a gold file. ``through_pipeline=False`` skips the warehouse and calls
    the transforms directly (for fast iteration); ``mentions`` then replaces the entity extractor."""
    gold_path = Path(gold_path)
    docs, gold = read_gold(gold_path)
    if through_pipeline:
        with tempfile.TemporaryDirectory(prefix="newsetl-eval-geo-") as tmp:
            predicted = predict_with_pipeline(docs, Path(tmp))
    else:
        predicted = predict_directly(docs, mentions)
    result, per_gold = score(gold, predicted)
    result["gold_file"] = gold_path.name
    result["per_gold"] = per_gold
    return result


def render(result: dict):
    from rich.table import Table

    table = Table(title=f"Geoparsing: {result.get('gold_file', '')}")
    table.add_column("metric")
    table.add_column("value", justify="right")
    rows = [
        ("gold toponyms (with coordinates)", f"{result['gold_toponyms']} ({result['gold_with_coordinates']})"),
        ("predicted LOCATION mentions", str(result["predicted_locations"])),
        ("detection precision (overlap)", f"{result['detection_precision']:.3f}"),
        ("detection recall (overlap)", f"{result['detection_recall']:.3f}"),
        ("accuracy@161km (detected)", f"{result['accuracy_at_161km']:.3f}"),
        ("end-to-end recall@161km", f"{result['end_to_end_recall_at_161km']:.3f}"),
        ("mean error km", "-" if result["mean_error_km"] is None else f"{result['mean_error_km']:.0f}"),
        ("median error km", "-" if result["median_error_km"] is None else f"{result['median_error_km']:.1f}"),
        ("detected but unresolved", str(result["detected_unresolved"])),
    ]
    for name, value in rows:
        table.add_row(name, value)
    return table
