"""Places: the rules for local names, demonyms and outlet votes added for issue #12 (session 4).

Each test states one rule; the body shows the text, the spans a tagger gave, and the exact result.
"""

from __future__ import annotations

import polars as pl

from tests.test_places import places_of, resolve
from transforms.ids import entity_id
from transforms.places import resolve_places
from transforms.places.gazetteer import name_key, with_plural_demonyms
from transforms.places.outlets import article_votes
from transforms.places.spotting import spot_names
from transforms.schema import MENTIONS, conform


def locations(placed: pl.DataFrame) -> list[tuple]:
    return placed.filter(pl.col("label") == "LOCATION").select("text", "start_char", "usage").rows()


def test_st_mt_and_ft_are_spelt_out_in_name_keys():
    keys = pl.select(
        *(name_key(pl.lit(t)).alias(str(i)) for i, t in enumerate(["St. Paris", "Mt. Pleasant", "Ft. Wayne", "Ste. Genevieve", "Main St"]))
    ).row(0)
    assert keys == ("saint paris", "mount pleasant", "fort wayne", "sainte genevieve", "main saint")


def test_a_dot_joins_an_abbreviated_first_word_to_the_name_it_opens():
    articles = pl.DataFrame({"article_id": ["a"], "body": ["Police in St. Paris said. St. Nothing happened."]})
    spots = spot_names(articles, {"saint paris"})
    assert spots.select("text", "start_char", "end_char", "key").rows() == [("St. Paris", 10, 19, "saint paris")]


def test_a_tagger_span_cut_at_the_dot_is_widened_to_the_whole_name():
    body = "Deputies from ST. PARIS and Urbana, Ohio, searched the creek."
    placed, places = resolve(body, {"LOCATION": ["ST", "PARIS", "Urbana", "Ohio"]})
    assert locations(placed) == [("ST. PARIS", 14, "literal"), ("Urbana", 28, "literal"), ("Ohio", 36, "literal")]
    assert places_of(placed, places)["ST. PARIS"][:4] == ("Saint Paris", "city", "US", "Ohio")


def test_a_story_opening_with_an_all_caps_town_and_a_dash_names_that_town():
    body = "NEWARK — Licking County deputies said a man drove a barstool on Ohio roads."
    placed, places = resolve(body, {"LOCATION": ["Licking County", "Ohio"]})
    assert locations(placed)[0] == ("NEWARK", 0, "literal")
    assert places_of(placed, places)["NEWARK"][:4] == ("Newark", "city", "US", "Ohio")
    # an all-caps word inside a sentence is no dateline
    placed, _ = resolve("Officials said XENIA - not Dayton - would host it.", {"LOCATION": ["Dayton"]})
    assert [t for t, _, _ in locations(placed)] == ["Dayton"]


def test_an_all_caps_town_also_written_in_lower_case_is_no_acronym():
    body = "MALTA — About 5,000 books are stacked in the library of Malta, Illinois."
    placed, places = resolve(body, {"LOCATION": ["Malta", "Illinois"]})
    found = places_of(placed, places)
    assert found["MALTA"][:4] == ("Malta", "city", "US", "Illinois")
    assert found["Malta"][:4] == ("Malta", "city", "US", "Illinois")


def test_plural_demonyms_and_us_state_demonyms_are_demonyms():
    body = "Syrians, Iraqis and Cypriots met Iowans and Texans in Vienna."
    placed, places = resolve(body, {"LOCATION": ["Vienna"]})
    found = places_of(placed, places, "demonym")
    assert {t: (p[0], p[1]) for t, p in found.items()} == {
        "Syrians": ("Syria", "country"),
        "Iraqis": ("Iraq", "country"),
        "Cypriots": ("Cyprus", "country"),
        "Iowans": ("Iowa", "admin1"),
        "Texans": ("Texas", "admin1"),
    }


def test_plurals_are_added_only_to_demonyms_that_take_an_s():
    demonyms = pl.DataFrame({"key": ["syrian", "iraqi", "british", "chinese", "swiss"], "place_id": [1, 2, 3, 4, 5]})
    assert sorted(with_plural_demonyms(demonyms)["key"].to_list()) == sorted(
        ["syrian", "iraqi", "british", "chinese", "swiss", "syrians", "iraqis"]
    )


def test_a_demonym_the_tagger_called_an_organisation_by_itself_is_a_demonym():
    body = "The ship docked in Limassol, and Cypriot officials seized its cargo."
    placed, places = resolve(body, {"LOCATION": ["Limassol"], "ORG": ["Cypriot"]})
    assert placed.select("label", "text", "usage").rows() == [
        ("LOCATION", "Limassol", "literal"),
        ("LOCATION", "Cypriot", "demonym"),
    ]
    assert places_of(placed, places, "demonym")["Cypriot"][:2] == ("Cyprus", "country")


def test_a_name_the_tagger_called_a_place_once_is_a_place_at_every_occurrence():
    body = "Sycamore family honored. The fundraiser is in Sycamore, and Sycamore police will help."
    # a tagger that saw only the middle 'Sycamore' (46) as a place
    mentions = conform(
        pl.DataFrame({"article_id": ["a"], "label": ["LOCATION"], "text": ["Sycamore"], "start_char": [46],
                      "end_char": [54], "canonical_name": ["Sycamore"]}).with_columns(
            entity_id(pl.col("label"), pl.col("canonical_name")).alias("entity_id")),
        MENTIONS,
    )
    articles = pl.DataFrame({"article_id": ["a"], "title": [None], "body": [body]})
    placed, places = resolve_places(articles, mentions)
    assert locations(placed) == [("Sycamore", 0, "literal"), ("Sycamore", 46, "literal"), ("Sycamore", 60, "literal")]
    assert placed["place_id"].n_unique() == 1


def test_a_span_is_not_narrowed_to_a_generic_feature_word_nor_to_the_name_after_one():
    body = "Crews worked near Lore City and Lake Cumberland, and at Newark Live Bait in Ohio."
    placed, places = resolve(body, {"LOCATION": ["Lore City", "Lake Cumberland", "Newark Live Bait", "Ohio"]})
    assert [t for t, _, _ in locations(placed)] == ["Lore City", "Lake Cumberland", "Newark", "Ohio"]
    unresolved = placed.filter(pl.col("place_id").is_null())["text"].to_list()
    assert unresolved == ["Lore City", "Lake Cumberland"]


def test_a_capitalised_word_spotted_with_no_sign_of_a_place_lends_no_coherence():
    # "March" is a town in England: as a bare capitalised word it must not pull Newark to England
    body = "In March, Newark officials met. March was cold."
    placed, places = resolve(body, {"LOCATION": ["Newark"]})
    assert places_of(placed, places)["Newark"][:4] == ("Newark", "city", "US", "New Jersey")


def test_an_article_votes_only_for_a_division_holding_one_of_its_chosen_readings():
    def reading(key, admin1, chosen):
        return {"article_id": "a", "key": key, "feature_type": "city", "country": "US", "admin1": admin1, "chosen": chosen}

    # Cairo and Alexandria both have namesakes in Ohio, but the article chose Egypt's
    egyptian = pl.DataFrame([reading("cairo", "Ohio", False), reading("alexandria", "Ohio", False),
                             reading("cairo", "Cairo", True), reading("alexandria", "Alexandria", True)])
    assert article_votes(egyptian).height == 0
    local = pl.DataFrame([reading("newark", "Ohio", False), reading("heath", "Ohio", False),
                          reading("licking county", "Ohio", True), reading("newark", "New Jersey", True)])
    assert article_votes(local).rows() == [("a", "US", "Ohio")]


def test_a_name_widened_from_the_taggers_spans_is_one_mention_not_two():
    # the tagger split "Republic of Ireland" into an organisation and a place
    body = "Israel v Republic of Ireland was played in Tel Aviv."
    placed, places = resolve(body, {"ORG": ["Republic"], "LOCATION": ["Ireland", "Israel", "Tel Aviv"]})
    rows = placed.filter(pl.col("label") == "LOCATION").select("text", "start_char", "end_char").rows()
    assert rows == [("Israel", 0, 6), ("Republic of Ireland", 9, 28), ("Tel Aviv", 43, 51)]


def test_a_surname_tagged_a_place_once_does_not_turn_the_person_into_a_place():
    body = "Michael Jackson arrived in court. Jackson denied it. Mr Jackson smiled in Santa Maria."
    mentions = conform(
        pl.DataFrame({"article_id": ["a"] * 4, "label": ["PERSON", "LOCATION", "PERSON", "LOCATION"],
                      "text": ["Michael Jackson", "Jackson", "Jackson", "Santa Maria"],
                      "start_char": [0, 34, 56, 74], "end_char": [15, 41, 63, 85],
                      "canonical_name": ["Michael Jackson", "Jackson", "Michael Jackson", "Santa Maria"]}).with_columns(
            entity_id(pl.col("label"), pl.col("canonical_name")).alias("entity_id")),
        MENTIONS,
    )
    articles = pl.DataFrame({"article_id": ["a"], "title": [None], "body": [body]})
    placed, _ = resolve_places(articles, mentions)
    assert placed.select("label", "text", "start_char").rows() == [
        ("PERSON", "Michael Jackson", 0), ("LOCATION", "Jackson", 34), ("PERSON", "Jackson", 56), ("LOCATION", "Santa Maria", 74)]


def test_a_generic_feature_word_or_the_name_after_one_is_not_spotted_inside_an_organisation():
    body = "The Lake Cumberland Association and the River Moy Trust met in Dublin."
    placed, places = resolve(body, {"ORG": ["Lake Cumberland Association", "River Moy Trust"], "LOCATION": ["Dublin"]})
    assert placed.filter(pl.col("label") == "LOCATION").select("text", "usage").rows() == [("Dublin", "literal")]


def test_a_bare_compass_word_is_a_modifier_not_the_place_it_also_names():
    body = "Fires spread across Southern California. The mall in West Edmonton opened; the West was silent."
    placed, places = resolve(body, {"LOCATION": ["Southern California", "West", "Edmonton"]})
    found = places_of(placed.filter(pl.col("place_id").is_not_null()), places)
    assert {t: (p[0], p[2]) for t, p in found.items()} == {"California": ("California", "US"), "Edmonton": ("Edmonton", "CA")}
    assert placed.filter(pl.col("place_id").is_null())["text"].to_list() == ["West", "West"]
