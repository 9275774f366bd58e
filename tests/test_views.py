"""Analysis views (warehouse/sql/views), checked on the seed article."""

from __future__ import annotations

from datetime import date

from tests.conftest import query
from warehouse.db import view_comment
from warehouse.sql_files import SQL_DIR

SEED_DAY = date(2026, 2, 23)  # a Monday: the day is also the week


def test_every_view_file_is_created_on_publish(seed_db):
    files = sorted(p.stem for p in (SQL_DIR / "views").glob("*.sql"))
    views = [v for (v,) in query(seed_db, "select view_name from duckdb_views() where not internal order by view_name")]
    assert files == views
    assert {"entity_cooccurrence", "top_entities_daily", "top_entities_weekly", "place_articles",
            "casualties_by_region_day", "figures_by_category", "dq_history"} <= set(views)


def test_every_view_is_described_by_its_files_header_comment(seed_db):
    headers = dict(view_comment(p.read_text(encoding="utf-8")) for p in (SQL_DIR / "views").glob("*.sql"))
    comments = dict(query(seed_db, "select view_name, comment from duckdb_views() where not internal"))
    assert comments == headers
    assert comments["dq_history"] == (
        "dq_history: data quality per run, from runs and dq_results, newest first when ordered by started_at desc.\n"
        "\n"
        "expectations is 0 for runs that validated nothing (nothing new, or failed before validation).")


def test_entity_cooccurrence_lists_who_appears_with_el_mencho_in_both_directions(seed_db):
    rows = query(seed_db, """
        select co_canonical_name, co_label, articles from entity_cooccurrence c
        join entities e using (entity_id) where list_contains(e.aliases, 'El Mencho')""")
    together = {name: (label, articles) for name, label, articles in rows}
    assert together["Jalisco New Generation Cartel"] == ("ORG", 1)
    assert together["Karoline Leavitt"] == ("PERSON", 1)
    assert together["Tapalpa"] == ("LOCATION", 1)
    assert "Nemesio Oseguera Cervantes" not in together  # never paired with itself
    assert query(seed_db, """
        select count(*) from entity_cooccurrence a
        anti join entity_cooccurrence b on b.entity_id = a.co_entity_id and b.co_entity_id = a.entity_id""") == [(0,)]


def test_top_entities_rank_by_articles_then_mentions_per_day_and_week(seed_db):
    daily = query(seed_db, "select day, rank, canonical_name, articles, mentions from top_entities_daily "
                           "order by rank, canonical_name")
    assert {day for day, *_ in daily} == {SEED_DAY} and {articles for _, _, _, articles, _ in daily} == {1}
    assert daily[0][1] == 1
    mentions_in_rank_order = [mentions for *_, mentions in daily]
    assert mentions_in_rank_order == sorted(mentions_in_rank_order, reverse=True)
    assert "Nemesio Oseguera Cervantes" in [name for _, rank, name, _, _ in daily if rank <= 3]
    weekly = query(seed_db, "select week, rank, canonical_name, articles, mentions from top_entities_weekly "
                            "order by rank, canonical_name")
    assert weekly == daily  # one article, published on a Monday


def test_place_articles_has_coordinates_of_literal_places_only(seed_db):
    places = {name: (feature, country, round(lat, 2), round(lon, 2), articles)
              for name, feature, country, lat, lon, articles in query(
                  seed_db, "select name, feature_type, country_code, latitude, longitude, articles from place_articles")}
    assert places["Tapalpa"] == ("city", "MX", 19.95, -103.76, 1)
    assert places["Jalisco"][:2] == ("admin1", "MX")
    literal = query(seed_db, "select count(distinct place_id) from mentions where usage = 'literal' and place_id is not null")
    assert [(len(places),)] == literal


def test_casualties_go_to_the_region_with_most_literal_mentions(seed_db):
    rows = query(seed_db, "select day, country_code, admin1, articles, killed, wounded, arrested from casualties_by_region_day")
    totals = query(seed_db, "select sum(killed), sum(wounded), sum(arrested) from article_casualties")[0]
    assert rows == [(SEED_DAY, "MX", "Jalisco", 1, *totals)]


def test_figures_by_category_counts_every_claim(seed_db):
    money = query(seed_db, "select claims, total_value, examples from figures_by_category where kind = 'MONEY' and unit = 'USD'")
    assert money == [(1, 15_000_000.0, ["up to USD 15 million"])]
    assert query(seed_db, "select sum(claims) from figures_by_category") == query(seed_db, "select count(*) from figures")


def test_dq_history_has_one_row_per_run_with_its_expectation_counts(seed_db):
    [(status, published, expectations, passed, failed, failed_expectations)] = query(
        seed_db, "select status, published, expectations, passed, failed, failed_expectations from dq_history")
    assert (status, published, failed, failed_expectations) == ("published", True, 0, [])
    assert expectations == passed == query(seed_db, "select count(*) from dq_results")[0][0] > 0
