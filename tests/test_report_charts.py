"""The run report's charts, drawn from a warehouse: undated articles still chart, every kind of entity shows,
and crowded places stay readable on the map."""

from __future__ import annotations

import duckdb
import pytest

from flows.report import (casualties_chart, dated_casualties, entities_chart, map_chart, top_entities,
                          undated_casualties_by_run)
from warehouse.db import create_views, ensure_published_tables


@pytest.fixture
def warehouse():
    con = duckdb.connect()
    ensure_published_tables(con)
    create_views(con)
    con.execute("""insert into runs (run_id, started_at, status) values
        ('run-1', timestamp '2026-03-01 06:00:00', 'published'),
        ('run-2', timestamp '2026-03-02 06:00:00', 'published')""")
    yield con
    con.close()


def add_article(con, article_id: str, run_id: str, published: str | None, killed: int = 0, arrested: int = 0) -> None:
    con.execute("insert into articles (article_id, source_id, title, body, published_date, url, content_sha256, "
                "first_run_id, last_run_id) values (?, ?, 't', 'body', ?::date, null, 'sha', ?, ?)",
                [article_id, article_id, published, run_id, run_id])
    for category, value in (("KILL", killed), ("ARREST", arrested)):
        if value:
            con.execute("insert into figures (figure_id, article_id, kind, category, value, text, start_char, end_char, scope, additive) "
                        "values (?, ?, 'COUNT', ?, ?, 'n', 0, 1, 'incident', false)",
                        [f"{article_id}-{category}", article_id, category, value])


def add_entity(con, label: str, name: str, mentions: int, articles: int = 1) -> None:
    con.execute("insert into entities (entity_id, label, canonical_name, aliases) values (?, ?, ?, [])",
                [name, label, name])
    for i in range(mentions):
        con.execute("insert into mentions (mention_id, article_id, entity_id, label, text, start_char, end_char, usage) "
                    "values (?, ?, ?, ?, ?, 0, 1, 'literal')",
                    [f"{name}-{i}", f"a{i % articles}", name, label, name])


def test_articles_without_dates_are_charted_per_run_that_published_them(warehouse):
    add_article(warehouse, "bbc-1", "run-1", None, killed=3)
    add_article(warehouse, "bbc-2", "run-1", None, killed=1, arrested=2)
    add_article(warehouse, "bbc-3", "run-2", None, arrested=5)
    assert dated_casualties(warehouse) == ([], "day")
    rows = undated_casualties_by_run(warehouse)
    assert rows == [
        {"period": "2026-03-01 06:00", "killed": 4, "wounded": 0, "arrested": 2, "articles": 2},
        {"period": "2026-03-02 06:00", "killed": 0, "wounded": 0, "arrested": 5, "articles": 1},
    ]
    chart = casualties_chart(rows)
    assert [t["label"] for t in chart["ticks"]] == ["2026-03-01 06:00", "2026-03-02 06:00"]
    assert [b["title"] for b in chart["bars"][:3]] == [
        "2026-03-01 06:00: 4 killed (2 articles)", "2026-03-01 06:00: 0 wounded (2 articles)",
        "2026-03-01 06:00: 2 arrested (2 articles)"]


def test_dated_and_undated_articles_chart_apart_each_on_its_own_scale(warehouse):
    add_article(warehouse, "wire-1", "run-1", "2026-02-23", killed=7)
    add_article(warehouse, "wire-2", "run-1", "2026-02-24", arrested=1)
    add_article(warehouse, "bbc-1", "run-2", None, killed=150_000)
    dated, period = dated_casualties(warehouse)
    assert period == "day"
    assert [(str(r["period"]), r["killed"], r["arrested"]) for r in dated] == [("2026-02-23", 7, 0), ("2026-02-24", 0, 1)]
    assert [g["label"] for g in casualties_chart(dated)["grid"]] == ["0", "5", "10"]
    undated = undated_casualties_by_run(warehouse)
    assert [(r["period"], r["killed"]) for r in undated] == [("2026-03-02 06:00", 150_000)]
    assert [g["label"] for g in casualties_chart(undated)["grid"]] == ["0", "100,000", "200,000"]


def test_people_are_charted_even_when_places_and_organisations_are_mentioned_more(warehouse):
    for i in range(7):
        add_entity(warehouse, "LOCATION", f"Place {i}", mentions=20 - i)
        add_entity(warehouse, "ORG", f"Org {i}", mentions=15 - i)
    add_entity(warehouse, "PERSON", "Ann Lee", mentions=2, articles=2)
    add_entity(warehouse, "PERSON", "Bo Chen", mentions=1)
    rows = top_entities(warehouse, per_label=2)
    assert [(r["label"], r["canonical_name"], r["mentions"], r["articles"]) for r in rows] == [
        ("LOCATION", "Place 0", 20, 1), ("LOCATION", "Place 1", 19, 1),
        ("ORG", "Org 0", 15, 1), ("ORG", "Org 1", 14, 1),
        ("PERSON", "Ann Lee", 2, 2), ("PERSON", "Bo Chen", 1, 1)]
    chart = entities_chart(rows)
    assert [h["title"] for h in chart["headings"]] == ["People", "Organisations", "Places"]
    assert [b["canonical_name"] for b in chart["bars"]] == ["Ann Lee", "Bo Chen", "Org 0", "Org 1", "Place 0", "Place 1"]


def test_the_chart_counts_what_the_entity_mention_counts_view_counts(warehouse):
    add_entity(warehouse, "LOCATION", "Paris", mentions=3)
    add_entity(warehouse, "PERSON", "Only Embedded", mentions=2)
    warehouse.execute("update mentions set usage = 'embedded' where entity_id = 'Only Embedded' or mention_id = 'Paris-0'")
    rows = top_entities(warehouse)
    assert [(r["canonical_name"], r["mentions"], r["articles"]) for r in rows] == [("Paris", 2, 1)]
    assert warehouse.execute("select canonical_name, mentions, articles from entity_mention_counts where mentions > 0"
                             ).fetchall() == [("Paris", 2, 1)]


def place(name: str, lat: float, lon: float, mentions: int, feature_type: str = "city") -> dict:
    return {"name": name, "latitude": lat, "longitude": lon, "mentions": mentions, "articles": mentions,
            "feature_type": feature_type, "country_code": "XX"}


EUROPE = [place("London", 51.51, -0.13, 40), place("Paris", 48.85, 2.35, 30), place("Brussels", 50.85, 4.35, 20),
          place("Amsterdam", 52.37, 4.89, 12), place("Berlin", 52.52, 13.40, 10), place("Frankfurt", 50.11, 8.68, 8),
          place("Geneva", 46.20, 6.15, 5)]
ELSEWHERE = [place("New York", 40.71, -74.01, 35), place("Tokyo", 35.69, 139.69, 25),
             place("Sydney", -33.87, 151.21, 6)]


def test_crowded_places_form_clusters_on_the_world_map_and_are_drawn_again_zoomed_in():
    chart = map_chart(EUROPE + ELSEWHERE)
    # at 0.33 degrees a pixel, dots closer than their radii plus 4 px are one cluster
    assert [(p["label"], p["member_names"], p["cluster_mentions"]) for p in chart["points"]] == [
        ("London +3", "London, Paris, Brussels, Amsterdam", 102),
        ("New York", "New York", 35),
        ("Tokyo", "Tokyo", 25),
        ("Berlin +1", "Berlin, Frankfurt", 18),
        ("Sydney", "Sydney", 6),
        ("Geneva", "Geneva", 5),
    ]
    inset = chart["inset"]
    assert sorted(p["label"] for p in inset["points"]) == sorted(p["name"] for p in EUROPE)
    west, north, span_lon, span_lat = inset["frame"]
    assert west < -0.13 and west + span_lon > 13.40 and north > 52.52 and north - span_lat < 46.20
    box = chart["inset_box"]
    assert 0 < box["w"] < chart["width"] / 3 and 0 < box["h"] < chart["height"] / 3


def test_places_that_do_not_crowd_get_no_inset():
    chart = map_chart(ELSEWHERE)
    assert [p["label"] for p in chart["points"]] == ["New York", "Tokyo", "Sydney"]
    assert chart["inset"] is None and "inset_box" not in chart
