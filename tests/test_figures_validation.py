"""What a casualty summary may use: scope, plausibility, people per role, bad numbers (through the published table)."""

from __future__ import annotations

import json
import math

import polars as pl
import pytest

from evaluation.casualties import summarise
from tests.conftest import query
from tests.test_figures import figures_of, rows


def summary_of(body: str) -> list[tuple]:
    figures = figures_of(body).with_row_index("figure_id")
    return summarise(figures, pl.DataFrame({"article_id": ["a1"]})).select("killed", "wounded", "arrested").rows()


def published(body: str) -> list[tuple]:
    """(text, category, value, scope, plausible, implausible_reason) of the COUNTs as the publish writes them."""
    import duckdb

    from warehouse.sql_files import read_sql

    figures = figures_of(body).with_row_index("figure_id").with_columns(pl.col("figure_id").cast(pl.String))
    with duckdb.connect() as con:
        con.execute(read_sql("staging/stg_figures.sql"))
        con.execute(read_sql("published/figures.sql"))
        con.register("extracted", figures)
        con.execute("insert into staging.figures by name select * from extracted")
        con.execute(next(s for s in read_sql("publish/publish.sql").split(";") if "insert into figures" in s))
        return con.sql(
            "select text, category, value, scope, plausible, implausible_reason from figures where kind = 'COUNT' order by start_char"
        ).fetchall()


def test_an_incident_toll_above_five_thousand_is_implausible_and_left_out_of_the_summary():
    body = "Officials said 45 million people were killed. Two men were wounded."
    assert published(body) == [
        ("45 million people", "KILL", 45_000_000.0, "incident", False,
         "over 5,000 killed or wounded in one incident that is no disaster: a total over many events, or not people"),
        ("Two men", "WOUND", 2.0, "incident", True, None),
    ]
    assert summary_of(body) == [(0, 2, 0)]
    assert published("A gunman opened fire at the market. Officials said 6,000 people were killed.")[0][4:] == (
        False, "over 5,000 killed or wounded in one incident that is no disaster: a total over many events, or not people")


def test_a_disaster_named_in_the_claims_sentence_or_the_two_before_it_frames_the_claim():
    body = (
        "Sri Lanka's banks face hard times after the tsunami. Officials warned on Monday. "
        "The waves killed more than 30,000 people. Loans were lost. Prices rose. Two men were arrested."
    )
    assert rows(figures_of(body), "text", "category", "event_kind") == [
        ("more than 30,000 people", "KILL", "disaster"), ("Two men", "ARREST", None)
    ]


def test_a_disasters_toll_up_to_a_million_is_plausible_and_a_million_or_more_is_not():
    tsunami = "The Asian tsunami has left at least 150,000 people dead. A further 20,000 were injured when the quake struck."
    assert published(tsunami) == [
        ("at least 150,000 people", "KILL", 150_000.0, "incident", True, None),
        ("20,000", "WOUND", 20_000.0, "incident", True, None),
    ]
    assert summary_of(tsunami) == [(150_000, 20_000, 0)]
    assert published("The earthquake killed 2 million people.") == [
        ("2 million people", "KILL", 2_000_000.0, "incident", False,
         "a million or more killed or wounded in one disaster: a total over many events, or not people")
    ]


def test_a_reversed_range_is_implausible():
    assert published("Reports said 5-3 were killed in the attack.") == [
        ("5-3", "KILL", 5.0, "incident", False, "range ends below its start")
    ]
    assert summary_of("Reports said 5-3 were killed in the attack.") == [(0, 0, 0)]


@pytest.mark.parametrize(
    "body",
    [
        "Police said " + "9" * 400 + " people were killed.",
        "Officials said 1e308 people were killed.",
        "Police said -5 people were killed.",
        "Between 10 and " + "9" * 400 + " people were injured.",
        "Officials said 1e-308 were killed and NaN were wounded.",
    ],
)
def test_numbers_no_count_can_hold_are_skipped_without_a_crash(body):
    figures = figures_of(body)
    assert figures.filter(pl.col("kind") == "COUNT", pl.col("category").is_not_null()).is_empty()
    values = figures.get_column("value").to_list() + figures.get_column("value_max").drop_nulls().to_list()
    assert all(math.isfinite(v) and v >= 0 for v in values)
    assert summary_of(body) == [(0, 0, 0)]


def test_numbers_glued_to_units_are_measures_not_people():
    figures = figures_of("At least 12km were wounded. She threw 13.86m and 24m viewers watched.")
    assert figures.filter(pl.col("category").is_not_null()).is_empty()
    assert rows(figures.filter(pl.col("kind") == "QUANTITY"), "value", "object") == [(12.0, "kilometres")]


def test_statistics_and_other_events_keep_their_category_in_their_own_scope():
    body = (
        "The ruling is on the 1985 crash which killed 520 people. Nine officers have been fatally shot this year. "
        "He threatened to kill two guards. Three people were killed on Friday."
    )
    assert published(body) == [
        ("520 people", "KILL", 520.0, "other_event", True, None),
        ("Nine officers", "KILL", 9.0, "aggregate", True, None),
        ("two guards", "KILL", 2.0, "hypothetical", True, None),
        ("Three people", "KILL", 3.0, "incident", True, None),
    ]
    assert summary_of(body) == [(3, 0, 0)]


def test_a_perpetrator_who_dies_is_one_more_killed():
    body = "One person was shot at the hospital on Tuesday. Davidson has died. The suspect was found dead."
    assert rows(figures_of(body).filter(pl.col("category") == "KILL"), "text", "role") == [("Davidson", None), ("The suspect", "perpetrator")]
    assert summary_of(body) == [(2, 0, 0)]


def test_a_restatement_of_the_same_group_is_not_added():
    assert summary_of("Two men were shot on Friday. Both men died at the hospital.") == [(2, 0, 0)]


def test_the_summary_lists_the_figures_it_used():
    # The larger restatement of the toll is the one used; the smaller is kept in figures but not used.
    figures = figures_of("Three people were killed and two others were wounded. Police later said 4 people died.").with_row_index("figure_id")
    summary = summarise(figures, pl.DataFrame({"article_id": ["a1"]}))
    used = figures.filter(pl.col("figure_id").cast(pl.String).is_in(summary.get_column("figure_ids").explode().implode()))
    assert rows(summary, "killed", "wounded") == [(4, 2)]
    assert rows(used, "text", "category") == [("two others", "WOUND"), ("4 people", "KILL")]


def test_business_sport_and_things_are_not_casualties():
    bodies = [
        "Pakistan's decision will hurt Kenyan tea exports. Wall Street stocks were hurt by selling.",
        "The FDA said it had detained 15 shipments of condoms.",
        "Vickery was injured as Gloucester beat Bath in the Six Nations rugby match; the striker was booked.",
        "The survey showed that 62 pct of companies booked orders.",
        "There were no specific details on the injuries.",
    ]
    for body in bodies:
        assert figures_of(body).filter(pl.col("category").is_not_null()).is_empty(), body


@pytest.mark.slow
def test_implausible_figures_are_published_flagged_and_listed_by_validation(one_shot_run, tmp_path):
    feed = tmp_path / "feed"
    feed.mkdir()
    (feed / "feed.jsonl").write_text(
        json.dumps({"id": "p1", "text": "Officials said 45 million people were killed. Two men were wounded."}) + "\n"
        + json.dumps({"id": "p2", "text": "Police said " + "9" * 400 + " people were killed and 1e308 were hurt."}) + "\n",
        encoding="utf-8",
    )
    summary = one_shot_run(feed)
    assert summary.status == "published", summary.message
    assert query(one_shot_run.db_path, "select text, plausible, implausible_reason is not null from figures where category is not null order by text") == [
        ("45 million people", False, True),
        ("Two men", True, False),
    ]
    assert query(one_shot_run.db_path, "select killed, wounded from article_casualties") == [(0, 2)]
    assert query(one_shot_run.db_path, "select count(*) from figures where not isfinite(value) or value < 0") == [(0,)]
    # The numbers no figure can hold are skipped visibly: a note on the published article, with file, line and reason.
    assert query(one_shot_run.db_path, "select locator, reason from quarantine where article_id is not null") == [
        ("line 2", "2 numbers written for machines (an exponent, or 16 or more digits) are not read as figures: 99999999… (400 digits), 1e308")
    ]
    failed = query(
        one_shot_run.db_path,
        "select column_name, critical, unexpected_count from dq_results where suite = 'figures' and not success order by column_name",
    )
    # One expectation lists the implausible figures: each failing row is the figure's id and its reason.
    assert failed == [("implausible_reason", False, 1)]


def location(body: str, *names: str) -> pl.DataFrame:
    """Mentions the entity tagger gives: each name tagged LOCATION where it stands in the body."""
    from transforms.schema import MENTIONS

    found = [(name, body.index(name)) for name in names]
    return pl.DataFrame(
        {"article_id": ["a1"] * len(found), "label": ["LOCATION"] * len(found), "text": [n for n, _ in found],
         "start_char": [s for _, s in found], "end_char": [s + len(n) for n, s in found],
         "canonical_name": [n for n, _ in found], "entity_id": [f"loc-{n}" for n, _ in found]},
        schema=MENTIONS,
    )


def test_a_country_or_region_the_tagger_calls_a_place_is_no_victim_and_a_city_may_be_a_surname():
    cases = [
        ("U.S. corn exports have injured Ontario corn growers.", "Ontario", [("Ontario", "WOUND")]),
        ("More than 100 men and women in the U.S. and Germany have been treated for six months.", "Germany", [("Germany", "WOUND")]),
        ("Kasongo was arrested.", "Kasongo", [("Kasongo", "ARREST")]),
    ]
    for body, name, untagged in cases:
        assert rows(figures_of(body).filter(pl.col("category").is_not_null()), "text", "category") == untagged
    tagged = [rows(figures_of(body, location(body, name)).filter(pl.col("category").is_not_null()), "text", "category") for body, name, _ in cases]
    # Ontario and Germany are a region and a country; Kasongo is only a city's name, and a surname.
    assert tagged == [[], [], [("Kasongo", "ARREST")]]


def test_an_injury_told_as_an_illness_is_no_casualty_and_a_death_from_it_stays_a_death():
    body = "Mike Mills was taken to hospital suffering from severe flu-like symptoms. Two of those victims died of the infection."
    assert rows(figures_of(body).filter(pl.col("category").is_not_null()), "text", "category") == [("Two", "KILL")]


def test_fractions_and_body_parts_count_no_people():
    body = "The act would cut by up to one third the benefits paid to injured workers. Jama lost her sight in one eye and was injured."
    assert figures_of(body).filter(pl.col("category").is_not_null()).is_empty()


def test_killed_wounded_or_captured_counts_casualties_not_the_killed():
    assert figures_of("It said at least 2,000 Iraqi troops had been killed, wounded or captured.").filter(pl.col("category").is_not_null()).is_empty()


def test_an_injured_player_in_a_tennis_report_is_no_casualty_in_any_scope():
    body = "The French Open champion won the doubles. He beat the injured Mark Philippoussis in the singles."
    assert figures_of(body).filter(pl.col("category").is_not_null()).is_empty()
    # A statistic of a sports article ("in 2004") is no casualty either.
    body = "The 2003 French Open champion has slipped to 64 in the world after a year of illness and injuries in 2004. He won the doubles."
    assert figures_of(body).filter(pl.col("category").is_not_null()).is_empty()


def test_more_than_is_a_qualifier_not_more_people():
    body = "The tsunami left 20,000 people dead. Officials said more than 30,000 people were killed."
    assert rows(figures_of(body), "text", "additive") == [("20,000 people", False), ("more than 30,000 people", False)]
    assert summary_of(body) == [(30_000, 0, 0)]


def events_of(body: str, mentions: pl.DataFrame | None = None) -> list[tuple]:
    return rows(figures_of(body, mentions).filter(pl.col("category").is_not_null()), "text", "category", "scope")


def test_an_earlier_event_told_without_its_year_is_another_event():
    body = "It affected almost the same area as last Wednesday's strong earthquake which killed two people."
    assert rows(figures_of(body), "text", "category", "scope") == [("two people", "KILL", "other_event")]
    body = "Police said a previous attack on the village had left three people wounded. A man was shot on Sunday."
    assert rows(figures_of(body).filter(pl.col("scope").is_not_null()), "text", "category", "scope") == [
        ("three people", "WOUND", "other_event"), ("A man", "SHOOT", "incident"),
    ]
    # A follow-up tells of its own incident "last January": a bare past month dates nothing.
    assert events_of("Two men were killed last January, police said.") == [("Two men", "KILL", "incident")]


def test_a_death_the_article_puts_down_to_natural_causes_is_no_casualty():
    body = "US actor Ossie Davis has been found dead at the age of 87. Police said he appeared to have died of natural causes."
    assert events_of(body) == []
    # Without a stated natural cause, a man found dead where police tell of harm stays a death.
    assert events_of("A man has been found dead at his home. Police said he had been shot.") == [
        ("A man", "KILL", "incident"), ("he", "SHOOT", "incident"),
    ]


def test_what_happens_in_a_film_or_a_novel_happens_to_no_one():
    body = "Based on the books by Daniel Handler, the film follows three children who are orphaned when their parents die in a fire."
    assert events_of(body) == []
    body = "Den died after being confronted by Zoe in the Queen Vic. The episode gave the soap its highest audience for a year."
    assert events_of(body) == []
    assert events_of("Three children died in a fire on Friday. Their school held a service.") == [("Three children", "KILL", "incident")]


def test_a_capitalised_word_that_names_no_one_is_no_victim():
    # A conjunction or an event word heading a sentence.
    assert events_of("Despite being arrested and bailed, Buhecha was caught a second time.") == []
    assert events_of("Deaths in custody have reached shocking levels, MPs said.") == []


def organisation(body: str, name: str) -> pl.DataFrame:
    return location(body, name).with_columns(pl.lit("ORG").alias("label"))


def test_an_organisation_the_tagger_names_is_no_victim_but_a_one_word_name_may_be_a_surname():
    body = "A manager with steel producer Krupp Stahl AG was arrested yesterday for fraud."
    assert events_of(body) == [("Krupp Stahl", "ARREST", "incident")]
    assert events_of(body, organisation(body, "Krupp Stahl")) == []
    # The tagger calls some surnames ORG; a place and a person noun is a person ("Hummelstown Juvenile dead").
    assert events_of("LeGrier was killed.", organisation("LeGrier was killed.", "LeGrier")) == [("LeGrier", "KILL", "incident")]
    body = "Hummelstown Juvenile dead from gunshot wound"
    assert events_of(body, organisation(body, "Hummelstown Juvenile")) == [("Hummelstown Juvenile", "KILL", "incident")]


def test_a_past_month_dates_another_event_when_the_text_ties_it_to_one():
    body = "Fifteen people were killed in the Copperbelt during food riots last December."
    assert rows(figures_of(body), "text", "category", "scope") == [("Fifteen people", "KILL", "other_event")]
    body = "The temple has been closed since last June when three guards were killed."
    assert rows(figures_of(body), "text", "category", "scope") == [("three guards", "KILL", "other_event")]


def test_a_regimes_toll_and_a_rate_are_aggregates():
    body = "More than 3,000 people were killed for political reasons under Gen Pinochet's regime, an official report says."
    assert rows(figures_of(body).filter(pl.col("scope").is_not_null()), "text", "category", "scope") == [
        ("More than 3,000 people", "KILL", "aggregate"),
    ]
    body = "Police said every two and a half weeks, two men are shot dead in the district."
    assert rows(figures_of(body).filter(pl.col("scope").is_not_null()), "text", "category", "scope") == [("two men", "KILL", "aggregate")]


def test_a_name_made_an_adjective_names_no_one():
    assert events_of("The accord virtually killed the Nakasone-sponsored plan.") == []


def test_a_part_an_actor_will_play_is_fiction():
    body = "Hanks will play Robert Langdon, who is trying to solve the murder of a member of an ancient society."
    assert events_of(body) == []
