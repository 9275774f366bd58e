"""transforms.figures.extract_figures and the article_casualties view, on real text."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

from evaluation.casualties import summarise
from transforms.figures import CATEGORIES, extract_figures
from transforms.ids import entity_id
from transforms.schema import FIGURES, MENTIONS, empty

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "seeds" / "000_bd22b0fa7cd20e9b.txt"
GVDB_DEV = REPO.parent / "shared" / "data" / "figures" / "gvdb" / "dev.tsv"


def seed_body() -> str:
    # First line " date YYYY-MM-DD <headline>", a blank line, then the body verbatim.
    return SEED.read_text(encoding="utf-8").split("\n", 2)[2]


def figures_of(body: str, mentions: pl.DataFrame | None = None) -> pl.DataFrame:
    articles = pl.DataFrame({"article_id": ["a1"], "body": [body]})
    return extract_figures(articles, empty(MENTIONS) if mentions is None else mentions)


def rows(figures: pl.DataFrame, *columns: str) -> list[tuple]:
    return figures.select(columns).rows()


def seed_mentions(body: str) -> pl.DataFrame:
    """The mentions the entity extractor is expected to give, found by their names in the text."""
    found = [
        ("PERSON", "Karoline Leavitt", r"(?:Karoline )?Leavitt"),
        ("ORG", "Secretariat of National Defence", r"Secretariat of National Defence|(?<=the )secretariat"),
    ]
    records = [
        {"article_id": "a1", "label": label, "text": m.group(), "start_char": m.start(), "end_char": m.end(), "canonical_name": name}
        for label, name, pattern in found
        for m in re.finditer(pattern, body)
    ]
    frame = pl.DataFrame(records).with_columns(entity_id(pl.col("label"), pl.col("canonical_name")).alias("entity_id"))
    return frame.select(MENTIONS.names())


# --------------------------------------------------------------------------- the seed


def test_seed_event_counts_with_category_value_and_object():
    figures = figures_of(seed_body()).filter(pl.col("category").is_not_null())
    assert rows(figures, "kind", "category", "value", "object", "text") == [
        ("COUNT", "KILL", 3.0, "cartel members", "three other cartel members"),
        ("COUNT", "WOUND", 3.0, None, "three"),
        ("COUNT", "ARREST", 2.0, None, "two"),
        ("COUNT", "KILL", 3.0, "cartel members", "three additional cartel members"),
        ("COUNT", "WOUND", 3.0, None, "three"),
        ("COUNT", "ARREST", 2.0, None, "two"),
        ("COUNT", "KILL", 4.0, "gang members", "four gang members"),
        # The named person plus the two others: three died.
        ("COUNT", "KILL", 3.0, "others", "Osegeura and two others"),
        ("COUNT", "WOUND", 3.0, "military personnel", "Three Mexican military personnel"),
        # "The US Justice Department charged El Mencho": El Mencho was charged; a named person is its own object.
        ("COUNT", "CHARGE", 1.0, "El Mencho", "El Mencho"),
    ]


def test_seed_other_figures():
    figures = figures_of(seed_body()).filter(pl.col("category").is_null())
    assert rows(figures, "kind", "value", "qualifier", "unit", "object", "text") == [
        ("COUNT", 4.0, None, None, "matches", "four matches"),
        ("YEAR", 2026.0, None, None, None, "2026"),
        ("COUNT", 5.0, "at least", None, "states", "at least five states"),
        ("MONEY", 15_000_000.0, "up to", "USD", None, "up to USD 15 million"),
        ("YEAR", 2022.0, None, None, None, "2022"),
    ]


def test_seed_offsets_are_python_string_indices():
    body = seed_body()
    figures = figures_of(body)
    assert figures.schema == FIGURES
    for start, end, text in rows(figures, "start_char", "end_char", "text"):
        assert body[start:end] == text


def test_offsets_count_characters_not_bytes():
    body = "Après l’attaque — «terrible» — three people were killed and €2 million was stolen."
    figures = figures_of(body)
    assert rows(figures, "text", "category", "value", "unit") == [
        ("three people", "KILL", 3.0, None),
        ("€2 million", None, 2_000_000.0, "EUR"),
    ]
    for start, end, text in rows(figures, "start_char", "end_char", "text"):
        assert body[start:end] == text


def test_seed_attribution_to_the_speaker_mention():
    body = seed_body()
    mentions = seed_mentions(body)
    leavitt = entity_id(pl.lit("PERSON"), pl.lit("Karoline Leavitt"))
    secretariat = entity_id(pl.lit("ORG"), pl.lit("Secretariat of National Defence"))
    ids = pl.select(leavitt.alias("l"), secretariat.alias("s")).row(0)
    figures = figures_of(body, mentions).filter(pl.col("category").is_in(["KILL", "WOUND", "ARREST"]))
    assert rows(figures, "text", "source_entity_id") == [
        ("three other cartel members", ids[0]),  # According to Leavitt, ...
        ("three", ids[0]),
        ("two", ids[0]),
        ("three additional cartel members", None),  # "... her post read": no named speaker
        ("three", None),
        ("two", None),
        ("four gang members", ids[1]),  # ..., Mexico's Secretariat of National Defence said.
        ("Osegeura and two others", ids[1]),  # ..., according to the secretariat.
        ("Three Mexican military personnel", None),
    ]


def test_empty_inputs():
    assert extract_figures(empty(pl.Schema({"article_id": pl.String, "body": pl.String})), empty(MENTIONS)).schema == FIGURES
    assert figures_of("No numbers here at all.").height == 0


# --------------------------------------------------------------------------- forms


@pytest.mark.parametrize(
    "body, expected",
    [
        ("Oseguera was wanted by US authorities, who offered a bounty of up to USD 15 million.", ("up to USD 15 million", 15_000_000.0, "USD", "up to")),
        ("The company lost $1.13bn last year.", ("$1.13bn", 1_130_000_000.0, "USD", None)),
        ("The council spent £600m on the scheme.", ("£600m", 600_000_000.0, "GBP", None)),
        ("He was paid 15 million dollars.", ("15 million dollars", 15_000_000.0, "USD", None)),
        ("A reward of $10,000 is offered.", ("$10,000", 10_000.0, "USD", None)),
        ("Fines reached nearly €2.5 billion.", ("nearly €2.5 billion", 2_500_000_000.0, "EUR", "nearly")),
    ],
)
def test_money_is_normalised_to_iso_4217_and_full_value(body, expected):
    assert rows(figures_of(body).filter(pl.col("kind") == "MONEY"), "text", "value", "unit", "qualifier") == [expected]


@pytest.mark.parametrize(
    "body, text, value",
    [
        ("Twenty-one people were killed in the blast.", "Twenty-one people", 21.0),
        ("A dozen protesters were arrested.", "A dozen protesters", 12.0),
        ("Police detained 1,200 fans.", "1,200 fans", 1200.0),
        ("Two hundred thousand residents were evacuated.", "Two hundred thousand residents", 200_000.0),
        ("Officials said 2.5 million people were affected.", "2.5 million people", 2_500_000.0),
        ("One hundred twenty-five workers were injured.", "One hundred twenty-five workers", 125.0),
    ],
)
def test_numbers_in_words_and_digits(body, text, value):
    assert rows(figures_of(body).filter(pl.col("kind") == "COUNT"), "text", "value") == [(text, value)]


@pytest.mark.parametrize(
    "body, qualifier, value",
    [
        ("At least 14 people were killed.", "at least", 14.0),
        ("More than 300 people were arrested.", "more than", 300.0),
        ("About 40 people were injured.", "about", 40.0),
        ("Nearly two hundred families were displaced.", "nearly", 200.0),
        ("Up to 50 migrants are missing.", "up to", 50.0),
        ("Some 3,000 people were evacuated.", "about", 3000.0),
    ],
)
def test_qualifiers_are_normalised(body, qualifier, value):
    assert rows(figures_of(body), "qualifier", "value") == [(qualifier, value)]


def test_event_categories_from_the_clause():
    body = (
        "Three people were killed, five were hospitalized and two were detained. "
        "Four soldiers were kidnapped. Six hikers are missing. "
        "Police seized 40 rifles. About 2,000 demonstrators marched. 300 families were displaced."
    )
    assert rows(figures_of(body), "category", "value") == [
        ("KILL", 3.0), ("WOUND", 5.0), ("ARREST", 2.0), ("KIDNAP", 4.0), ("MISSING", 6.0),
        ("SEIZE", 40.0), ("PROTEST", 2000.0), ("DISPLACE", 300.0),
    ]


def test_implicit_singular_counts():
    body = (
        "Man shot, killed on Detroit's west side. A man was shot and killed on Sunday. "
        "Police shot and killed a suspect. No one else was hurt."
    )
    assert rows(figures_of(body), "text", "category", "value") == [
        ("Man", "KILL", 1.0),
        ("A man", "KILL", 1.0),
        ("a suspect", "KILL", 1.0),
        ("No one", "WOUND", 0.0),
    ]


def test_the_agent_is_not_counted():
    body = "A police officer shot a man in Greeley. A man who killed his wife was arrested."
    assert rows(figures_of(body), "text", "category") == [("a man", "SHOOT"), ("his wife", "KILL")]


def test_ranges_percents_years_dates_quantities():
    body = (
        "Between 10 and 20 people were injured. Prices rose 2.5% in 2015, and 10 to 15 million euros went missing. "
        "It happened on May 3, 2014, and on 2016-01-27. The driver, aged 26, drove at 100 mph."
    )
    got = rows(figures_of(body), "kind", "category", "value", "value_max", "unit", "text")
    assert got == [
        ("COUNT", "WOUND", 10.0, 20.0, None, "Between 10 and 20 people"),
        ("PERCENT", None, 2.5, None, "%", "2.5%"),
        ("YEAR", None, 2015.0, None, None, "2015"),
        ("MONEY", None, 10_000_000.0, 15_000_000.0, "EUR", "10 to 15 million euros"),
        ("DATE", None, 20140503.0, None, None, "May 3, 2014"),  # yyyymmdd
        ("DATE", None, 20160127.0, None, None, "2016-01-27"),
        ("QUANTITY", None, 26.0, None, None, "26"),
        ("QUANTITY", None, 100.0, None, None, "100 mph"),
    ]


def test_categories_are_the_documented_taxonomy():
    assert {"KILL", "WOUND", "ARREST", "KIDNAP", "MISSING", "DISPLACE", "EVACUATE", "SEIZE", "PROTEST", "AFFECT"} <= set(CATEGORIES)
    figures = figures_of(seed_body())
    assert set(figures["category"].drop_nulls()) <= set(CATEGORIES)


# --------------------------------------------------------------------------- the view


def casualties(figures: pl.DataFrame, article_ids: list[str]) -> list[tuple]:
    summary = summarise(figures.with_row_index("figure_id"), pl.DataFrame({"article_id": article_ids}))
    return summary.select("article_id", "killed", "wounded", "arrested").rows()


def test_seed_casualties_take_the_most_complete_account():
    body = seed_body()
    figures = figures_of(body, seed_mentions(body))
    # White House: 3 other cartel members killed; defence ministry: 4 at the scene + Oseguera and two others.
    assert casualties(figures, ["a1", "b2"]) == [("a1", 7, 3, 2), ("b2", 0, 0, 0)]


def test_restatements_are_not_added_and_shot_but_alive_are_wounded():
    body = (
        "Two men were shot on Friday night. One of them died at the scene. "
        "Police said a man was killed. The victim, a 25-year-old man, died at the hospital."
    )
    assert casualties(figures_of(body), ["a1"]) == [("a1", 1, 1, 0)]


# --------------------------------------------------------------------------- GVDB


@pytest.mark.slow  # the whole GVDB dev split through the extractor
@pytest.mark.skipif(not GVDB_DEV.exists(), reason="GVDB dev split not available (../shared)")
def test_gvdb_both_halves_beat_the_keyword_baseline_and_agree():
    from evaluation.casualties import evaluate

    result = evaluate(GVDB_DEV, through_pipeline=False)
    halves = result["halves"]
    for half in ("dev", "held-out"):
        for metric in ("killed", "wounded"):
            assert halves[half][metric]["margin"] > 0, (half, metric)
        assert halves[half]["killed"]["accuracy"] >= 0.88, half
    # Wounded: the held-out half reaches the target; the dev half (noisier gold) is guarded at today's level.
    assert halves["held-out"]["wounded"]["accuracy"] >= 0.85
    assert halves["dev"]["wounded"]["accuracy"] >= 0.79
    assert abs(halves["gap"]["killed"]["gap"]) < 0.05


def test_old_full_dates_are_yyyymmdd_and_clock_times_are_not_dates():
    figures = figures_of("The base was attacked on December 7, 1941, and the ferry left at APRIL 07 0930 local time.")
    dates = rows(figures.filter(pl.col("kind") == "DATE"), "value", "text")
    assert dates == [(19411207.0, "December 7, 1941")]


def test_sports_scores_are_not_counts_with_missing_values():
    figures = figures_of("Holland were held to a 0-0 draw by Romania, and three fans were arrested after the match.")
    assert figures["value"].is_finite().all()
    assert rows(figures.filter(pl.col("category") == "ARREST"), "value", "object") == [(3.0, "fans")]


def test_negated_and_hypothetical_events_are_not_counted():
    body = (
        "The troopers inside the vehicle were not injured. "
        "The bullet came within inches of possibly killing the trooper. A man was shot."
    )
    assert rows(figures_of(body).filter(pl.col("category").is_not_null()), "text", "category") == [("A man", "SHOOT")]


def test_statistics_and_dated_past_events_are_not_this_events_toll():
    body = (
        "It is the most killings the city has seen in January since 2007, when 28 were killed. "
        "Nine officers have been fatally shot this year alone. "
        "A former deputy accused of killing his wife in 2012 is on trial. Two men were killed on Friday."
    )
    assert rows(figures_of(body).filter(pl.col("category").is_not_null()), "text", "category", "value", "scope") == [
        ("28", "KILL", 28.0, "aggregate"),
        ("Nine officers", "KILL", 9.0, "aggregate"),
        ("Two men", "KILL", 2.0, "incident"),
    ]
    assert casualties(figures_of(body), ["a1"]) == [("a1", 2, 0, 0)]


def test_hypothetical_counts_keep_their_event_and_are_not_casualties():
    body = "The gunmen were not injured. He threatened to kill two guards. Three people were wounded."
    figures = figures_of(body)
    assert rows(figures, "text", "category", "value", "scope") == [
        ("two guards", "KILL", 2.0, "hypothetical"),
        ("Three people", "WOUND", 3.0, "incident"),
    ]
    assert casualties(figures, ["a1"]) == [("a1", 0, 3, 0)]


def test_days_agencies_and_places_are_not_victims():
    body = "Flores-Alvarez was transported to the hospital. Police were hurt. A girl was shot on Wednesday."
    assert rows(figures_of(body).filter(pl.col("category").is_not_null()), "text", "category") == [("A girl", "SHOOT")]


def test_an_implicit_victim_taken_to_hospital_who_died_is_not_also_wounded():
    body = "A man was shot on Main Street. He was taken to a hospital, where he was pronounced dead."
    assert casualties(figures_of(body), ["a1"]) == [("a1", 1, 0, 0)]


def test_candidate_regexes_use_ascii_classes_for_speed():
    from transforms.figures.lexicons import patterns

    assert "\\w" not in patterns()["figure"] and "\\b(" not in patterns()["figure"]
    # Non-ASCII text around a figure still works.
    assert rows(figures_of("Prices rose 2.5% — £600m was spent."), "kind", "value") == [("PERCENT", 2.5), ("MONEY", 600_000_000.0)]


# --------------------------------------------------------------------------- headlines, victims, other events


@pytest.mark.parametrize(
    "body, expected",
    [
        # A headline drops the determiner before an age: the age does not become a bare number.
        ("Homicide at Hopkins & Stark: 30-year-old man shot & killed | FOX6Now.com", [("30-year-old man", "KILL", 1.0)]),
        # The Homicide Report's appositive: the person is "a 19-year-old Latino", and "Latino male" is one noun phrase.
        (
            "Isaac Duran, a 19-year-old Latino, was shot and killed Thursday. "
            "Juan Landaverde, a 26-year-old Latino male, died Sunday after being shot in Gardena.",
            [("a 19-year-old Latino", "KILL", 1.0), ("a 26-year-old Latino male", "KILL", 1.0)],
        ),
        # "shot at" blocks "shot", but not the death that follows it.
        ("Girl shot at party dies; woman held", [("Girl", "KILL", 1.0)]),
        # A title glued to the body ends the clause: "two critical" is not "two ... dead".
        (
            "One dead, two critical following mysterious night of violenceOne man is dead, and two women are fighting for their lives.",
            [("One", "KILL", 1.0)],
        ),
        # "the body of a man": "of" ends the noun phrase, and "body of" names a death.
        ("A fisherman found the body of a man in the Black River on Saturday.", [("a man", "KILL", 1.0)]),
        ("A young mother of three is dead following a Jan. 14 shooting.", [("A young mother", "KILL", 1.0)]),
        ("UPDATE 10:45 p.m.: Davidson has died as a result of his injuries.", [("Davidson", "KILL", 1.0)]),
    ],
)
def test_headline_and_appositive_victims(body, expected):
    assert rows(figures_of(body).filter(pl.col("scope") == "incident"), "text", "category", "value") == expected


@pytest.mark.parametrize(
    "body, expected",
    [
        # Measures, glued site names and clock times are not people.
        ("A man was shot eight times in the upper body.", [("A man", "SHOOT", 1.0)]),
        # The site's "6" is no count; the body glued to the site's name is a sentence of its own.
        ("Man critical after shooting in Kensington | 6abc.comOne person is critically injured.", [("One person", "WOUND", 1.0)]),
        ("A non-fatal shooting left a 32-year-old man wounded around 6:20 p.m. on Friday.", [("a 32-year-old man", "WOUND", 1.0)]),
        # "the shot" is the bullet, not the event.
        ("Police said five people were inside when the shot came through the wall.", []),
        # A statistic since an earlier year, with words between "since" and the year.
        ("Since the deadly December 2012 rampage on Sandy Hook elementary school, at least 555 kids have been killed from gunshots.", []),
    ],
)
def test_what_is_not_a_casualty_count(body, expected):
    assert rows(figures_of(body).filter(pl.col("scope") == "incident"), "text", "category", "value") == expected


def test_a_shot_victim_reported_dead_elsewhere_is_killed_not_wounded():
    body = "Police say a man was shot on Cypress Station near the North Freeway. Homicide detectives are investigating."
    assert rows(figures_of(body).filter(pl.col("category").is_not_null()), "text", "category") == [("a man", "KILL")]
    assert casualties(figures_of(body), ["a1"]) == [("a1", 1, 0, 0)]


def test_cues_that_say_no_one_died_leave_the_shot_victim_wounded():
    body = "A man was shot in the leg. The suspect, who used a deadly weapon, is charged with attempted murder."
    assert casualties(figures_of(body), ["a1"]) == [("a1", 0, 1, 0)]


def test_additive_claims_add_to_the_claim_they_follow():
    body = "Two people are dead after a shooting. One man was declared dead at the scene, and another man died at the hospital."
    assert casualties(figures_of(body), ["a1"]) == [("a1", 2, 0, 0)]
    # "21 others" are others than the killed, and the same 21 as "at least 21".
    body = (
        "The massacre left 14 people killed and 21 others wounded. "
        "The couple fired 65 to 75 rounds, killing at least 14 people and wounding at least 21."
    )
    assert casualties(figures_of(body), ["a1"]) == [("a1", 14, 21, 0)]


def test_others_beyond_another_events_toll_are_that_events_whole_toll():
    # The headline's "3 wounded" and "three others wounded" are the same three: others than the dead.
    body = "2 killed, 3 wounded in shooting. Two people are dead and three others wounded after a shooting."
    assert rows(figures_of(body).filter(pl.col("category") == "WOUND"), "text", "additive") == [("3", False), ("three others", False)]
    assert casualties(figures_of(body), ["a1"]) == [("a1", 2, 3, 0)]


def test_others_after_a_claim_of_the_same_event_and_a_reflexive_stay_additive():
    body = "One man was declared dead, and another man died. The man who shot three women then killed himself."
    assert rows(figures_of(body).filter(pl.col("additive")), "text", "category") == [("another man", "KILL"), ("himself", "KILL")]


def test_others_after_another_events_claim_in_an_earlier_sentence_are_standalone():
    body = "Authorities said two people were hurt. One person was shot in the leg. Another victim was injured from being assaulted."
    assert rows(figures_of(body).filter(pl.col("category").is_not_null()), "text", "category", "additive") == [
        ("two people", "WOUND", False), ("One person", "SHOOT", False), ("Another victim", "WOUND", False)
    ]
    assert casualties(figures_of(body), ["a1"]) == [("a1", 0, 2, 0)]


def test_an_unattributed_additive_claim_continues_the_account_it_follows():
    body = "Two women were shot. One of the women was shot in the car. The other woman was shot in the face."
    figures = figures_of(body)
    assert rows(figures, "text", "category", "additive") == [("Two women", "SHOOT", False), ("One", "SHOOT", False), ("The other woman", "SHOOT", True)]
    # The chief said "one of the women was shot"; the other woman is his account too (1 + 1), not a third
    # woman beyond the unattributed "two women".
    attributed = figures.with_columns(pl.when(pl.col("text") == "One").then(pl.lit("chief")).otherwise(pl.col("source_entity_id")).alias("source_entity_id"))
    assert casualties(attributed, ["a1"]) == [("a1", 0, 2, 0)]


def test_gunshot_wounds_had_or_sustained_are_people_shot_and_age_ranges_are_no_people():
    body = "Two of the victims had gunshot wounds to the lower body. The victims ranged in age from 25 to 45."
    assert rows(figures_of(body), "text", "category", "value") == [("Two", "SHOOT", 2.0), ("25 to 45", None, 25.0)]
    assert rows(figures_of("The victim sustained a single gunshot wound."), "text", "category") == [("The victim", "SHOOT")]


def test_a_body_glued_to_its_headlines_site_name_starts_a_sentence():
    body = "Cicero shooting | abc7chicago.comTwo people were injured during an argument. Visit abc7.com for more."
    assert rows(figures_of(body).filter(pl.col("category").is_not_null()), "text", "category", "value") == [("Two people", "WOUND", 2.0)]


def test_a_gunshot_wound_is_a_shot_victim_and_another_events_death_leaves_them_alive():
    body = (
        "One man was hospitalized with serious injuries. He was suffering from a gunshot wound to his abdomen. "
        "The spate of violence began Dec. 18 with a fatal shooting in Altadena."
    )
    assert rows(figures_of(body).filter(pl.col("category").is_not_null()), "text", "category") == [("One man", "WOUND"), ("He", "SHOOT")]
    assert casualties(figures_of(body), ["a1"]) == [("a1", 0, 1, 0)]


# --------------------------------------------------------------------------- named victims


def test_victims_named_once_each_are_different_people_and_a_repeated_name_is_one():
    body = (
        "Rialmo fatally shot Quintonio LeGrier. The officer also accidentally shot and killed a neighbor, "
        "55-year-old Bettie Jones. LeGrier was killed in the midst of a crisis."
    )
    figures = figures_of(body).filter(pl.col("category") == "KILL")
    # A description takes its appositive name; a surname alone takes the full name it ends.
    assert rows(figures, "text", "object") == [
        ("Quintonio LeGrier", "Quintonio LeGrier"),
        ("The officer", "officer"),
        ("a neighbor", "Bettie Jones"),
        ("LeGrier", "Quintonio LeGrier"),
    ]
    assert casualties(figures_of(body), ["a1"]) == [("a1", 2, 0, 0)]


def test_killed_along_with_a_named_person_counts_both():
    body = "Felimon Contreras, 29, a Latino man, was killed along with Heriberto Corpus, 20, a Latino man, in a double homicide."
    figures = figures_of(body).filter(pl.col("category").is_not_null())
    assert rows(figures, "text", "category", "object") == [
        ("a Latino man", "KILL", "Felimon Contreras"),
        ("Heriberto Corpus", "KILL", "Heriberto Corpus"),
    ]
    assert casualties(figures_of(body), ["a1"]) == [("a1", 2, 0, 0)]


def test_single_words_that_are_not_full_names_add_no_victim():
    # "Former Yates" is no one's name; "Swift" is Melvin Swift; "Homeowners" is a person noun.
    body = (
        "Former Yates basketball star fatally shot. Melvin Swift was shot and killed last night. "
        "Friends said Swift was shot and killed at the house. Homeowners died off or moved away."
    )
    figures = figures_of(body).filter(pl.col("category").is_not_null())
    assert rows(figures, "text", "category", "object") == [
        ("Melvin Swift", "KILL", "Melvin Swift"),
        ("Swift", "KILL", "Melvin Swift"),
        ("Homeowners", "KILL", None),
    ]
    assert casualties(figures_of(body), ["a1"]) == [("a1", 1, 0, 0)]


def test_a_definite_description_names_the_speaker_and_places_never_speak():
    body = ("The Ministry of Public Security said troops arrived on Monday. "
            "Two soldiers were killed near Kabul, according to the ministry. "
            "Five people were wounded in Herat, officials in Kabul said.")
    articles = pl.DataFrame({"article_id": ["a1"], "body": [body]})
    from transforms.entities import extract_mentions

    mentions = extract_mentions(articles)
    figures = extract_figures(articles, mentions)
    names = dict(mentions.select("entity_id", "canonical_name").unique().rows())
    said = {text: names.get(source) for text, source in figures.select("text", "source_entity_id").rows()}
    assert said["Two soldiers"] == "Ministry of Public Security"
    assert said["Five people"] is None


# --------------------------------------------------------------------------- lists of victims


@pytest.mark.parametrize(
    "body, expected",
    [
        # A plural verb after the list: every listed person (the dog is no person).
        (
            "A man is in custody after his girlfriend, her teenage daughter, the couple's toddler and their dog were found dead.",
            [("A man", "ARREST", 1.0), ("his girlfriend, her teenage daughter, the couple's toddler", "KILL", 3.0)],
        ),
        # Ages between the names.
        ("Stephens, 32, and Paul J. Rayer, 51, were shot and killed on Tuesday.", [("Stephens, 32, and Paul J. Rayer", "KILL", 2.0)]),
        # An active verb before the list; a possessor ("LeGrier's") is not listed.
        (
            "The night Rialmo fatally shot Quintonio LeGrier, 19, and LeGrier’s neighbor Bettie Jones, 55.",
            [("Quintonio LeGrier, 19, and LeGrier’s neighbor Bettie Jones", "KILL", 2.0)],
        ),
        ("A state trooper and a suspect were shot Wednesday.", [("A state trooper and a suspect", "SHOOT", 2.0)]),
        # No "and", no list.
        ("Police Searching For Man In Connection With Shooting Death of Woman, Carjackings.", [("Woman", "KILL", 1.0)]),
    ],
)
def test_people_listed_with_one_verb_are_one_claim_counting_them_all(body, expected):
    assert rows(figures_of(body).filter(pl.col("scope") == "incident"), "text", "category", "value") == expected


def test_a_list_of_victims_sets_the_killed_toll():
    body = "His girlfriend, her teenage daughter, the couple's toddler and their dog were found dead. The victim had been shot."
    assert casualties(figures_of(body), ["a1"]) == [("a1", 3, 0, 0)]


# --------------------------------------------------------------------------- pairs, "another", suicides


@pytest.mark.parametrize(
    "body, expected",
    [
        # "both" counts the two people named before it.
        ("Both men were pronounced dead at the scene.", [("Both men", "KILL", 2.0)]),
        ("Police found them in the car. Both were taken to the hospital in serious condition.", [("Both", "WOUND", 2.0)]),
        # Taken to a hospital, where they died: what happened there happened to them.
        ("Both teens were taken to a hospital, where they died the next day.", [("Both teens", "KILL", 2.0)]),
        # "both" after a preposition or a comma is no subject.
        ("A man was shot in both legs.", [("A man", "SHOOT", 1.0)]),
        # Two nouns under one determiner are two people; "deceased" says they died.
        ("Upon arrival, officers found a male and female deceased inside the residence.", [("a male and female", "KILL", 2.0)]),
        # A relative clause between commas describes the victim; "shot at least once" is shot.
        ("The victim, whose name has not been released, was shot at least once in the head.", [("The victim", "SHOOT", 1.0)]),
        # "relatives of the victim, ...": the verb after the comma is the relatives', not the victim's.
        ("Two people, possibly relatives of the victim, at the house were transported to a hospital.", []),
        # A counted group is listed with the people joined to it.
        (
            "A man opened fire at his home, killing his five young children as well as his wife, police said.",
            [("five young children as well as his wife", "KILL", 6.0)],
        ),
        ("Two men and a woman were shot outside a bar.", [("Two men and a woman", "SHOOT", 3.0)]),
        # "killed himself" counts the one who killed himself; "shot himself" in the leg is no casualty claim.
        ("The gunman faxed a letter shortly before killing himself.", [("himself", "KILL", 1.0)]),
        ("Police believe he likely shot himself in the leg.", []),
    ],
)
def test_pairs_groups_and_reflexive_victims(body, expected):
    assert rows(figures_of(body).filter(pl.col("scope") == "incident"), "text", "category", "value") == expected


def test_another_after_the_agent_or_a_bystander_adds_no_victim():
    # "another man" is other than the man who shot him: one killed.
    body = (
        "Man shot and killed during dispute about dog. A 30-year-old man is facing a murder charge after "
        "police say he shot and killed another man during an argument Friday morning."
    )
    killed = figures_of(body).filter(pl.col("category") == "KILL")
    assert rows(killed, "text") == [("Man",), ("man",)]
    assert casualties(figures_of(body), ["a1"]) == [("a1", 1, 0, 0)]
    # Other than the man just laid to rest: still the one dead of the headline.
    body = (
        "Three shot, one dead after memorial. Family gathered just after Sherrod White, 27, was laid to rest. "
        "Gunfire erupted at the repast. Minutes later another man was dead."
    )
    assert casualties(figures_of(body), ["a1"])[0][1] == 1
    # After a casualty, "another" is one more.
    body = "One man was declared dead at the scene, and another man died at the hospital."
    assert casualties(figures_of(body), ["a1"]) == [("a1", 2, 0, 0)]


def test_a_murder_suicide_counts_the_gunman_and_an_ordinal_victim_is_someone_else():
    body = (
        "A man opened fire at his home, killing his five young children as well as his wife, police said. "
        "The gunman faxed a letter to a TV station shortly before killing himself."
    )
    assert casualties(figures_of(body), ["a1"]) == [("a1", 7, 0, 0)]
    # In an article with a death, "a third teenager" hurt is not the dead victim before they died.
    body = "Both teens were taken to a hospital, where they died the next day. A third teenager received non-life-threatening injuries."
    assert casualties(figures_of(body), ["a1"]) == [("a1", 2, 1, 0)]
