"""The run report: ``<report dir>/index.html``, one page on this run and the history, beside GX Data Docs.

Plots are inline SVG drawn from warehouse queries: no scripts, no CDN, no tile server, so the
page works offline and from ``file://``. Python computes only geometry (numbers); every text
that comes from articles is rendered by the Jinja template, which escapes it.
"""

from __future__ import annotations

import json
import math
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
from jinja2 import Environment, FileSystemLoader, select_autoescape

if TYPE_CHECKING:
    from flows.summary import RunSummary

TEMPLATES_DIR = Path(__file__).parent / "templates"
_TEMPLATES = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=select_autoescape(["html", "j2"], default=True),
)

CASUALTY_COLOURS = {"killed": "#a4161a", "wounded": "#e85d04", "arrested": "#3a5a9b"}
LABEL_COLOURS = {"PERSON": "#3a5a9b", "ORG": "#7b2cbf", "LOCATION": "#2d6a4f"}


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _has_views(con: duckdb.DuckDBPyConnection, *names: str) -> bool:
    found = con.execute("select count(*) from duckdb_views() where view_name in ?", [list(names)]).fetchone()[0]
    return found == len(names)


def _nice_ceiling(value: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten at or above value (axis maximum)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def casualties_chart(rows: list[dict], width: int = 660, height: int = 230) -> dict | None:
    """Grouped bars: killed, wounded and arrested per period (a day, a week or a run)."""
    if not rows:
        return None
    top_value = _nice_ceiling(max(max(r[k] for k in CASUALTY_COLOURS) for r in rows))
    grid_labels = [f"{top_value * f:,.10g}" for f in (0, 0.5, 1)]
    left, right, top, bottom = 12 + 6.5 * max(len(label) for label in grid_labels), 10, 12, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    slot = plot_w / len(rows)
    bar_w = min(28.0, slot * 0.8 / 3)
    bars, ticks = [], []
    label_every = max(1, math.ceil(len(rows) / (6 if len(str(rows[0]["period"])) > 10 else 10)))
    for i, row in enumerate(rows):
        x0 = left + i * slot + (slot - 3 * bar_w) / 2
        for j, (kind, colour) in enumerate(CASUALTY_COLOURS.items()):
            h = plot_h * row[kind] / top_value
            bars.append({"x": round(x0 + j * bar_w, 1), "y": round(top + plot_h - h, 1), "w": round(bar_w - 1, 1),
                         "h": round(h, 1), "colour": colour,
                         "title": f"{row['period']}: {row[kind]:,} {kind} ({row['articles']:,} articles)"})
        if i % label_every == 0:
            ticks.append({"x": round(left + (i + 0.5) * slot, 1), "label": str(row["period"])})
    grid = [{"y": round(top + plot_h * (1 - f), 1), "label": label} for f, label in zip((0, 0.5, 1), grid_labels)]
    return {"width": width, "height": height, "left": round(left, 1), "baseline": top + plot_h,
            "right": width - right, "bars": bars, "ticks": ticks, "grid": grid, "legend": CASUALTY_COLOURS}


CASUALTY_SUMS = ("sum(c.killed)::bigint as killed, sum(c.wounded)::bigint as wounded, "
                 "sum(c.arrested)::bigint as arrested, count(*) as articles")


def dated_casualties(con: duckdb.DuckDBPyConnection) -> tuple[list[dict], str]:
    """Casualties of dated articles per publication day (per week past 60 days), and that period's name."""
    days = con.execute("select count(distinct published_date) from articles").fetchone()[0]
    period = "a.published_date" if days <= 60 else "date_trunc('week', a.published_date)::date"
    rows = _rows(con, f"""
        select {period} as period, {CASUALTY_SUMS}
        from article_casualties c join articles a using (article_id)
        where a.published_date is not null
        group by period order by period""")
    return rows, "day" if days <= 60 else "week"


def undated_casualties_by_run(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Casualties of articles without a publication date (BBC folders, plain files), per run that first published them."""
    return _rows(con, f"""
        select strftime(r.started_at, '%Y-%m-%d %H:%M') as period, {CASUALTY_SUMS}
        from article_casualties c join articles a using (article_id) join runs r on r.run_id = a.first_run_id
        where a.published_date is null
        group by r.run_id, r.started_at order by r.started_at""")


ENTITY_GROUPS = {"PERSON": "People", "ORG": "Organisations", "LOCATION": "Places"}


def top_entities(con: duckdb.DuckDBPyConnection, per_label: int = 5) -> list[dict]:
    """The most mentioned entities of each label, so people show even where places and organisations dominate.

    Counted as the ``entity_mention_counts`` view counts them (literal mentions: the text names the
    entity), so the chart and a query of the view agree."""
    return _rows(con, """
        select canonical_name, label, articles, mentions
        from entity_mention_counts
        where mentions > 0
        qualify row_number() over (partition by label order by mentions desc, articles desc, canonical_name) <= ?
        order by label, mentions desc, articles desc, canonical_name""", [per_label])


def entities_chart(rows: list[dict], width: int = 660) -> dict | None:
    """Horizontal bars in one group per label (people, organisations, places), on one scale."""
    if not rows:
        return None
    name_w, bar_h, gap, heading_h = 230, 16, 6, 22
    scale = (width - name_w - 180) / max(r["mentions"] for r in rows)
    bars, headings, y = [], [], 0
    for label, title in ENTITY_GROUPS.items():
        group = [r for r in rows if r["label"] == label]
        if not group:
            continue
        headings.append({"y": y + heading_h - 8, "title": title, "colour": LABEL_COLOURS[label]})
        y += heading_h
        for r in group:
            bars.append({"y": y, "w": round(max(1.0, r["mentions"] * scale), 1), "h": bar_h,
                         "colour": LABEL_COLOURS[label], **r})
            y += bar_h + gap
    return {"width": width, "height": y, "name_w": name_w, "bars": bars, "headings": headings}


@cache
def world_outline() -> list[list[tuple[float, float]]]:
    """Coastlines and borders: Natural Earth admin 0 (public domain), simplified; see the file's 'source'."""
    data = json.loads((TEMPLATES_DIR / "world_outline.json").read_text(encoding="utf-8"))
    return [list(zip(ring[0::2], ring[1::2])) for ring in data["rings"]]


def map_frame(places: list[dict], width: int, height: int, min_span: float = 30.0) -> tuple[float, float, float, float]:
    """(west, north, span_lon, span_lat): the places with a margin, at least ``min_span`` degrees wide."""
    lons = [p["longitude"] for p in places]
    lats = [p["latitude"] for p in places]
    span_lon = min(360.0, max(min_span, (max(lons) - min(lons)) * 1.4, (max(lats) - min(lats)) * 1.4 * width / height))
    span_lat = min(180.0, span_lon * height / width)
    span_lon = span_lat * width / height
    west = min(max((max(lons) + min(lons)) / 2 - span_lon / 2, -180.0), 180.0 - span_lon)
    north = max(min((max(lats) + min(lats)) / 2 + span_lat / 2, 90.0), -90.0 + span_lat)
    return west, north, span_lon, span_lat


def map_panel(places: list[dict], frame: tuple[float, float, float, float], width: int, height: int) -> dict:
    """One map: outline, graticule, and the places as dots, where dots that would overlap form one cluster.

    A cluster is drawn at its most mentioned place, sized by the mentions of all its places, and
    labelled "Name +N"; its tooltip names every place in it.
    """
    west, north, span_lon, span_lat = frame
    east, south = west + span_lon, north - span_lat

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return round((lon - west) / span_lon * width, 1), round((north - lat) / span_lat * height, 1)

    outline = []
    for ring in world_outline():
        ring_lons = [lon for lon, _ in ring]
        ring_lats = [lat for _, lat in ring]
        if max(ring_lons) < west or min(ring_lons) > east or max(ring_lats) < south or min(ring_lats) > north:
            continue
        outline.append("M" + "L".join("{},{}".format(*xy(lon, lat)) for lon, lat in ring) + "Z")
    step = next(s for s in (1, 2, 5, 10, 15, 30, 60) if span_lon / s <= 8)
    meridians = [{"x": xy(lon, 0)[0], "label": f"{abs(lon)}°{'W' if lon < 0 else 'E' if lon > 0 else ''}"}
                 for lon in range(math.ceil(west / step) * step, math.floor(east / step) * step + 1, step)]
    parallels = [{"y": xy(0, lat)[1], "label": f"{abs(lat)}°{'S' if lat < 0 else 'N' if lat > 0 else ''}"}
                 for lat in range(math.ceil(south / step) * step, math.floor(north / step) * step + 1, step)]
    inside = [p for p in places if west <= p["longitude"] <= east and south <= p["latitude"] <= north]
    biggest = max((p["mentions"] for p in inside), default=1)

    def radius(mentions: int) -> float:
        return round(3 + 9 * math.sqrt(min(mentions, biggest) / biggest), 1)

    clusters: list[dict] = []
    for place in sorted(inside, key=lambda p: (-p["mentions"], p["name"])):
        x, y = xy(place["longitude"], place["latitude"])
        clusters.append({**place, "x": x, "y": y, "r": radius(place["mentions"]), "members": [place],
                         "country": place["feature_type"] == "country"})
    # Merge any two dots that overlap (or nearly touch) until none do; a cluster's dot grows with its
    # mentions, so merging can make it reach another: repeat until nothing changes.
    merged = True
    while merged:  # one pass merges everything it can; a few passes settle a map of hundreds of places
        merged = False
        kept: list[dict] = []
        for cluster in clusters:
            keep = next((k for k in kept if math.hypot(k["x"] - cluster["x"], k["y"] - cluster["y"])
                         < k["r"] + cluster["r"] + 4), None)
            if keep is None:
                kept.append(cluster)
                continue
            keep["members"] += cluster["members"]
            keep["r"] = max(keep["r"], round(5 + 9 * math.sqrt(
                min(sum(m["mentions"] for m in keep["members"]), biggest) / biggest), 1))
            merged = True
        clusters = kept
    points, labelled = [], []
    for cluster in clusters:
        members = cluster.pop("members")
        total = sum(m["mentions"] for m in members)
        x, y, r = cluster["x"], cluster["y"], cluster["r"]
        if len(members) > 1:
            cluster["country"] = False
        name = cluster["name"] + (f" +{len(members) - 1}" if len(members) > 1 else "")
        # Label the most mentioned places first; a label that would overlap one already drawn is left
        # to the tooltip and the table below the map.
        box = (x + r + 2, y - 8, x + r + 4 + 6.5 * len(name), y + 5)
        show = not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in labelled)
        if show:
            labelled.append(box)
        points.append({**cluster, "r": r, "label": name, "show_label": show, "places": len(members),
                       "cluster_mentions": total,
                       "member_names": ", ".join(m["name"] for m in members[:12]) + (" …" if len(members) > 12 else "")})
    return {"width": width, "height": height, "outline": outline, "meridians": meridians,
            "parallels": parallels, "points": points, "frame": frame}


def map_chart(places: list[dict], width: int = 960, height: int = 420) -> dict | None:
    """A map of all the places and, where they crowd (a cluster of 4 or more), a zoomed inset of that region."""
    if not places:
        return None
    main = map_panel(places, map_frame(places, width, height), width, height)
    crowded = max((p for p in main["points"] if p["places"] >= 4), key=lambda p: p["places"], default=None)
    inset = None
    if crowded is not None:
        west, north, span_lon, _ = main["frame"]
        # the places within reach of the crowded cluster's dot, as the main map drew it
        reach = (crowded["r"] + 60) / width * span_lon
        near = [p for p in places if abs(p["longitude"] - crowded["longitude"]) <= reach
                and abs(p["latitude"] - crowded["latitude"]) <= reach]
        inset_w, inset_h = 640, 400
        frame = map_frame(near, inset_w, inset_h, min_span=4.0)
        if frame[2] < span_lon / 3:
            inset = map_panel(near, frame, inset_w, inset_h)
            iw, inn, isl, isa = frame
            x0, y0 = (iw - west) / span_lon * width, (north - inn) / main["frame"][3] * height
            main["inset_box"] = {"x": round(x0, 1), "y": round(y0, 1), "w": round(isl / span_lon * width, 1),
                                 "h": round(isa / main["frame"][3] * height, 1)}
    main["inset"] = inset
    return main


def _charts(con: duckdb.DuckDBPyConnection) -> dict:
    if not _has_views(con, "article_casualties", "place_articles"):
        return {"casualties": None, "undated_casualties": None, "entities": None, "map": None, "places": []}
    dated, period = dated_casualties(con)
    entities = top_entities(con)
    places = _rows(con, "select * from place_articles order by mentions desc, name limit 300")
    return {"casualties": casualties_chart(dated), "casualty_period": period,
            "undated_casualties": casualties_chart(undated_casualties_by_run(con), height=170),
            "entities": entities_chart(entities), "map": map_chart(places), "places": places[:15]}


def write_report(con: duckdb.DuckDBPyConnection, run_id: str, report_dir: Path, summary: "RunSummary") -> Path:
    checks = _rows(
        con,
        "select suite, expectation, column_name, critical, success, unexpected_count, details "
        "from dq_results where run_id = ? order by success, suite, expectation",
        [run_id],
    )
    for check in checks:
        details = json.loads(check["details"]) if check["details"] else {}
        check["failing_rows"] = details.get("failing_rows", [])[:10]
    quarantine = _rows(
        con,
        "select reason, count(*) as n, any_value(source) as example_source, any_value(locator) as example_locator "
        "from quarantine where run_id = ? group by reason order by n desc limit 50",
        [run_id],
    )
    history = _rows(
        con,
        "select r.run_id, r.started_at, r.status, r.articles_read, r.articles_new, r.articles_changed, "
        "r.articles_unchanged, r.quarantined, r.published, "
        "count(d.success) filter (where d.success) as passed, count(d.success) filter (where not d.success) as failed "
        "from runs r left join dq_results d using (run_id) group by all order by r.started_at desc limit 30",
    )
    for row in history:  # this run's row is closed only after the report is written
        if row["run_id"] == run_id:
            row.update({k: v for k, v in summary.counts.items() if k in row},
                       status=summary.status, published=summary.status == "published")
    charts = _charts(con)
    articles = []
    if _has_views(con, "article_casualties"):
        articles = _rows(
            con,
            "select a.title, a.source_id, a.published_date, coalesce(c.killed, 0) as killed, "
            "coalesce(c.wounded, 0) as wounded, coalesce(c.arrested, 0) as arrested "
            "from articles a left join article_casualties c using (article_id) where a.last_run_id = ? "
            "order by a.published_date desc nulls last, a.source_id limit 25",
            [run_id],
        )
    data_docs = report_dir / "data_docs" / "index.html"  # expectations.data_docs renders it
    html = _TEMPLATES.get_template("index.html.j2").render(
        summary=summary,
        checks=checks,
        failed_checks=[c for c in checks if not c["success"]],
        quarantine=quarantine,
        history=history,
        articles=articles,
        charts=charts,
        generated=date.today(),
        data_docs=data_docs.relative_to(report_dir) if data_docs.exists() else None,
    )
    path = report_dir / "index.html"
    path.write_text(html, encoding="utf-8")
    return path
