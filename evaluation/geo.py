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

import hashlib
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
        # a real feed carries the article's URL (LGL/TR-News <url>, GeoWebNews <link>) and a date
        # (LGL's download time <dltime>): the pipeline learns each outlet's home region from them
        url = (article.findtext("url") or article.findtext("link") or "").strip() or None
        docs.append({"doc_id": doc_id, "text": text, "url": url, "date": (article.findtext("dltime") or "").strip() or None,
                     "domain": (article.findtext("domain") or "").strip() or None})
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
    doc_schema = {"doc_id": pl.String, "text": pl.String, "url": pl.String, "date": pl.String, "domain": pl.String}
    return pl.DataFrame(docs, schema=doc_schema), pl.DataFrame(toponyms, schema=schema)


# --------------------------------------------------------------------------- predictions


def predict_with_pipeline(docs: pl.DataFrame, workdir: Path) -> pl.DataFrame:
    """doc_id, start, end, text, usage, place_id, lat, lon from the published warehouse."""
    import duckdb

    from flows.run import run_pipeline

    jsonl = workdir / "gold.jsonl"
    with jsonl.open("w", encoding="utf-8") as out:
        for row in docs.iter_rows(named=True):
            record = {"id": row["doc_id"], "text": row["text"]}
            record.update({key: row[key] for key in ("url", "date") if row.get(key)})
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
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

    articles = docs.select(pl.col("doc_id").alias("article_id"), pl.col("text").alias("body"), "url")
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


# --------------------------------------------------------------------------- outlet split

SPLIT_SALT = "newsetl-outlet-split-v1"
HALVES = ("development", "held-out")


def split_key(docs: pl.DataFrame) -> pl.Expr:
    """What a half is made of: the outlet (LGL's <domain>, else the URL's registered domain), else the article."""
    from transforms.places.outlets import outlet_domain

    return pl.coalesce(pl.col("domain"), outlet_domain(pl.col("url")), pl.col("doc_id"))


def outlet_halves(docs: pl.DataFrame) -> pl.DataFrame:
    """doc_id, outlet, half: every outlet falls wholly in one half, by a stable hash of its name
    (sha256 with a salt: lgl-dev itself is the even-md5 half of LGL, so md5 parity would not split it)."""
    keyed = docs.select("doc_id", split_key(docs).alias("outlet"))
    outlets = keyed["outlet"].unique().sort().to_list()
    half = {o: HALVES[hashlib.sha256(f"{SPLIT_SALT}:{o}".encode()).digest()[0] % 2] for o in outlets}
    return keyed.with_columns(pl.col("outlet").replace_strict(half, return_dtype=pl.String).alias("half"))


def evaluate(gold_path: Path, *, through_pipeline: bool = True, mentions: pl.DataFrame | None = None) -> dict:
    """Score the pipeline on a gold file, overall and per outlet half (see ``outlet_halves``).

    ``through_pipeline=False`` skips the warehouse and calls the transforms directly (for fast
    iteration); ``mentions`` then replaces the entity extractor."""
    gold_path = Path(gold_path)
    docs, gold = read_gold(gold_path)
    if through_pipeline:
        with tempfile.TemporaryDirectory(prefix="newsetl-eval-geo-") as tmp:
            predicted = predict_with_pipeline(docs, Path(tmp))
    else:
        predicted = predict_directly(docs, mentions)
    result, per_gold = score(gold, predicted)
    halves = outlet_halves(docs)
    result["halves"] = {}
    for half in HALVES:
        ids = halves.filter(pl.col("half") == half).select("doc_id")
        part, _ = score(gold.join(ids, on="doc_id", how="semi"), predicted.join(ids, on="doc_id", how="semi"))
        part["outlets"] = halves.filter(pl.col("half") == half)["outlet"].n_unique()
        part["articles"] = ids.height
        result["halves"][half] = part
    result["gold_file"] = gold_path.name
    result["per_gold"] = per_gold.join(halves.select("doc_id", "half"), on="doc_id", how="left")
    return result


METRICS = (
    ("gold toponyms", "gold_toponyms", "{}"),
    ("gold with coordinates", "gold_with_coordinates", "{}"),
    ("predicted LOCATION mentions", "predicted_locations", "{}"),
    ("detection precision (overlap)", "detection_precision", "{:.3f}"),
    ("detection recall (overlap)", "detection_recall", "{:.3f}"),
    ("accuracy@161km (detected)", "accuracy_at_161km", "{:.3f}"),
    ("end-to-end recall@161km", "end_to_end_recall_at_161km", "{:.3f}"),
    ("mean error km", "mean_error_km", "{:.0f}"),
    ("median error km", "median_error_km", "{:.1f}"),
    ("detected but unresolved", "detected_unresolved", "{}"),
)


def render(result: dict):
    """The metrics for all articles and for each outlet half, with the gap between the halves."""
    from rich.table import Table

    halves = result.get("halves", {})
    table = Table(title=f"Geoparsing: {result.get('gold_file', '')}")
    table.add_column("metric")
    table.add_column("all", justify="right")
    for half in halves:
        part = halves[half]
        table.add_column(f"{half}\n({part['outlets']} outlets, {part['articles']} articles)", justify="right")
    if len(halves) == 2:
        table.add_column("gap (dev - held-out)", justify="right")

    def cell(value, fmt: str) -> str:
        return "-" if value is None else fmt.format(value)

    for name, key, fmt in METRICS:
        row = [cell(result[key], fmt), *(cell(part[key], fmt) for part in halves.values())]
        if len(halves) == 2:
            dev, held = (part[key] for part in halves.values())
            row.append("" if fmt == "{}" or dev is None or held is None else fmt.replace(":", ":+").format(dev - held))
        table.add_row(name, *row)
    return table
