"""What kind of thing an organisation mention names (transforms/entities/kinds.py)."""

from __future__ import annotations

import polars as pl

from transforms.entities import extract_mentions
from transforms.entities.kinds import common_clusters, refine_kinds

# How often the news capitalises each word inside a sentence, in percent (news_casing.py's table).
CASING = pl.DataFrame(
    {
        "word": ["best", "past", "congressional", "radio", "committee", "trade", "industry", "sony", "times", "pirates", "reading", "news", "parliamentary", "research"],
        "upper": [5, 0, 45, 44, 35, 16, 13, 100, 29, 33, 16, 20, 19, 8],
        "n": [1000] * 14,
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


def test_a_peer_or_knight_is_a_person_but_an_office_after_lord_is_not():
    body = "Lord Dubs spoke; the Lord Chief Justice and Sir Alex Ferguson listened."
    spans = [("ORG", "Lord Dubs"), ("ORG", "Lord Chief Justice"), ("ORG", "Sir Alex Ferguson")]
    assert [(label, text) for label, text, _, _ in _refine(body, *spans)] == [
        ("PERSON", "Lord Dubs"),
        ("ORG", "Lord Chief Justice"),
        ("PERSON", "Sir Alex Ferguson"),
    ]


def test_a_given_name_organisation_whose_article_calls_the_surname_mr_is_a_person():
    body = "Howard Flight is ineligible, said Mr Tanguay. Mr Flight's allies and JP McManus, with Mr McManus."
    spans = [("ORG", "Howard Flight"), ("ORG", "JP McManus")]
    assert [(label, text) for label, text, _, _ in _refine(body, *spans)] == [("PERSON", "Howard Flight"), ("PERSON", "JP McManus")]
    # no "Mr Lynch", and a name ending in an organisation word: organisations
    body = "Merrill Lynch said so, and John Lewis Partnership agreed with Mr Partnership."
    spans = [("ORG", "Merrill Lynch"), ("ORG", "John Lewis Partnership")]
    assert [label for label, *_ in _refine(body, *spans)] == ["ORG", "ORG"]



def test_the_mr_rule_holds_for_every_mention_of_the_name_in_its_own_article_only():
    called = "Howard Flight spoke. Howard Flight left. Mr Flight agreed."
    other = "Howard Flight is a firm. Howard Flight sells cars."
    rows = [
        {"article_id": article_id, "label": "ORG", "text": "Howard Flight", "start_char": start, "end_char": start + 13, "canonical_name": "Howard Flight"}
        for article_id, start in (("a", 0), ("a", 21), ("b", 0), ("b", 25))
    ]
    bodies = pl.DataFrame({"article_id": ["a", "b"], "body": [called, other]})
    out = refine_kinds(pl.DataFrame(rows), bodies, casing=CASING)
    assert out.select("article_id", "label", "start_char").rows() == [("a", "PERSON", 0), ("a", "PERSON", 21), ("b", "ORG", 0), ("b", "ORG", 25)]

def test_a_common_noun_acronym_after_a_country_or_nationality_is_no_organisation():
    body = "a US TV special and European TV programmes, said ITV."
    mentions = pl.DataFrame(
        {
            "article_id": ["a"] * 3,
            "label": ["ORG"] * 3,
            "text": ["US TV", "European TV", "ITV"],
            "start_char": [2, 19, 49],
            "end_char": [7, 30, 52],
            "canonical_name": ["US TV", "European TV", "ITV"],
        }
    )
    bodies = pl.DataFrame({"article_id": ["a"], "body": [body]})
    out = refine_kinds(mentions, bodies, casing=CASING, common_cluster_words=pl.Series(["dvd", "tv"]))
    assert out["label"].to_list() == ["MISC", "MISC", "ORG"]


# How the news lets each name act and what kind words stand beside it (name_agency.py's table), for the things stage.
AGENCY = pl.DataFrame(
    {
        "name": ["sony", "xbox", "p2p", "irb", "rfid", "half-life", "white paper", "swindon", "nato", "sideways", "dtt"],
        "n": [238, 66, 45, 6, 23, 24, 10, 40, 21, 45, 9],
        "acts": [66, 3, 2, 0, 1, 1, 0, 1, 1, 0, 0],
        "things": [9, 12, 18, 0, 1, 0, 0, 0, 0, 0, 0],
        "the": [7, 13, 0, 5, 0, 0, 5, 0, 2, 0, 0],
        "caps": [0, 0, 39, 6, 21, 0, 0, 0, 18, 0, 9],
    },
    schema={"name": pl.String, "n": pl.UInt32, "acts": pl.UInt32, "things": pl.UInt32, "the": pl.UInt32, "caps": pl.UInt32},
)


def _things(body: str, *spans: str, canonical: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(label, text) of ORG spans of ``body`` after the things stage, with AGENCY and no clusters."""
    from transforms.entities.things import refine_things

    rows, at = [], 0
    for text in spans:
        start = body.index(text, at)
        at = start + 1
        rows.append({"article_id": "a", "label": "ORG", "text": text, "start_char": start, "end_char": start + len(text),
                     "canonical_name": (canonical or {}).get(text, text)})  # fmt: skip
    out = refine_things(pl.DataFrame(rows), pl.DataFrame({"article_id": ["a"], "body": [body]}), agency=AGENCY)
    return out.select("label", "text").rows()


def test_a_name_the_news_rarely_lets_act_and_often_puts_beside_a_kind_word_is_a_thing_but_an_acting_name_is_not():
    assert _things("Sony and Xbox sales rose.", "Sony", "Xbox") == [("ORG", "Sony"), ("MISC", "Xbox")]


def test_a_still_acronym_written_in_capitals_is_a_technology_unless_linked_to_a_long_form_or_used_after_the():
    body = "RFID grew, the IRB ruled, and Radio Frequency Identification (RFID) firms."
    assert _things(body, "RFID", "IRB", "RFID", canonical={"RFID": "RFID"}) == [("MISC", "RFID"), ("ORG", "IRB"), ("MISC", "RFID")]
    # an acronym the article links to its long form is not judged as an acronym
    body = "DTT grew, and Digital Terrestrial Television (DTT) firms."
    assert _things(body, "DTT", "DTT", canonical={"DTT": "Digital Terrestrial Television"}) == [("ORG", "DTT"), ("ORG", "DTT")]
    assert _things(body, "DTT", "DTT") == [("MISC", "DTT"), ("MISC", "DTT")]
    # NATO acts once in 21: an acronym needs no act at all, or a kind word beside it somewhere in the news
    assert _things("NATO troops moved.", "NATO") == [("ORG", "NATO")]


def test_a_kind_word_beside_a_name_in_its_article_makes_every_mention_of_the_name_a_thing():
    body = "Sideways won. The hit film Sideways, and Sideways again."
    assert _things(body, "Sideways", "Sideways", "Sideways") == [("MISC", "Sideways")] * 3
    # an unknown name needs the kind word before it ("the game X"), a still one may have it after ("X game")
    assert _things("the game Wanda won", "Wanda") == [("MISC", "Wanda")]
    assert _things("Wanda game sales", "Wanda") == [("ORG", "Wanda")]


def test_a_still_name_after_a_new_or_with_a_version_number_is_a_thing_but_not_in_a_score():
    assert _things("told MPs a new White Paper was due", "White Paper") == [("MISC", "White Paper")]
    assert _things("At times Half-Life 2 feels like", "Half-Life") == [("MISC", "Half-Life")]
    assert _things("Swindon 2 points clear; Southend 1 Swindon 3\n", "Swindon", "Swindon") == [("ORG", "Swindon")] * 2


def test_a_still_or_unknown_name_ending_in_an_event_word_is_an_event():
    body = "the New York Marathon and the Winter Olympic Games, said the Marathon Oil Company."
    spans = ("New York Marathon", "Winter Olympic Games", "Marathon Oil Company")
    assert _things(body, *spans) == [("MISC", "New York Marathon"), ("MISC", "Winter Olympic Games"), ("ORG", "Marathon Oil Company")]


def test_the_shipped_name_agency_table_makes_p2p_a_technology_and_keeps_microsoft():
    from transforms.entities.things import refine_things

    body = "Microsoft said P2P networks grow."
    mentions = pl.DataFrame(
        {"article_id": ["a", "a"], "label": ["ORG", "ORG"], "text": ["Microsoft", "P2P"], "start_char": [0, 15], "end_char": [9, 18],
         "canonical_name": ["Microsoft", "P2P"]}  # fmt: skip
    )
    out = refine_things(mentions, pl.DataFrame({"article_id": ["a"], "body": [body]}))
    assert out["label"].to_list() == ["ORG", "MISC"]


def test_name_agency_counts_acts_kind_words_the_and_capitals_per_capitalised_run():
    from transforms.entities.name_agency import name_agency

    body = (
        "Sony said so. Sony said no. the Sony games.\n"
        "buy P2P networks. use P2P now. P2P rose.\n"
        "The Mac Mini is new. the Mac Mini sold. Mac Mini said."
    )
    table = name_agency(pl.DataFrame({"article_id": ["1"], "body": [body]}), min_count=3)
    assert table.rows() == [
        # name, n, acts, things, the, caps
        ("mac mini", 3, 1, 0, 2, 0),  # "The Mac Mini": the sentence's "The" counts as "the", not as part of the name
        ("p2p", 3, 0, 1, 0, 2),
        ("sony", 3, 2, 1, 1, 0),
    ]


def test_an_officer_is_a_person_but_a_company_named_general_is_not():
    body = "Gen Pervez Musharraf met General Motors."
    spans = [("ORG", "Gen Pervez Musharraf"), ("ORG", "General Motors")]
    assert [(label, text) for label, text, _, _ in _refine(body, *spans)] == [("PERSON", "Gen Pervez Musharraf"), ("ORG", "General Motors")]


def test_an_initial_and_a_surname_in_a_line_up_is_a_person_but_not_in_running_text():
    body = "Ibanez (France), P de Villiers (France), S Perugini, A Persico.\nO Globo said so."
    spans = [("ORG", "P de Villiers"), ("ORG", "S Perugini"), ("ORG", "O Globo")]
    assert [(label, text) for label, text, _, _ in _refine(body, *spans)] == [
        ("PERSON", "P de Villiers"),
        ("PERSON", "S Perugini"),
        ("ORG", "O Globo"),  # a word follows, not a separator
    ]


def test_a_name_right_after_a_word_only_people_are_called_is_a_person_unless_it_holds_an_organisation_word():
    body = "Scrubs star Zach Braff won; actress Amma Asante too; analyst Jupiter Research and singer Manic Street Preachers Group."
    spans = [("ORG", "Zach Braff"), ("ORG", "Amma Asante"), ("ORG", "Jupiter Research"), ("ORG", "Manic Street Preachers Group")]
    assert [label for label, *_ in _refine(body, *spans)] == ["PERSON", "PERSON", "ORG", "ORG"]


def test_a_name_that_opens_an_events_name_is_no_organisation_there_but_stays_one_elsewhere():
    body = "the Norwich Union Grand Prix and the MTV Awards; MTV said so."
    assert _things(body, "Norwich Union", "MTV", "MTV") == [("MISC", "Norwich Union"), ("MISC", "MTV"), ("ORG", "MTV")]


def test_a_one_word_name_after_a_role_word_is_a_person_only_if_the_news_rarely_names_it():
    body = "a family with wife Ffion; vice president Boeing said."
    assert [(label, text) for label, text, _, _ in _refine(body, ("ORG", "Ffion"), ("ORG", "Boeing"))] == [
        ("PERSON", "Ffion"),  # unseen in the shipped name_agency table
        ("ORG", "Boeing"),  # seen 175 times there
    ]


def test_a_place_right_before_a_word_for_a_person_or_product_from_there_is_no_organisation():
    from transforms.entities.things import refine_things

    body = "a Liverpool student, Parma ham, and Liverpool fans at Liverpool."
    mentions = pl.DataFrame(
        {"article_id": ["a"] * 4, "label": ["ORG"] * 4, "text": ["Liverpool", "Parma", "Liverpool", "Liverpool"],
         "start_char": [2, 21, 37, 56], "end_char": [11, 26, 46, 65], "canonical_name": ["Liverpool", "Parma", "Liverpool", "Liverpool"]}  # fmt: skip
    )
    out = refine_things(mentions, pl.DataFrame({"article_id": ["a"], "body": [body]}), agency=AGENCY)
    assert out["label"].to_list() == ["MISC", "MISC", "ORG", "ORG"]  # the span only: "Liverpool fans" is the club
