"""The seed article (ANI, 2026-02-23) through the whole pipeline: what the published warehouse must hold."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import query


def entity(db, label: str, name: str) -> tuple[str, list[str]]:
    rows = query(db, "select entity_id, aliases from entities where label = ? and canonical_name = ?", [label, name])
    assert rows, f"no {label} entity named {name!r}"
    return rows[0]


def test_article_has_headline_and_date(seed_db):
    [(title, published, source_id)] = query(seed_db, "select title, published_date, source_id from articles")
    assert title.startswith("The White House has confirmed that the United States provided intelligence support")
    assert title.endswith('also known as "El Mencho", in Jalisco.')
    assert published == date(2026, 2, 23)
    assert source_id == "000_bd22b0fa7cd20e9b.txt"


@pytest.mark.parametrize(
    ("name", "aliases"),
    [
        ("Nemesio Oseguera Cervantes", {"El Mencho", "Oseguera", "Osegeura"}),
        ("Karoline Leavitt", {"Leavitt"}),
        ("Donald Trump", {"Trump"}),
        ("Pablo Lemus Navarro", {"Lemus"}),
    ],
)
def test_people_and_their_aliases(seed_db, name, aliases):
    _, found = entity(seed_db, "PERSON", name)
    assert aliases <= set(found)


@pytest.mark.parametrize(
    "name",
    ["Jalisco New Generation Cartel", "White House", "US Drug Enforcement Agency", "Secretariat of National Defence",
     "CNN", "Justice Department", "ANI"],
)
def test_organisations(seed_db, name):
    entity(seed_db, "ORG", name)


def test_cartel_acronym_links_to_long_form(seed_db):
    entity_id, aliases = entity(seed_db, "ORG", "Jalisco New Generation Cartel")
    assert "CJNG" in aliases
    cjng = query(seed_db, "select distinct entity_id from mentions where text = 'CJNG'")
    assert cjng == [(entity_id,)]


def test_every_mention_and_figure_offset_is_exact(seed_db):
    for table in ("mentions", "figures"):
        bad = query(seed_db, f"select t.text from {table} t join articles a using (article_id) "
                             "where substring(a.body, t.start_char + 1, t.end_char - t.start_char) <> t.text")
        assert bad == []
        assert query(seed_db, f"select count(*) from {table}")[0][0] > 0


def places_for(db, text: str) -> set[tuple]:
    return set(query(db, """
        select p.name, p.feature_type, p.country_code, p.admin1, round(p.latitude, 2), round(p.longitude, 2)
        from mentions m join places p using (place_id)
        where m.label = 'LOCATION' and m.usage = 'literal' and m.text = ?""", [text]))


def test_tapalpa_and_its_misspelling_resolve_to_tapalpa_jalisco(seed_db):
    tapalpa = places_for(seed_db, "Tapalpa")
    assert len(tapalpa) == 1
    [(name, _, country, admin1, lat, lon)] = tapalpa
    assert (name, country, admin1) == ("Tapalpa", "MX", "Jalisco")
    assert abs(lat - 19.95) < 0.05 and abs(lon + 103.76) < 0.05
    assert places_for(seed_db, "Talpalpa") == tapalpa


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Jalisco", ("Jalisco", "admin1", "MX", "Jalisco", 20.92, -103.52)),
        ("Mexico", ("Mexico", "country", "MX", None, 23.0, -102.0)),
        ("Mexico City", ("Mexico City", "city", "MX", "Ciudad de México", 19.43, -99.13)),
        ("Michoacan", ("Michoacán", "admin1", "MX", "Michoacán", 19.15, -101.89)),  # written without the accent
        ("Guanajuato", ("Guanajuato", "admin1", "MX", "Guanajuato", 20.88, -100.87)),
        ("Colima", ("Colima", "admin1", "MX", "Colima", 19.09, -104.04)),
        ("Veracruz", ("Veracruz", "admin1", "MX", "Veracruz", 19.8, -96.11)),
        ("United States", ("United States", "country", "US", None, 39.76, -98.5)),
    ],
)
def test_places_resolve_to_one_geonames_place_with_feature_type_admin1_and_point(seed_db, text, place):
    assert places_for(seed_db, text) == {place}


def test_united_states_and_mexico_points_are_geonames_country_points(seed_db):
    assert places_for(seed_db, "United States") == {("United States", "country", "US", None, 39.76, -98.5)}
    [(name, _, _, _, lat, lon)] = places_for(seed_db, "Mexico")
    assert (name, lat, lon) == ("Mexico", 23.0, -102.0)


def figures(db, kind: str, category: str | None = None) -> list[tuple]:
    sql = "select value, unit, object, qualifier, text from figures where kind = ?"
    params = [kind]
    if category:
        sql += " and category = ?"
        params.append(category)
    return query(db, sql + " order by start_char", params)


def test_event_counts_in_the_order_the_article_states_them(seed_db):
    counts = query(seed_db, """
        select category, value, object, text from figures
        where kind = 'COUNT' and category in ('KILL', 'WOUND', 'SHOOT', 'ARREST') order by start_char""")
    assert counts == [
        ("KILL", 3.0, "cartel members", "three other cartel members"),  # "According to Leavitt, ..."
        ("WOUND", 3.0, None, "three"),
        ("ARREST", 2.0, None, "two"),
        ("KILL", 3.0, "cartel members", "three additional cartel members"),  # the same toll, quoted
        ("WOUND", 3.0, None, "three"),
        ("ARREST", 2.0, None, "two"),
        ("KILL", 4.0, "gang members", "four gang members"),  # Mexico's Secretariat of National Defence
        ("KILL", 3.0, "others", "Osegeura and two others"),
        ("WOUND", 3.0, "military personnel", "Three Mexican military personnel"),
    ]


def test_money_year_and_plain_counts(seed_db):
    assert (15_000_000.0, "USD") in [(v, u) for v, u, _, _, _ in figures(seed_db, "MONEY")]
    assert 2022.0 in [v for v, _, _, _, _ in figures(seed_db, "YEAR")]
    plain = query(seed_db, "select value, object, qualifier from figures where kind = 'COUNT' and category is null")
    assert (4.0, "matches", None) in plain
    assert (5.0, "states", "at least") in plain


def test_a_place_is_one_entity_whatever_its_spelling(seed_db):
    rows = query(seed_db, """
        select e.canonical_name, e.aliases from entities e
        where e.entity_id in (select entity_id from mentions where text in ('Talpalpa', 'Tapalpa', 'US', 'United States'))
        order by e.canonical_name""")
    assert [(name, sorted(aliases)) for name, aliases in rows] == [
        ("Tapalpa", ["Talpalpa", "Tapalpa"]),
        ("United States", ["US", "United States"]),
    ]


def test_figures_are_attributed_to_who_stated_them(seed_db):
    rows = query(seed_db, """
        select f.text, e.canonical_name from figures f left join entities e on e.entity_id = f.source_entity_id
        where f.category in ('KILL', 'WOUND', 'ARREST') order by f.start_char""")
    said = dict(rows)
    assert said["three other cartel members"] == "Karoline Leavitt"      # According to Leavitt, ...
    assert said["four gang members"] == "Secretariat of National Defence"  # ..., Mexico's Secretariat of National Defence said
    assert said["Osegeura and two others"] == "Secretariat of National Defence"  # ..., according to the secretariat
    assert said["three additional cartel members"] is None                # "... her post read": nobody named
