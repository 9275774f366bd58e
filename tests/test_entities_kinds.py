"""What kind of thing an organisation mention names (transforms/entities/kinds.py)."""

from __future__ import annotations

import polars as pl

from transforms.entities import extract_mentions
from transforms.entities.kinds import common_clusters, refine_kinds

# How often the news capitalises each word inside a sentence, in percent (news_casing.py's table).
CASING = pl.DataFrame(
    {
        "word": ["best", "past", "congressional", "radio", "committee", "trade", "industry", "sony", "times", "pirates", "reading", "news", "parliamentary"],
        "upper": [5, 0, 45, 44, 35, 16, 13, 100, 29, 33, 16, 20, 19],
        "n": [1000] * 13,
    },
    schema={"word": pl.String, "upper": pl.UInt8, "n": pl.UInt32},
)


def _refine(body: str, *spans: tuple[str, str]) -> list[tuple[str, str, int, int]]:
    """(label, text, start, end) of the refined mentions of ``body``; each span is (label, its text)."""
    rows = []
    for label, text in spans:
        start = body.index(text)
        rows.append({"article_id": "a", "label": label, "text": text, "start_char": start, "end_char": start + len(text), "canonical_name": text})
    mentions = pl.DataFrame(rows)
    out = refine_kinds(mentions, pl.DataFrame({"article_id": ["a"], "body": [body]}), casing=CASING)
    assert all(body[s:e] == t for _, t, s, e in out.select("label", "text", "start_char", "end_char").rows())
    return out.select("label", "text", "start_char", "end_char").rows()


def test_two_names_joined_by_and_are_two_organisations():
    body = "Eximbank said so: the Eximbank and Credit Suisse First Boston, among others."
    spans = [("ORG", "Eximbank"), ("ORG", "Eximbank and Credit Suisse First Boston")]
    assert _refine(body, *spans) == [
        ("ORG", "Eximbank", 0, 8),
        ("ORG", "Eximbank", 22, 30),
        ("ORG", "Credit Suisse First Boston", 35, 61),
    ]


def test_a_one_word_side_the_article_never_names_alone_keeps_the_span_whole():
    body = "auditors Coopers and Lybrand said."
    assert _refine(body, ("ORG", "Coopers and Lybrand")) == [("ORG", "Coopers and Lybrand", 9, 28)]


def test_a_list_of_names_is_split_at_commas_and_and_and_a_leading_the_is_left_out():
    body = "Creative, Sony, Guardian. Rivals Creative, Sony and the Guardian said so."
    spans = [("ORG", "Creative"), ("ORG", "Sony"), ("ORG", "Guardian"), ("ORG", "Creative, Sony and the Guardian")]
    assert _refine(body, *spans)[3:] == [("ORG", "Creative", 33, 41), ("ORG", "Sony", 43, 47), ("ORG", "Guardian", 56, 64)]


def test_one_name_built_with_and_stays_whole():
    body = "The Department of Trade and Industry, the Health and Safety Executive and Trade and Industry officials."
    spans = [("ORG", "Department of Trade and Industry"), ("ORG", "Health and Safety Executive"), ("ORG", "Trade and Industry officials"[:18])]
    assert [text for _, text, _, _ in _refine(body, *spans)] == [
        "Department of Trade and Industry",  # "of" before the "and"
        "Health and Safety Executive",  # ends in a head word (org_heads.csv)
        "Trade and Industry",  # a side of common words only
    ]


def test_a_word_the_news_rarely_capitalises_is_no_organisation_where_its_article_writes_it_in_lower_case():
    body = "nominations for Best musical actor, the best of the year."
    assert _refine(body, ("ORG", "Best")) == [("MISC", "Best", 16, 20)]
    assert _refine("nominations for Best musical actor.", ("ORG", "Best")) == [("ORG", "Best", 16, 20)]


def test_a_common_word_organisation_followed_by_a_number_takes_the_number():
    body = "he told Radio 4's Today programme. Radio 4.5 is no station."
    assert _refine(body, ("ORG", "Radio")) == [("ORG", "Radio 4", 8, 15)]


def test_a_common_word_its_article_also_writes_in_lower_case_is_no_organisation_but_a_title_after_the_is_kept():
    body = "Parliamentary session ends, said the parliamentary clerk. The Times reported; three times."
    assert _refine(body, ("ORG", "Parliamentary"), ("ORG", "Times")) == [
        ("MISC", "Parliamentary", 0, 13),
        ("ORG", "Times", 62, 67),  # "The Times": a title, kept
    ]
    # "committee" is capitalised 35% of the time in the news: a name as often as not
    body = "Committee chairman Alan Beith said the committee met."
    assert _refine(body, ("ORG", "Committee")) == [("ORG", "Committee", 0, 9)]


def test_streets_and_venues_are_places_but_seats_of_government_stay_organisations():
    body = "at London's Regent Street, the Stade de France and Downing Street."
    spans = [("ORG", "Regent Street"), ("ORG", "Stade de France"), ("ORG", "Downing Street")]
    assert [label for label, *_ in _refine(body, *spans)] == ["LOCATION", "LOCATION", "ORG"]


def test_a_name_after_an_organisations_possessive_is_its_product_unless_an_organisation_word_ends_it():
    body = "Sony's PlayStation Portable and Microsoft's Lionhead Studios and the IMF's European Department."
    spans = [("ORG", "Sony"), ("ORG", "PlayStation Portable"), ("ORG", "Microsoft"), ("ORG", "Lionhead Studios"), ("ORG", "IMF"), ("ORG", "European Department")]
    assert [(label, text) for label, text, _, _ in _refine(body, *spans)] == [
        ("ORG", "Sony"),
        ("MISC", "PlayStation Portable"),
        ("ORG", "Microsoft"),
        ("ORG", "Lionhead Studios"),
        ("ORG", "IMF"),
        ("ORG", "European Department"),
    ]


def test_one_word_between_two_people_in_a_line_up_is_a_person():
    body = "Jarosik (Gudjohnsen 45), Lampard, Makelele, Cole (Johnson 81), Drogba."
    spans = [("PERSON", "Lampard"), ("ORG", "Makelele"), ("PERSON", "Cole")]
    assert [(label, text) for label, text, _, _ in _refine(body, *spans)] == [
        ("PERSON", "Lampard"),
        ("PERSON", "Makelele"),
        ("PERSON", "Cole"),
    ]


def test_extraction_applies_the_step_with_the_shipped_news_casing():
    body = (
        "The latest handheld gaming gadget, Sony's PlayStation Portable, goes on sale in the US on Thursday. "
        "Sony said the Nintendo and Sony machines compete. Nintendo did not comment."
    )
    mentions = extract_mentions(pl.DataFrame({"article_id": ["a"], "body": [body]}))
    orgs = mentions.filter(pl.col("label") == "ORG")["text"].to_list()
    assert "PlayStation Portable" not in orgs and "Nintendo and Sony" not in orgs
    assert orgs.count("Sony") >= 2


def test_a_score_after_a_club_is_no_channel_number_and_keeps_a_park_a_club():
    body = "the Pirates 10-0 win.\nQueen's Park 1 Forfar 4\nReading 4 Bury 1"
    spans = [("ORG", "Pirates"), ("ORG", "Queen's Park"), ("ORG", "Reading")]
    assert _refine(body, *spans) == [("ORG", "Pirates", 4, 11), ("ORG", "Queen's Park", 22, 34), ("ORG", "Reading", 46, 53)]


def test_a_name_ending_in_a_common_noun_takes_the_number_after_it():
    body = "a poll for BBC News 24 and BBC Radio 4."
    assert _refine(body, ("ORG", "BBC News"), ("ORG", "BBC Radio")) == [("ORG", "BBC News 24", 11, 22), ("ORG", "BBC Radio 4", 27, 38)]


def test_an_acronym_whose_word_clusters_hold_mostly_common_words_is_no_organisation_unless_the_article_expands_it():
    body = "the BBC sells a DVD, and the Digital Versatile Disc Forum (DVD) met."
    mentions = pl.DataFrame(
        {
            "article_id": ["a"] * 3,
            "label": ["ORG"] * 3,
            "text": ["BBC", "DVD", "DVD"],
            "start_char": [4, 16, 58],
            "end_char": [7, 19, 61],
            "canonical_name": ["BBC", "DVD", "Digital Versatile Disc Forum"],
        }
    )
    bodies = pl.DataFrame({"article_id": ["a"], "body": [body]})
    out = refine_kinds(mentions, bodies, casing=CASING, common_cluster_words=pl.Series(["dvd", "tv"]))
    assert out["label"].to_list() == ["ORG", "MISC", "ORG"]


def test_common_noun_acronyms_are_capitalised_words_in_clusters_of_words_the_news_writes_in_lower_case():
    clusters = pl.DataFrame(
        {"word": ["dvd", "disc", "tape", "bbc", "itv", "disk"], "c1": ["1"] * 6, "c2": ["a", "a", "a", "b", "b", "a"], "c3": ["x", "x", "x", "y", "y", "x"]}
    )
    casing = pl.DataFrame(
        {"word": ["dvd", "disc", "tape", "bbc", "itv", "disk"], "upper": [100, 2, 1, 100, 100, 3], "n": [50] * 6},
        schema={"word": pl.String, "upper": pl.UInt8, "n": pl.UInt32},
    )
    assert common_clusters(clusters, casing)["word"].to_list() == ["dvd"]  # "itv": its clusters hold names


def test_a_name_after_a_capitalised_the_inside_a_sentence_is_a_title_unless_an_organisation_word_ends_it():
    body = "documentaries such as The Leonard Cohen Story, said The Yankee Group. The BBC agreed."
    spans = [("ORG", "Leonard Cohen Story"), ("ORG", "Yankee Group"), ("ORG", "BBC")]
    assert [(label, text) for label, text, _, _ in _refine(body, *spans)] == [
        ("MISC", "Leonard Cohen Story"),
        ("ORG", "Yankee Group"),
        ("ORG", "BBC"),  # "The" opens the sentence
    ]


def test_two_names_joined_by_or_are_two_organisations():
    body = "Tysabri, Avonex. Patients taking either Tysabri or Avonex alone."
    spans = [("ORG", "Tysabri"), ("ORG", "Avonex"), ("ORG", "Tysabri or Avonex")]
    assert _refine(body, *spans)[2:] == [("ORG", "Tysabri", 40, 47), ("ORG", "Avonex", 51, 57)]


def test_a_substitute_in_brackets_with_the_minute_he_came_on_is_a_person():
    body = "Bowyer, Dyer (Ambrose 80), Jenas."
    assert _refine(body, ("PERSON", "Dyer"), ("ORG", "Ambrose")) == [("PERSON", "Dyer", 8, 12), ("PERSON", "Ambrose", 14, 21)]
