"""Places: a sports team named for its town is the club, not the town (issues #12 and #14).

The tagger's organisation stays an organisation when its line or sentence says team: a score
after it, a fixture, or a sports word. A real place of the same article still resolves.
"""

from __future__ import annotations

import polars as pl

from tests.test_places import places_of, resolve


def labelled(placed: pl.DataFrame) -> list[tuple]:
    return placed.select("label", "text", "start_char", "usage").rows()


def test_teams_in_a_results_line_stay_organisations_and_resolve_to_no_place():
    body = "Baseball results on Tuesday from games in Missouri and California.\nKANSAS CITY 5 SAN DIEGO 3\nST. LOUIS 4 OAKLAND 2\n"
    placed, places = resolve(body, {"ORG": ["KANSAS CITY", "SAN DIEGO", "ST. LOUIS", "OAKLAND"], "LOCATION": ["Missouri", "California"]})
    assert labelled(placed) == [
        ("LOCATION", "Missouri", 42, "literal"),
        ("LOCATION", "California", 55, "literal"),
        ("ORG", "KANSAS CITY", 67, "literal"),
        ("ORG", "SAN DIEGO", 81, "literal"),
        ("ORG", "ST. LOUIS", 93, "literal"),
        ("ORG", "OAKLAND", 105, "literal"),
    ]
    assert placed.filter(pl.col("label") == "ORG")["place_id"].to_list() == [None] * 4
    assert places_of(placed, places) == {
        "Missouri": ("Missouri", "admin1", "US", "Missouri", 38.28, -92.43),
        "California": ("California", "admin1", "US", "California", 37.28, -119.31),
    }


def test_teams_in_a_sentence_about_a_game_stay_organisations_beside_a_real_place():
    body = "Fans in Columbus, Ohio watched the game. Toledo defeated Akron in the league final."
    placed, places = resolve(body, {"ORG": ["Toledo", "Akron"], "LOCATION": ["Columbus", "Ohio"]})
    assert labelled(placed) == [
        ("LOCATION", "Columbus", 8, "literal"),
        ("LOCATION", "Ohio", 18, "literal"),
        ("ORG", "Toledo", 41, "literal"),
        ("ORG", "Akron", 57, "literal"),
    ]
    assert places_of(placed, places)["Columbus"][:4] == ("Columbus", "city", "US", "Ohio")


def test_a_team_beaten_in_a_sentence_is_no_town_of_its_state():
    body = "Cleveland beat Toledo 5-3 on Saturday in Columbus, Ohio."
    placed, _ = resolve(body, {"ORG": ["Cleveland", "Toledo"], "LOCATION": ["Columbus", "Ohio"]})
    assert labelled(placed) == [
        ("ORG", "Cleveland", 0, "literal"),
        ("ORG", "Toledo", 15, "literal"),
        ("LOCATION", "Columbus", 41, "literal"),
        ("LOCATION", "Ohio", 51, "literal"),
    ]


def test_a_number_after_a_name_inside_a_sentence_is_no_score():
    # "Region 1 Board", "S.C. 6 near": the organisation-named local town keeps its place reading
    body = "Budgets in Ohio rose. Member towns pay Akron 1 percent more."
    placed, places = resolve(body, {"ORG": ["Akron"], "LOCATION": ["Ohio"]})
    assert labelled(placed) == [("LOCATION", "Ohio", 11, "literal"), ("LOCATION", "Akron", 39, "literal")]
    assert places_of(placed, places)["Akron"][:4] == ("Akron", "city", "US", "Ohio")
