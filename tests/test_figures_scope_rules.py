"""Session 5 precision rules, one class of error each: dates before the article's own, obituaries, wishes and
projections, time spans, figures of speech and possessors. Bodies paraphrase the classes, not the samples."""

from __future__ import annotations

import datetime as dt

import polars as pl

from transforms.figures import extract_figures
from transforms.schema import MENTIONS, empty


def claims(body: str, *, title: str | None = None, published: dt.date | None = None) -> list[tuple]:
    articles = pl.DataFrame(
        {"article_id": ["a1"], "title": [title], "body": [body], "published_date": [published]},
        schema={"article_id": pl.String, "title": pl.String, "body": pl.String, "published_date": pl.Date},
    )
    figures = extract_figures(articles, empty(MENTIONS))
    return figures.filter(pl.col("category").is_not_null()).select("text", "category", "value", "scope").rows()


# --------------------------------------------------------------------------- dates before the article's


def test_a_toll_dated_weeks_before_the_article_is_another_event():
    body = "A strong quake jolted the coast today, with no reports of injuries. On March 18, a quake also hit the south, killing two people."
    assert claims(body, published=dt.date(1987, 4, 7)) == [
        ("no", "WOUND", 0.0, "incident"),
        ("two people", "KILL", 2.0, "other_event"),
    ]


def test_the_same_date_a_few_days_before_the_article_is_its_incident():
    body = "On March 18, a quake hit the south, killing two people."
    assert claims(body, published=dt.date(1987, 3, 20)) == [("two people", "KILL", 2.0, "incident")]


def test_a_month_without_a_day_or_year_is_the_last_such_month_before_the_article():
    body = "The strikes began three months after the food riots in the Copperbelt in December, which left 15 people dead."
    assert claims(body, published=dt.date(1987, 3, 20)) == [("15 people", "KILL", 15.0, "other_event")]
    assert claims(body, published=dt.date(1987, 1, 4)) == [("15 people", "KILL", 15.0, "incident")]


def test_an_article_without_a_date_keeps_its_dated_tolls_as_they_were():
    body = "On March 18, a quake hit the south, killing two people."
    assert claims(body) == [("two people", "KILL", 2.0, "incident")]


def test_may_the_verb_is_no_month():
    # "in may 3 districts" would read as "in May 3", seven months before the article, if case were ignored
    body = "Twelve people were killed when the storm hit, and the rains in may 3 districts have not stopped."
    assert claims(body, published=dt.date(1987, 12, 1)) == [("Twelve people", "KILL", 12.0, "incident")]


# --------------------------------------------------------------------------- obituaries and figures of speech


def test_an_obituary_headline_makes_its_peaceful_deaths_no_casualties_even_when_the_article_recalls_a_war():
    body = (
        "Former prime minister Lord Smith has died on the eve of his 93rd birthday. He passed away at home, "
        "days after his wife Audrey died aged 91. He survived a bombing in the war."
    )
    assert claims(body, title="Ex-PM Lord Smith dies aged 92") == []
    assert claims(body, title="Ex-PM Lord Smith remembered") == [
        ("Lord Smith", "KILL", 1.0, "incident"),
        ("He", "KILL", 1.0, "incident"),
        ("Audrey", "KILL", 1.0, "incident"),
    ]


def test_nobody_died_in_an_article_that_tells_of_no_harm_is_a_figure_of_speech():
    assert claims("This is a radio show that is meant to be entertaining. Nobody died.") == []
    assert claims("The bus crashed on the bridge. Nobody died.") == [("Nobody", "KILL", 0.0, "incident")]


# --------------------------------------------------------------------------- wishes, projections and time spans


def test_a_projection_is_hypothetical():
    body = "The research says cutting the limit would also lead to 230 fewer serious injuries on the roads."
    assert [row[1:] for row in claims(body)] == [("WOUND", 230.0, "hypothetical")]


def test_a_call_for_people_to_be_killed_is_no_killing():
    body = "The campaign was waged over lyrics that allegedly call for three rivals to be killed."
    assert [row[1:] for row in claims(body)] == [("KILL", 3.0, "hypothetical")]


def test_deaths_over_the_last_month_are_a_total():
    body = "He said three port workers had died over the last month in accidents. A port worker died yesterday after being electrocuted."
    assert claims(body) == [
        ("three port workers", "KILL", 3.0, "aggregate"),
        ("A port worker", "KILL", 1.0, "incident"),
    ]


# --------------------------------------------------------------------------- possessors


def test_the_possessed_person_is_the_one_counted_not_the_possessor():
    body = "During the raid a police officer's driver was shot dead, they said."
    articles = pl.DataFrame({"article_id": ["a1"], "body": [body]})
    figures = extract_figures(articles, empty(MENTIONS)).filter(pl.col("category").is_not_null())
    assert figures.select("text", "category", "value", "object", "role").rows() == [
        ("a police officer's driver", "KILL", 1.0, "driver", None)
    ]


def test_a_dateline_and_a_sentence_that_says_yesterday_are_the_articles_own_news():
    body = "ZEEBRUGGE, March 7 - About 200 people are feared dead after a ferry capsized."
    assert [row[1:] for row in claims(body, published=dt.date(1987, 3, 6))] == [("KILL", 200.0, "incident")]
    body = "QUITO, March 26 - At least 14 people were injured in clashes during a strike against price rises announced on March 5."
    assert [row[1:] for row in claims(body, published=dt.date(1987, 3, 26))] == [("WOUND", 14.0, "incident")]
    body = "Sgt. John Weirick, 26, was arrested yesterday in California over his service in Leningrad in October, 1981."
    assert [row[1:] for row in claims(body, published=dt.date(1987, 4, 8))] == [("ARREST", 1.0, "incident")]


# --------------------------------------------------------------------------- wounded forms (GVDB even half)


def test_someone_police_discovered_with_a_gunshot_wound_was_shot():
    body = "Police responded on Saturday and discovered a 15-year-old with a gunshot wound to his left leg."
    assert [row[1:] for row in claims(body)] == [("SHOOT", 1.0, "incident")]


def test_a_cut_suffered_in_the_fight_is_a_wound():
    body = "One person, a 22-year-old man, suffered a cut to his head during the fight."
    assert [row[1:] for row in claims(body)] == [("WOUND", 1.0, "incident")]


def test_another_on_its_own_is_one_more_person():
    body = "An altercation took place, one man was killed, another was injured and people fled the area."
    articles = pl.DataFrame({"article_id": ["a1"], "body": [body]})
    figures = extract_figures(articles, empty(MENTIONS)).filter(pl.col("category").is_not_null())
    assert figures.select("text", "category", "value", "additive").rows() == [
        ("one man", "KILL", 1.0, False),
        # standalone: the closest earlier claim is of another outcome, so "another" is that claim's other person
        ("another", "WOUND", 1.0, False),
    ]


def test_deaths_between_two_years_are_a_total():
    body = "Between 1990 and 2004, 25 children have taken their own lives in prison and 2 have died in secure centres."
    assert [row[1:] for row in claims(body)] == [("KILL", 2.0, "aggregate")]
    body = "From 1973 to 1990, 3,000 people were killed for political reasons."
    assert [row[1:] for row in claims(body)] == [("KILL", 3000.0, "aggregate")]


# --------------------------------------------------------------------------- classes of the fourth sample (tuned on it)


def test_a_clock_time_is_no_count():
    assert claims("Police say Vassell was killed around 5 p.m. Wednesday in Brooklyn.") == [("Vassell", "KILL", 1.0, "incident")]


def test_dozens_is_no_name_and_none_of_a_group_is_no_zero():
    assert claims("Dozens have been killed in sectarian clashes.") == []
    assert claims("None of those injured was in critical condition, officials said.") == []


def test_a_toll_over_decades_is_a_total_and_one_years_ago_another_event():
    assert [row[1:] for row in claims("Eta killed more than 800 people over four decades of violence.")] == [("KILL", 800.0, "aggregate")]
    body = "It was the biggest loss since four federal agents died 15 years ago during a raid."
    assert [row[1:] for row in claims(body)] == [("KILL", 4.0, "other_event")]


def test_what_an_event_comes_days_after_is_the_earlier_event():
    body = "Sunday's explosion came just two days after two bombs killed six police officers in Giza."
    assert [row[1:] for row in claims(body)] == [("KILL", 6.0, "other_event")]
    body = "After a report on January 18 (one day after Cottrell was killed) investigators asked for records."
    assert [row[1:] for row in claims(body)] == [("KILL", 1.0, "incident")]


def test_enough_to_kill_is_what_could_happen():
    assert claims("Two milligrams of fentanyl is enough to kill an average adult.") == []


def test_a_death_after_before_is_not_the_wounded_ones():
    body = "The attack left one officer dead and three people wounded before police shot and killed the attacker."
    assert ("three people", "WOUND", 3.0, "incident") in claims(body)


def test_one_of_a_group_before_an_active_verb_is_its_agent():
    assert ("one", "WOUND", 1.0, "incident") not in claims("At this point one of his aides shot and wounded a policeman.")


# --------------------------------------------------------------------------- classes left by session 5 (samples 4-5)


def test_a_separate_event_a_day_earlier_in_a_roundup_is_another_event():
    body = (
        "Three people were killed when a landslide buried a village on Sunday. "
        "A day earlier, two men died when a wall collapsed in a neighbouring county. "
        "Two days before, police arrested four men over a bombing."
    )
    assert [row[1:] for row in claims(body)] == [
        ("KILL", 3.0, "incident"),
        ("KILL", 2.0, "other_event"),
        ("ARREST", 4.0, "other_event"),
    ]


def test_a_war_or_campaign_that_has_killed_is_a_total_without_a_cue_word():
    body = "The rebels' campaign for independence has killed more than 20,000 people, officials say."
    assert [row[1:] for row in claims(body)] == [("KILL", 20000.0, "aggregate")]
    body = "The army offensive, which has killed 1,600 people, went on."
    assert [row[1:] for row in claims(body)] == [("KILL", 1600.0, "aggregate")]
    # the toll of the day's fighting is the incident's
    assert [row[1:] for row in claims("Heavy fighting killed 12 people near the airport on Friday.")] == [("KILL", 12.0, "incident")]


def test_alive_or_dead_and_a_scheduled_execution_are_what_may_happen():
    # a person who may die is no casualty: the implicit singular is not published at all
    assert claims("His mother said she does not know if he is alive or dead.") == []
    assert claims("Hartley is scheduled to die by lethal injection in April.") == []
    assert claims("He is wanted dead or alive by the militia.") == []
    assert [row[1:] for row in claims("Two prisoners are due to die by lethal injection next week.")] == [("KILL", 2.0, "hypothetical")]


def test_due_to_and_set_to_without_a_form_of_be_are_no_schedule():
    # "due to" giving a cause, "set to" describing the weapon: the deaths happened
    assert [row[1:] for row in claims("Flooding due to heavy rain killed 12 people on Monday.")] == [("KILL", 12.0, "incident")]
    assert [row[1:] for row in claims("A landslide due to the storm has killed 40 villagers.")] == [("KILL", 40.0, "incident")]
    assert [row[1:] for row in claims("A bomb set to explode at noon killed three people.")] == [("KILL", 3.0, "incident")]
    # with one, a schedule: what may happen
    assert [row[1:] for row in claims("Two prisoners were set to die on Friday.")] == [("KILL", 2.0, "hypothetical")]

def test_a_stab_victim_the_article_says_died_is_killed():
    body = "A 24-year-old man was stabbed outside a bar early Sunday. Police are treating the death as a homicide."
    assert claims(body) == [("A 24-year-old man", "KILL", 1.0, "incident")]
    # without a death the stab victim is wounded
    body = "A 24-year-old man was stabbed outside a bar early Sunday. He is in stable condition."
    # (the restatement "He is in stable condition" is a claim of its own; the published view does not add it)
    assert claims(body) == [("A 24-year-old man", "WOUND", 1.0, "incident"), ("He", "WOUND", 1.0, "incident")]



def test_a_death_in_a_fire_is_no_natural_death():
    assert claims("Cassandra Karg, 10, died in a fire early Saturday.") == [("Cassandra Karg", "KILL", 1.0, "incident")]
    assert claims("Two firefighters were hurt as fires swept the hills. Cassandra Karg, 10, died.") == [
        ("Two firefighters", "WOUND", 2.0, "incident"), ("Cassandra Karg", "KILL", 1.0, "incident"),
    ]


# --------------------------------------------------------------------------- wounded forms (GVDB even half, session 6)


def test_where_a_named_victim_is_from_does_not_end_the_clause():
    assert claims("John Smith, 24, of Springfield, was shot in the leg.") == [("John Smith", "SHOOT", 1.0, "incident")]
    assert claims("Police arrested Jane Doe, of Springfield, and charged her.") == [("Jane Doe", "ARREST", 1.0, "incident")]


def test_another_with_injuries_is_one_more_wounded_but_a_place_with_injuries_is_no_one():
    assert [row[1:] for row in claims("The shooting left one man dead and another with life-threatening injuries.")] == [
        ("KILL", 1.0, "incident"), ("WOUND", 1.0, "incident"),
    ]
    assert claims("Smith is at St. Barnabas Hospital with non life-threatening injuries.") == []


# --------------------------------------------------------------------------- classes of the fifth sample (session 6, tuned on it)


def test_a_toll_told_with_its_full_date_and_year_is_another_event():
    body = "The powers were first used after a series of attacks left 130 people dead throughout Paris on November 13, 2015."
    assert [row[1:] for row in claims(body)] == [("KILL", 130.0, "other_event")]
    assert [row[1:] for row in claims("Police arrested two men on Tuesday after the raid.")] == [("ARREST", 2.0, "incident")]


def test_deaths_a_drug_is_linked_to_are_a_total():
    assert [row[1:] for row in claims("The lab has linked the drug to 15 deaths this winter.")] == [("KILL", 15.0, "aggregate")]
    assert [row[1:] for row in claims("The lab has linked the drug to 15 deaths.")] == [("KILL", 15.0, "aggregate")]


def test_a_hospital_stay_for_a_heart_condition_is_no_injury():
    assert claims("Cuomo had been hospitalized recently to treat a heart condition.") == []


def test_a_follow_up_whose_headline_tells_of_the_casualty_keeps_its_dated_incident():
    body = "On March 4, a man was injured in a crash on Kelley Lane."
    assert [row[1:] for row in claims(body, title="Man cited after crashing motorized barstool", published=dt.date(2009, 3, 30))] == [
        ("WOUND", 1.0, "incident")
    ]
    # a headline about something else, or a fresh casualty in the article, leaves the old one another event's
    assert [row[1:] for row in claims(body, title="Council debates road budget", published=dt.date(2009, 3, 30))] == [
        ("WOUND", 1.0, "other_event")
    ]
    fresh = "Two people were hurt in a crash on Sunday. " + body
    assert [row[1:] for row in claims(fresh, title="Two hurt in crash", published=dt.date(2009, 3, 30))] == [
        ("WOUND", 2.0, "incident"), ("WOUND", 1.0, "other_event")
    ]


# --------------------------------------------------------------------------- groups of people (sample-6 classes)


def test_a_counted_group_and_a_person_arrested_together_are_counted_one_each():
    body = "The spokesman said that three women and a man said to be a lawyer had been arrested over the bombs."
    assert claims(body) == [("three women and a man", "ARREST", 4.0, "incident")]


def test_two_counted_groups_of_people_killed_together_add_up_even_when_one_is_a_group_noun():
    body = "Three police officials and two armed village guards were killed in the clash."
    assert claims(body) == [("Three police officials and two armed village guards", "KILL", 5.0, "incident")]


def test_a_list_of_names_arrested_together_counts_each_name_initials_and_all():
    body = "The group said Amos Kaita, Jane Oduya, P.J. Mbeki and Ruth Anand were arrested last week."
    assert claims(body) == [("Amos Kaita, Jane Oduya, P.J. Mbeki and Ruth Anand", "ARREST", 4.0, "incident")]


def test_a_digest_list_before_its_bare_participle_counts_each_person():
    body = "One officer and a civilian killed in a clash between two army patrols."
    assert claims(body) == [("One officer and a civilian", "KILL", 2.0, "incident")]


def test_n_out_of_m_counts_n_and_not_the_whole():
    body = "Police said 9 out of 30 passengers on the ferry died."
    assert claims(body) == [("9", "KILL", 9.0, "incident")]


def test_a_plural_people_after_the_definite_article_is_no_count_of_one():
    # a group of unknown size: left out rather than counted as one person
    assert claims("Troops took their rifles from the detained Croats before letting them go.") == []
    assert claims("Police also arrested three men for helping the slain Tamil guerrillas.") == [("three men", "ARREST", 3.0, "incident")]


def test_a_plural_person_noun_ending_in_man_is_a_group_of_people():
    body = "Two gunmen and a soldier were killed in the shootout."
    assert claims(body) == [("Two gunmen and a soldier", "KILL", 3.0, "incident")]


def test_an_editing_note_names_no_victim():
    body = "(Adds deaths, quotes) A gas blast flattened the motel, killing three people."
    assert claims(body) == [("three people", "KILL", 3.0, "incident")]


def test_a_toll_after_comes_a_day_after_is_the_earlier_event_even_behind_a_comma():
    body = "The raid comes two days after guerrillas attacked posts in four provinces, killing at least nine people."
    assert claims(body) == [("at least nine people", "KILL", 9.0, "other_event")]
