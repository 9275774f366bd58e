"""Toponym resolution: LOCATION mentions -> GeoNames places, with the article as context.

Everything is a join of candidate tables. A candidate is (article, name key, place); its score
is a prior (population, feature type, capital, main name or alias) plus evidence from the
article:

- coherence: other names of the article resolve into the same country / first-level division;
- hierarchy: "Tapalpa, Jalisco" and "Paris, Texas" pin both names;
- cue words: "the states of Jalisco, Colima and Veracruz" -> divisions, "the town of" -> a town;
- one sense per name per article: all mentions of a name share one place;
- misspellings ("Talpalpa") resolve only to places inside a division the article is about.

Besides the entity extractor's LOCATION mentions (usage 'literal'), new LOCATION mentions are
added for places named inside organisation names (usage 'embedded': "Jalisco" in "Jalisco New
Generation Cartel"), for demonyms ('demonym': "Mexican" -> Mexico) and for unambiguous
country/division/large-city names the extractor missed ('literal').
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import polars as pl

from transforms.cache import cached_frames, content_digest
from transforms.ids import entity_id
from transforms.places.gazetteer import GAZETTEER_SOURCES, GAZETTEER_VERSION, Gazetteer, gazetteer, name_key
from transforms.places.outlets import OUTLET_PRIORS, article_votes, combine_homes, learn_homes, outlet_domain
from transforms.places.spotting import spot_names
from transforms.schema import MENTIONS, OUTLET_VOTES, PLACED_MENTIONS, PLACES, conform

# Score weights (log10 population units), calibrated on the TR-News and GeoWebNews dev sets.
TYPE_BONUS = {"continent": 2.0, "country": 2.0, "admin1": -1.0, "admin2": -2.5, "city": 0.0}
ALIAS_PENALTY = 1.0  # a city reached through one of its alternate names only
SHADOWED_ALIAS_PENALTY = 2.0  # ... which is the own name of another place
CITY_MIN_POPULATION = 500
# A place this small needs some evidence besides its name (see resolve_places_and_outlets).
WEAK_PLACE_POPULATION = 50_000
ACRONYM_MIN_CITY_POPULATION = 1_000_000
CAPITAL_BONUS = 1.0
COUNTRY_SUPPORT = 1.5  # another name of the article lies in the candidate's country
ADMIN1_SUPPORT = 1.5  # ... in the candidate's first-level division
HIERARCHY_BONUS = 5.0  # "X, Y" with X inside Y
CUE_BONUS = 2.0
# The outlet's home (transforms/places/outlets.py), times its confidence: a place in the outlet's
# first-level division / country. Calibrated on the development half of lgl-dev's outlets.
OUTLET_ADMIN1_BONUS = 4.0
OUTLET_COUNTRY_BONUS = 2.0
FUZZY_MIN_SIMILARITY = 0.8
# A name the extractor did not tag is added only when it is this clear.
EXTRA_MIN_CITY_POPULATION = 100_000
EMBEDDED_MIN_CITY_POPULATION = 50_000

# A name the tagger called a person or an organisation is a place when it names a county-level
# division ("Laurel County", "Rapides Parish") or when it is local (see ``resolve_places``) and
# the text says place: "in Mount Gilead", "near Chapin", "Heath-based".
LOCAL_DIVISION_NAME = r"\s(?:[Cc]ounty|[Pp]arish|[Tt]ownship|[Bb]orough)$"
PLACE_CUE_BEFORE = r"\b(?:in|near|at|from|outside|around|into|to|of|downtown|northern|southern|eastern|western|rural)\s+$"
PLACE_CUE_AFTER = r"^(?:-based|,\s+(?:\p{Lu}[a-z]*\.|[A-Z]{2}\b))"
# A dateline: after the all-caps name that opens a story, maybe a state, then an agency or a dash
DATELINE_AFTER = r"^(?:,\s+\p{Lu}[\p{L}.]*(?:\s\p{Lu}[\p{L}.]*)?)?\s*(?:\(\p{Lu}[\p{L}]*\)|(?:—|–|--|-|\x{97})\s)"
# A local name's place is in the outlet's home division with at least this confidence, or in a
# division another name of the article resolves into.
LOCAL_MIN_HOME_CONFIDENCE = 0.3
ADMIN_CUE_BEFORE = r"(?i)\b(?:states?|provinces?|regions?|counties|prefectures?)\b(?:\s+(?:of|such as|including|like))?[^.;:()\n]{0,30}$"
ADMIN_CUE_AFTER = r"^\s+(?:[Ss]tate|[Pp]rovince|[Rr]egion|[Pp]refecture)\b"
COUNTY_CUE_AFTER = r"^\s+(?:County|Parish|District)\b"
CITY_CUE_BEFORE = r"(?i)\b(?:city|town|village|municipality|capital|suburb)\s+of\s+$"
# Every ADMIN_CUE_BEFORE match contains one of these (same case folding): a fast first pass,
# so that the full pattern (Unicode word boundaries, a slower regex engine) runs on few texts.
ADMIN_CUE_WORDS = r"(?i)(?:state|province|region|counties|prefecture)"


_TARGET_SCHEMA = {
    "article_id": pl.String,
    "row": pl.Int64,  # index of the input mention, null for mentions added here
    "start_char": pl.Int64,
    "end_char": pl.Int64,
    "text": pl.String,
    "key": pl.String,
    "usage": pl.String,
    "origin": pl.String,  # input | spot
    "demonym": pl.Boolean,
    "tagged": pl.String,  # a spot covering a PERSON or ORG mention that is no longer than it: that label
    "place_cue": pl.Boolean,  # spots: 'in', 'near', '-based'... around the name
    "echo": pl.Boolean,  # spots: the tagger called the same name a place elsewhere in the article
    "dateline": pl.Boolean,  # spots: an all-caps name opening a story ("NEWARK — ", "MOUNT GILEAD (AP) -- ")
    "narrowed": pl.Boolean,  # an input span narrowed to the place name inside it (see _narrowed)
    "widened": pl.Boolean,  # an input span widened to the longer name around it (see _widened)
    "absorbed": pl.Boolean,  # an input span widened to a name another input span also widened to (see _widened)
}


def _overlaps(spots: pl.DataFrame, mentions: pl.DataFrame) -> pl.DataFrame:
    """For each spot (``sid``: its row in ``spots``), the labels of the input mentions it overlaps
    and whether one contains it."""
    pairs = (
        spots.lazy()
        .select("article_id", "start_char", "end_char")
        .with_row_index("sid")
        .join(
            mentions.lazy().select("article_id", "label", pl.col("start_char").alias("m_start"), pl.col("end_char").alias("m_end")),
            on="article_id",
        )
        .filter((pl.col("start_char") < pl.col("m_end")) & (pl.col("m_start") < pl.col("end_char")))
    )
    return pairs.group_by("sid").agg(
        pl.col("label").alias("labels"),
        (pl.col("label") == "MISC").all().alias("only_misc"),
        (
            # inside an organisation or a MISC name ("Hong Kong" in "Hong Kong Open"): embedded, never a pin
            pl.col("label").is_in(["ORG", "MISC"])
            & (pl.col("m_start") <= pl.col("start_char"))
            & (pl.col("end_char") <= pl.col("m_end"))
            & ((pl.col("end_char") - pl.col("start_char")) < (pl.col("m_end") - pl.col("m_start")))
        )
        .any()
        .alias("inside_org"),
        # the tagger saw a person or organisation exactly here (or inside the name: "Laurel" in "Laurel County")
        pl.when(
            pl.col("label").is_in(["PERSON", "ORG"])
            & (pl.col("start_char") <= pl.col("m_start"))
            & (pl.col("m_end") <= pl.col("end_char"))
        )
        .then(pl.col("label"))
        .max()
        .alias("tagged"),
        (pl.col("label").is_in(["PERSON", "ORG"]) & ~((pl.col("start_char") <= pl.col("m_start")) & (pl.col("m_end") <= pl.col("end_char"))))
        .any()
        .alias("partial_name"),
    ).collect()


# A sports team named for its town ("KANSAS CITY 5 SAN DIEGO 3", "Chelsea beat Arsenal"): the
# tagger's organisation followed by a score on its line, in a fixture, or in a sentence about a game.
# A score after a name opening its line or a clause of a list ("Derbyshire 320 and 150-3",
# "Hove : Sussex 363 , Lancashire 197-8"), or a line of two names with
# their scores ("KANSAS CITY 5 SAN DIEGO 3"); "Region 1 Board" or "S.C. 6 near" mid-line is no score.
SCORE_AFTER = r"^[ \t]+\d{1,3}(?:[ \t]|[-,;.]?$|[ \t]*-[ \t]*\d|,[ \t]*\p{Lu})"
RESULT_LINE = r"^[ \t]*\p{Lu}[^\d\n]*?[ \t]\d{1,3}[ \t]+\p{Lu}[^\d\n]*?[ \t]\d{1,3}[ \t]*$"
# a fixture: "Birmingham v Barnsley", "Texas vs. Seattle"
FIXTURE_AFTER = r"^[ \t]+(?:v|vs)\.?[ \t]"
FIXTURE_BEFORE = r"[ \t](?:v|vs)\.?[ \t]+$"
SPORTS_CUE = (
    r"\b(?:beat|beats|beaten|defeat(?:s|ed)?|drew|draw|drawn|victory|victories|winners?|match|matches|game|games"
    r"|league|season|coach|captain|skipper|striker|batsman|goalkeeper|midfielder|scored|innings|wickets?"
    r"|pitcher|homered|defender|quarterback|touchdowns?|playoffs?|fixtures?|standings|half-?time|squad"
    r"|rugby|soccer|football|baseball|cricket|hockey|basketball)\b"
)
# how far around the name, within its sentence, a sports word still speaks of it
SPORTS_CUE_WINDOW = 60


def _team_spots(added: pl.DataFrame, articles: pl.DataFrame) -> pl.DataFrame:
    """(article_id, start_char, end_char) of the spots the article uses as a sports team: names the
    tagger called an organisation with a score after them on their line or in a fixture (and then
    every such organisation of the same name in the article), or with a sports word in their
    sentence. Such a name is the club (issue #14), no place of its own (issue #12); a place
    inside a longer organisation's name stays an embedded mention. A county-level name ("Laurel
    County") and a dateline stay places."""
    orgs = (
        added.filter(
            (pl.col("tagged") == "ORG")
            & (pl.col("usage") == "literal")
            & ~pl.col("dateline").fill_null(False)
            & ~pl.col("text").str.contains(LOCAL_DIVISION_NAME)
        )
        .select("article_id", "key", "start_char", "end_char")
        .join(articles.select("article_id", "body"), on="article_id")
        .with_columns(
            pl.col("body").str.slice(pl.col("end_char"), 24).str.extract(r"^([^\n]*)").alias("after"),
            pl.col("body")
            .str.slice(pl.max_horizontal(pl.col("start_char") - SPORTS_CUE_WINDOW, pl.lit(0)), pl.col("start_char").clip(0, SPORTS_CUE_WINDOW))
            .alias("before"),
        )
        .with_columns(
            # the name opens its line (the window reaching the body's start counts as a line start)
            pl.when(pl.col("start_char") < SPORTS_CUE_WINDOW)
            .then(pl.concat_str(pl.lit("\n"), pl.col("before")))
            .otherwise(pl.col("before"))
            .str.contains(r"\n[ \t]*$")
            .alias("line_start"),
            pl.concat_str(
                pl.col("before").str.extract(r"([^\n]*)$"),
                pl.col("body").str.slice(pl.col("start_char"), pl.col("end_char") - pl.col("start_char")),
                pl.col("body").str.slice(pl.col("end_char"), SPORTS_CUE_WINDOW).str.extract(r"^([^\n]*)"),
            ).alias("line"),
        )
        .with_columns(
            (
                ((pl.col("line_start") | pl.col("before").str.contains(r"[,:;][ \t]*$")) & pl.col("after").str.contains(SCORE_AFTER))
                | pl.col("line").str.contains(RESULT_LINE)
                | pl.col("after").str.contains(FIXTURE_AFTER)
                | pl.col("before").str.contains(FIXTURE_BEFORE)
            ).alias("strong"),
            (
                pl.col("before").str.extract(r"([^\n.!?]*)$").str.to_lowercase().str.contains(SPORTS_CUE)
                | pl.col("body").str.slice(pl.col("end_char"), SPORTS_CUE_WINDOW).str.extract(r"^([^\n.!?]*)").str.to_lowercase().str.contains(SPORTS_CUE)
            ).alias("cue"),
        )
    )
    strong_keys = orgs.filter("strong").select("article_id", "key").unique()
    return pl.concat(
        [
            orgs.filter("cue").select("article_id", "start_char", "end_char"),
            orgs.join(strong_keys, on=["article_id", "key"]).select("article_id", "start_char", "end_char"),
        ]
    ).unique()


def _targets(articles: pl.DataFrame, mentions: pl.DataFrame, gz: Gazetteer) -> pl.DataFrame:
    """The spans to resolve: input LOCATION mentions plus spotted embedded/demonym/extra names."""
    locations = (
        mentions.with_row_index("row")
        .filter(pl.col("label") == "LOCATION")
        .select(
            "article_id",
            pl.col("row").cast(pl.Int64),
            "start_char",
            "end_char",
            "text",
            name_key(pl.col("text").str.replace(r"['’]s?$", "")).alias("key"),
            pl.lit("literal").alias("usage"),
            pl.lit("input").alias("origin"),
            pl.lit(None, pl.String).alias("tagged"),
            pl.lit(None, pl.Boolean).alias("place_cue"),
            pl.lit(False).alias("echo"),
            pl.lit(False).alias("dateline"),
            pl.lit(False).alias("narrowed"),
            pl.lit(False).alias("widened"),
            pl.lit(False).alias("absorbed"),
        )
    )
    demonym_keys = gz.demonyms.select("key")
    # "Canadian" is the demonym, not Canadian, Texas
    locations = locations.with_columns(pl.col("key").is_in(demonym_keys["key"].implode()).alias("demonym")).with_columns(pl.when(pl.col("demonym")).then(pl.lit("demonym")).otherwise("usage").alias("usage"))

    spots = spot_names(articles, gz.spot_keys)
    if spots.is_empty():
        return locations
    locations = _narrowed(_widened(locations, spots), spots, gz)
    spots = spots.with_row_index("sid").join(_overlaps(spots, mentions), on="sid", how="left").drop("sid").with_columns(
        pl.col("key").is_in(demonym_keys["key"].implode()).alias("demonym"),
        pl.col("inside_org").fill_null(False),
    ).with_columns(
        # The tagger calls demonyms MISC ("Mexican"): a demonym covered only by MISC is still free.
        (pl.col("labels").is_null() | (pl.col("only_misc").fill_null(False) & pl.col("demonym"))).alias("free"),
        (
            pl.col("tagged").is_not_null()
            & ~pl.col("partial_name").fill_null(False)
            & ~pl.col("inside_org").fill_null(False)
            # a demonym the tagger calls an organisation by itself ("Cypriot officials") is a demonym
            & (~pl.col("demonym") | (pl.col("tagged") == "ORG"))
        ).alias("retag"),
    ).with_columns(pl.when(pl.col("retag")).then(pl.col("tagged")).otherwise(None).alias("tagged"))
    # Demonyms are spotted as single capitalised words (never sentence-initial ambiguity: they are lexicon words).
    added = spots.filter(pl.col("free") | pl.col("inside_org") | pl.col("retag")).select(
        "article_id",
        pl.lit(None, pl.Int64).alias("row"),
        "start_char",
        "end_char",
        "text",
        "key",
        pl.when(pl.col("inside_org"))
        .then(pl.lit("embedded"))
        .when(pl.col("demonym"))
        .then(pl.lit("demonym"))
        .otherwise(pl.lit("literal"))
        .alias("usage"),
        pl.lit("spot").alias("origin"),
        "demonym",
        "sentence_initial",
        "n_words",
        "tagged",
        "inside_org",
    )
    # the name the tagger called a place elsewhere in the article: one sense per name, unless the
    # article also uses it as a person's surname ("Michael Jackson ... Mr Jackson")
    tagged_keys = (
        locations.filter(~pl.col("demonym"))
        .select("article_id", "key", pl.lit(True).alias("echo"))
        .unique()
        .join(_surname_keys(mentions), on=["article_id", "key"], how="anti")
    )
    # a capitalised word that also occurs in lower case in the same body is a common word (an
    # acronym is not: "US" and "us")
    added = (
        added.join(articles.select("article_id", "body"), on="article_id")
        .join(tagged_keys, on=["article_id", "key"], how="left")
        .with_columns(
            pl.col("echo").fill_null(False),
            (
                pl.col("body").str.contains(pl.concat_str(pl.lit(" "), pl.col("text").str.to_lowercase(), pl.lit(" ")), literal=True)
                & ~pl.col("text").str.contains(r"^\p{Lu}{2,4}$")
            ).alias("common_word"),
        )
        .with_columns(
            (
                pl.col("sentence_initial")
                & pl.col("text").str.contains(r"^[^\p{Ll}]+$")
                & pl.col("body").str.slice(pl.col("end_char"), 24).str.contains(DATELINE_AFTER)
            ).alias("dateline")
        )
        .filter(~pl.col("common_word") | (pl.col("n_words") > 1))
        # a generic feature word is no place by itself ("River"), nor is the name after one
        # ("Lake Cumberland" is not Cumberland): the same rule as for narrowing
        .filter(
            ~pl.col("text").str.contains(GENERIC_FEATURE_WORD)
            & ~pl.col("body")
            .str.slice(pl.max_horizontal(pl.col("start_char") - 10, pl.lit(0)), pl.col("start_char").clip(0, 10))
            .str.contains(GENERIC_HEAD_BEFORE)
        )
        # a capitalised word opening a sentence may be any word, unless the tagger or the
        # gazetteer says name: inside an organisation's name, a dateline, tagged a place elsewhere
        .filter(
            ~(pl.col("sentence_initial") & (pl.col("n_words") == 1))
            | pl.col("demonym") | pl.col("dateline") | pl.col("inside_org") | pl.col("echo")
        )
        .with_columns(
            (
                pl.col("body").str.slice(pl.max_horizontal(pl.col("start_char") - 12, pl.lit(0)), pl.col("start_char").clip(0, 12)).str.contains(PLACE_CUE_BEFORE)
                | pl.col("body").str.slice(pl.col("end_char"), 8).str.contains(PLACE_CUE_AFTER)
                | pl.col("dateline")
            ).alias("place_cue"),
            pl.lit(False).alias("narrowed"),
            pl.lit(False).alias("widened"),
            pl.lit(False).alias("absorbed"),
        )
        .select(list(_TARGET_SCHEMA))
    )
    # a name the tagger's (widened) place span already covers is that mention, not a second one
    spans = locations.select("article_id", pl.col("start_char").alias("l_start"), pl.col("end_char").alias("l_end"))
    doubled = (
        added.select("article_id", "start_char", "end_char")
        .join(spans, on="article_id")
        .filter((pl.col("start_char") < pl.col("l_end")) & (pl.col("l_start") < pl.col("end_char")))
        .select("article_id", "start_char", "end_char")
        .unique()
    )
    added = added.join(doubled, on=["article_id", "start_char", "end_char"], how="anti")
    added = added.join(_team_spots(added, articles), on=["article_id", "start_char", "end_char"], how="anti")
    return pl.concat([locations.select(list(_TARGET_SCHEMA)), added], how="vertical_relaxed").cast(_TARGET_SCHEMA)


# Generic words of place names (GeoNames feature nouns): on their own they name no place.
_GENERIC = (
    r"(?:[Cc]ity|[Tt]own|[Vv]illage|[Ss]prings?|[Rr]iver|[Ll]ake|[Pp]ark|[Ff]alls|[Hh]eights|[Bb]each|[Ii]sland|[Hh]ills?"
    r"|[Vv]alley|[Cc]reek|[Bb]ay|[Hh]arbou?r|[Pp]ort|[Pp]oint|[Mm]ount|[Ff]ort|[Cc]ape|[Cc]ent(?:er|re))"
)
# A bare compass or position word is a modifier, not the place it also names ("Southern
# California" is not Zambia's Southern Province, "West Edmonton" not Cameroon's West region).
DIRECTIONAL_WORD = r"^(?:[Nn]orth|[Ss]outh|[Ee]ast|[Ww]est)(?:ern)?$|^(?:[Cc]entral|[Uu]pper|[Ll]ower|[Mm]iddle|[Gg]reater)$"
GENERIC_FEATURE_WORD = rf"^(?:{_GENERIC}|[Cc]ounty)$|{DIRECTIONAL_WORD}"
GENERIC_FEATURE_BEFORE = rf"\b{_GENERIC}[\s\-]+$"
# ... and before a spotted name, capitalised: "Lake Cumberland", "River Moy", "Mount Hope"
GENERIC_HEAD_BEFORE = r"\b(?:City|Town|Village|Springs?|River|Lake|Park|Falls|Heights|Beach|Island|Hills?|Valley|Creek|Bay|Harbou?r|Port|Point|Mount|Fort|Cape)\s+$"


def _widened(locations: pl.DataFrame, spots: pl.DataFrame) -> pl.DataFrame:
    """A LOCATION span inside a longer gazetteer name of the text takes that name: the tagger cut
    "St. Paris" at the dot ("St", "PARIS") or "Jackson County" before "County". Two spans widened
    to one name keep the first; ``absorbed`` marks the others (their mentions are dropped)."""
    wider = (
        locations.select("article_id", "row", pl.col("start_char").alias("m_start"), pl.col("end_char").alias("m_end"))
        .join(spots.select("article_id", "start_char", "end_char", "text", "key"), on="article_id")
        .filter(
            (pl.col("start_char") <= pl.col("m_start"))
            & (pl.col("m_end") <= pl.col("end_char"))
            & ((pl.col("end_char") - pl.col("start_char")) > (pl.col("m_end") - pl.col("m_start")))
        )
        .sort("row", "start_char")
        .unique("row", keep="first", maintain_order=True)
        .select("row", "start_char", "end_char", "text", "key", pl.lit(True).alias("widened"))
    )
    widened = locations.update(wider, on="row", how="left")
    return widened.with_columns(
        (pl.col("row") != pl.col("row").min().over("article_id", "start_char", "end_char")).alias("absorbed")
    )


def _narrowed(locations: pl.DataFrame, spots: pl.DataFrame, gz: Gazetteer) -> pl.DataFrame:
    """A LOCATION span that is no gazetteer name but holds one ("Newark Live Bait", "Guernsey County
    Administration Building") is narrowed to the longest name inside it. The narrowed name needs
    the support a spotted name needs (see ``resolve_places_and_outlets``): "Gordon Brown" tagged
    LOCATION is not Gordon, New South Wales."""
    unknown = ~gz.spot_keys.contains(locations["key"])
    if not unknown.any():
        return locations
    inner = (
        locations.filter(unknown)
        .select("article_id", "row", pl.col("start_char").alias("m_start"), pl.col("end_char").alias("m_end"), pl.col("text").alias("m_text"))
        .join(spots.select("article_id", "start_char", "end_char", "text", "key", "n_words"), on="article_id")
        .filter((pl.col("m_start") <= pl.col("start_char")) & (pl.col("end_char") <= pl.col("m_end")))
        # a generic feature word is not the place of a longer name ("Lore City", "Yellow Springs",
        # "River Moy"), nor is the name after one ("Lake Cumberland", "Mount Hope Cemetery")
        .filter(
            ~pl.col("text").str.contains(GENERIC_FEATURE_WORD)
            & ~pl.col("m_text").str.slice(0, pl.col("start_char") - pl.col("m_start")).str.contains(GENERIC_FEATURE_BEFORE)
        )
        .sort("row", "n_words", "start_char", descending=[False, True, False])
        .unique("row", keep="first", maintain_order=True)
        .select("row", "start_char", "end_char", "text", "key", pl.lit(True).alias("narrowed"))
    )
    return locations.update(inner, on="row", how="left")


def _contains(texts: pl.Series, pattern: str, prefilter: str) -> pl.Series:
    """``texts.str.contains(pattern)``, evaluated only where ``prefilter`` (a necessary condition) holds."""
    hit = texts.str.contains(prefilter)
    rows = hit.arg_true()
    return hit.scatter(rows, texts.gather(rows).str.contains(pattern))


def _context_cues(targets: pl.DataFrame, articles: pl.DataFrame) -> pl.DataFrame:
    """Per target: cue words around it, and the next target when only ', ' separates them."""
    bodies = articles.select("article_id", "body")
    with_text = targets.join(bodies, on="article_id").with_columns(
        pl.col("body")
        .str.slice(pl.max_horizontal(pl.col("start_char") - 45, pl.lit(0)), pl.col("start_char").clip(0, 45))
        .alias("before"),
        pl.col("body").str.slice(pl.col("end_char").clip(0), 14).alias("after"),
    )
    return with_text.select(
        "article_id",
        "key",
        "gid",
        "start_char",
        "end_char",
        _contains(with_text["before"], ADMIN_CUE_BEFORE, ADMIN_CUE_WORDS).alias("cue_admin"),
        pl.col("after").str.contains(ADMIN_CUE_AFTER).alias("cue_admin_after"),
        pl.col("after").str.contains(COUNTY_CUE_AFTER).alias("cue_county"),
        pl.col("before").str.contains(CITY_CUE_BEFORE).alias("cue_city"),
    )


def _hierarchy_pairs(targets: pl.DataFrame, articles: pl.DataFrame) -> pl.DataFrame:
    """(inner, outer): the ``gid`` of the (article, key) pairs in 'Inner, Outer' sequences such as
    'Tapalpa, Jalisco'."""
    ordered = (
        targets.filter(~pl.col("demonym"))
        .select("article_id", "key", "gid", "start_char", "end_char")
        .unique(["article_id", "start_char"])
        .sort("article_id", "start_char")
        .with_columns(
            pl.col("gid").shift(-1).over("article_id").alias("next_gid"),
            pl.col("start_char").shift(-1).over("article_id").alias("next_start"),
        )
        .filter(pl.col("next_start") == pl.col("end_char") + 2)
        .join(articles.select("article_id", "body"), on="article_id")
        .filter(pl.col("body").str.slice(pl.col("end_char"), 2) == ", ")
    )
    return ordered.select(pl.col("gid").alias("inner"), pl.col("next_gid").alias("outer")).unique()


def _best(scored: pl.DataFrame, by: str = "gid") -> pl.DataFrame:
    """The top candidate of each group (highest score, then population, then lowest place_id),
    ordered by group. ``by`` numbers the (article, key) pairs, so only numbers are compared."""
    order = ["score", "population", "place_id"]
    if scored.select(pl.any_horizontal(pl.col(order).is_null().any()) | pl.col("score").is_nan().any()).item():
        # nulls (and NaN) sort first: keep the sort, which places them as before
        return scored.sort([by, *order], descending=[False, True, True, False]).unique(by, keep="first", maintain_order=True)
    # the same rows as sorting and keeping the first of each group, without sorting every candidate
    return (
        scored.filter(pl.col("score") == pl.col("score").max().over(by))
        .filter(pl.col("population") == pl.col("population").max().over(by))
        .filter(pl.col("place_id") == pl.col("place_id").min().over(by))
        .unique(by, keep="first", maintain_order=True)  # rows equal in all three (fuzzy pairs can repeat)
        .sort(by)
    )


def _support(candidates: pl.DataFrame, winners: pl.DataFrame) -> pl.DataFrame:
    """Coherence: how many OTHER names of the article resolve into the candidate's country / admin1.

    Joined on integer codes: ``aid`` numbers the articles, ``cc`` the country codes, ``gid`` the
    (article, key) pairs."""
    # a name spotted with nothing that says place ("March", "Officer") supports others only as
    # much as it would be kept itself: as a country, a division or a large city
    credible = ~pl.col("bare_spot") | pl.col("feature_type").is_in(["country", "admin1", "continent"]) | (
        pl.col("population") >= EXTRA_MIN_CITY_POPULATION
    )
    winners = winners.filter(credible)
    by_country = winners.filter(pl.col("feature_type") != "continent").group_by("aid", "cc").agg(pl.len().alias("n_country"))
    by_admin1 = winners.filter(pl.col("admin1_id").is_not_null()).group_by("aid", "admin1_id").agg(pl.len().alias("n_admin1"))
    own = winners.select("gid", pl.col("cc").alias("own_cc"), pl.col("admin1_id").alias("own_a1"))
    return (
        candidates.join(by_country, on=["aid", "cc"], how="left")
        .join(by_admin1, on=["aid", "admin1_id"], how="left")
        .join(own, on="gid", how="left")
        .with_columns(
            (pl.col("n_country").fill_null(0) - (pl.col("own_cc") == pl.col("cc")).fill_null(False).cast(pl.Int64)).alias("n_country"),
            (pl.col("n_admin1").fill_null(0) - (pl.col("own_a1") == pl.col("admin1_id")).fill_null(False).cast(pl.Int64)).alias("n_admin1"),
        )
        .drop("own_cc", "own_a1")
    )


def _score() -> pl.Expr:
    return (
        pl.col("prior")
        + COUNTRY_SUPPORT * (pl.col("n_country") > 0).cast(pl.Float64)
        + ADMIN1_SUPPORT * (pl.col("n_admin1") > 0).cast(pl.Float64)
        + pl.col("bonus")
    )


class Lexicon(NamedTuple):
    """Names and demonyms sorted by key, each row with its place's prior and its row in ``places``
    (the place columns are gathered from there after a lookup, not repeated per name)."""

    names: pl.DataFrame
    demonyms: pl.DataFrame
    places: pl.DataFrame
    columns: list[str]  # a looked-up row's columns, in order


@lru_cache(maxsize=1)
def _lexicon(gz: Gazetteer) -> Lexicon:
    """Names and demonyms with the prior of every (key, place) computed once, sorted by key: a
    batch looks its keys up by binary search and gathers the rows (``_lookup``), instead of
    hashing the ~800k-row name index and the ~270k places again on every call.

    Cached as Arrow IPC (``transforms.cache``), keyed by the gazetteer and the contents of the files it is built from:
    building it costs ~0.45 s of CPU and hundreds of MB of transient memory, in every
    extraction worker; reading it costs a fraction of both.
    """
    frames = cached_frames(_lexicon_cache_name(), ("names", "demonyms", "places"), lambda: _build_lexicon(gz))
    places = frames["places"]
    columns = ["key", "place_id", "is_main", *(c for c in places.columns if c != "place_id"), "prior"]
    return Lexicon(frames["names"], frames["demonyms"], places, columns)


def _lexicon_cache_name() -> str:
    """The lexicon's cache: its version, and the weights baked into its priors (so that changing
    one of them in code or in an experiment never reads a lexicon built with another)."""
    weights = "_".join(f"{w:g}" for w in (*TYPE_BONUS.values(), ALIAS_PENALTY, SHADOWED_ALIAS_PENALTY, CITY_MIN_POPULATION, CAPITAL_BONUS))
    return f"gazetteer-v{GAZETTEER_VERSION}-{content_digest(GAZETTEER_SOURCES)}/lexicon-{content_digest([Path(__file__)])}-{weights}"


def _build_lexicon(gz: Gazetteer) -> dict[str, pl.DataFrame]:
    places = gz.places.with_columns(
        # integer country code, for the coherence joins (nulls stay null)
        pl.col("country_code").rank("dense").alias("cc"),
        name_key(pl.col("name")).alias("name_key"),
    ).with_row_index("row")
    type_bonus = pl.col("feature_type").replace_strict(TYPE_BONUS, default=0.0, return_dtype=pl.Float64)
    # "New York" is an alias of "New York City", but a short form, not a variant spelling
    alias_only = ~pl.col("is_main") & (pl.col("feature_type") == "city") & ~pl.col("name_key").str.starts_with(pl.col("key"))
    population = pl.col("population").cast(pl.Float64)
    prior = (
        # a town of cities500 without a population (GeoNames' 0: unknown) has at least 500
        (pl.when(pl.col("feature_type") == "city").then(population.clip(CITY_MIN_POPULATION)).otherwise(population) + 10).log10()
        + type_bonus
        - ALIAS_PENALTY * alias_only.cast(pl.Float64)
        # a name that is some place's own name is another place's nickname only rarely: Twickenham, Huntsville
        - SHADOWED_ALIAS_PENALTY * (alias_only & pl.col("is_main").any().over("key")).cast(pl.Float64)
        + CAPITAL_BONUS * pl.col("is_capital").cast(pl.Float64)
    ).alias("prior")

    def table(index: pl.DataFrame) -> pl.DataFrame:
        return (
            index.select("key", "place_id", "is_main")
            .join(places, on="place_id")
            .with_columns(prior)
            .filter(pl.col("key").is_not_null())
            .sort("key", "place_id")
            .select("key", "place_id", "is_main", "prior", "row")
        )

    return {
        "names": table(gz.names),
        "demonyms": table(gz.demonyms.with_columns(pl.lit(True).alias("is_main"))),
        "places": places.drop("row", "name_key"),
    }


def _lookup(keys: pl.DataFrame, table: pl.DataFrame, lexicon: Lexicon) -> pl.DataFrame:
    """``keys`` joined to ``table`` (sorted by key) on key, with the columns of each row's place:
    the rows of each key are found by binary search and gathered, so ``table`` is not hashed on
    every call."""
    keys = keys.filter(pl.col("key").is_not_null())
    sorted_keys = table["key"]
    rows = pl.int_ranges(
        sorted_keys.search_sorted(keys["key"], side="left"), sorted_keys.search_sorted(keys["key"], side="right"), eager=True
    )
    found = pl.DataFrame({"query": pl.int_range(0, keys.height, eager=True), "row": rows}).explode("row", empty_as_null=False)
    names = table[found["row"]]
    places = lexicon.places.drop("place_id")[names["row"]]
    return pl.concat([keys.drop("key")[found["query"]], names.drop("row"), places], how="horizontal").select(
        *(c for c in keys.columns if c != "key"), *lexicon.columns)


def _candidates(keys: pl.DataFrame, gz: Gazetteer) -> pl.DataFrame:
    """Every (article, key, place) with its prior; ``keys`` is one row per (article, key) with
    its ``gid`` and ``aid``."""
    lexicon = _lexicon(gz)
    by_name = _lookup(keys.filter(~pl.col("demonym")), lexicon.names, lexicon)
    by_demonym = _lookup(keys.filter(pl.col("demonym")), lexicon.demonyms, lexicon)
    return pl.concat([by_name, by_demonym], how="vertical_relaxed")


def _evidence(cands: pl.DataFrame, targets: pl.DataFrame, articles: pl.DataFrame) -> pl.DataFrame:
    """Adds ``bonus``: cue words and 'X, Y' hierarchy, per (article, key, place)."""
    cues = (
        _context_cues(targets, articles)
        .group_by("gid")
        .agg(
            (pl.col("cue_admin") | pl.col("cue_admin_after")).any().alias("cue_admin"),
            pl.col("cue_county").any(),
            pl.col("cue_city").any(),
        )
    )
    cands = cands.join(cues, on="gid", how="left").with_columns(
        (
            CUE_BONUS * ((pl.col("feature_type") == "admin1") & pl.col("cue_admin").fill_null(False)).cast(pl.Float64)
            + CUE_BONUS * ((pl.col("feature_type") == "admin2") & pl.col("cue_county").fill_null(False)).cast(pl.Float64)
            + CUE_BONUS * ((pl.col("feature_type") == "city") & pl.col("cue_city").fill_null(False)).cast(pl.Float64)
        ).alias("bonus")
    )
    pairs = _hierarchy_pairs(targets, articles)
    if pairs.is_empty():
        return cands
    slim = cands.select("gid", "place_id", "feature_type", "country_code", "admin1_id")
    linked = (
        pairs.join(slim.rename({"gid": "inner"}), on="inner")
        .join(
            slim.rename({"gid": "outer", "place_id": "outer_id", "feature_type": "outer_type", "country_code": "outer_cc", "admin1_id": "outer_a1"}),
            on="outer",
        )
        .filter(
            (pl.col("place_id") != pl.col("outer_id"))
            & (
                ((pl.col("outer_type") == "admin1") & (pl.col("admin1_id") == pl.col("outer_id")))
                | ((pl.col("outer_type") == "country") & (pl.col("country_code") == pl.col("outer_cc")))
            )
        )
    )
    hits = pl.concat(
        [
            linked.select(pl.col("inner").alias("gid"), "place_id"),
            linked.select(pl.col("outer").alias("gid"), pl.col("outer_id").alias("place_id")),
        ]
    ).unique().with_columns(pl.lit(HIERARCHY_BONUS).alias("hier"))
    return (
        cands.join(hits, on=["gid", "place_id"], how="left")
        .with_columns((pl.col("bonus") + pl.col("hier").fill_null(0.0)).alias("bonus"))
        .drop("hier")
    )


@lru_cache(maxsize=1)
def _local_names(gz: Gazetteer) -> pl.DataFrame:
    """Main names of towns and second-level divisions, with their places: the misspelling pool.

    Cached beside the lexicon (``transforms.cache``): building it costs ~0.2 s of CPU in every
    process that meets its first misspelling; reading it a fraction of that.
    """
    return cached_frames(_lexicon_cache_name(), ("local_names",), lambda: {"local_names": _build_local_names(gz)})["local_names"]


def _build_local_names(gz: Gazetteer) -> pl.DataFrame:
    return (
        gz.places.filter(pl.col("feature_type").is_in(["city", "admin2"]), pl.col("admin1_id").is_not_null())
        .join(gz.names.filter("is_main").select("key", "place_id"), on="place_id")
        .with_columns(pl.col("key").str.slice(0, 1).alias("initial"), pl.col("key").str.len_chars().alias("length"))
        # sorted by division, so that a batch gathers the names of its divisions by binary search
        .sort("admin1_id", maintain_order=True)
    )


def _matching_rows(sorted_column: pl.Series, values: pl.Series) -> pl.Series:
    """The rows of ``sorted_column`` whose value is in ``values``, ascending: a semi join by binary
    search, with no hash table of the column built per call."""
    values = values.drop_nulls().unique().sort()
    return pl.int_ranges(
        sorted_column.search_sorted(values, side="left"), sorted_column.search_sorted(values, side="right"), eager=True
    ).explode(empty_as_null=False).sort()


def _rows_with(table: pl.DataFrame, column: str, values: pl.Series) -> pl.DataFrame:
    """The rows of ``table`` (sorted by the integer ``column``) whose ``column`` is in ``values``, in table order."""
    return table[_matching_rows(table[column], values)]


@lru_cache(maxsize=1)
def _place_id_order(gz: Gazetteer) -> tuple[pl.Series, pl.Series]:
    """(place ids sorted, the row of each in ``gz.places``): an index, not a sorted copy of the places."""
    order = gz.places["place_id"].arg_sort()
    return gz.places["place_id"][order], order


def _places_with_ids(gz: Gazetteer, ids: pl.Series) -> pl.DataFrame:
    """The places whose id is in ``ids``, sorted by id: found by binary search in ``_place_id_order``."""
    sorted_ids, order = _place_id_order(gz)
    return gz.places[order[_matching_rows(sorted_ids, ids)]]


def _fuzzy(unresolved: pl.DataFrame, winners: pl.DataFrame, gz: Gazetteer) -> pl.DataFrame:
    """Misspelt names ('Talpalpa') resolved to a place inside a division the article is about."""
    if unresolved.is_empty() or winners.is_empty():
        return winners.clear()
    from rapidfuzz.distance import Levenshtein
    from rapidfuzz.process import cpdist

    admin1s = (
        winners.filter(pl.col("admin1_id").is_not_null())
        .select("article_id", "admin1_id")
        .unique()
        .join(unresolved, on="article_id", how="semi")
    )
    local = _rows_with(_local_names(gz), "admin1_id", admin1s["admin1_id"])
    # a misspelling keeps its first letter and its length within two; the pairs carry only the
    # name and its row in ``local``, the place's columns are gathered for the similar ones only
    pairs = (
        unresolved.filter(pl.col("key").str.len_chars() >= 5)
        .with_columns(pl.col("key").str.slice(0, 1).alias("initial"), pl.col("key").str.len_chars().alias("length"))
        .join(admin1s, on="article_id")
        .join(
            local.select("admin1_id", "initial", "length", pl.col("key").alias("key_right"), pl.int_range(pl.len()).alias("local_row")),
            on=["admin1_id", "initial"],
        )
        .filter((pl.col("length") - pl.col("length_right")).abs() <= 2)
        .drop("initial", "length", "length_right")
    )
    if pairs.is_empty():
        return winners.clear()
    similarity = cpdist(pairs["key"].to_list(), pairs["key_right"].to_list(), scorer=Levenshtein.normalized_similarity, workers=1)
    similar = pairs.with_columns(pl.Series("similarity", similarity, dtype=pl.Float64)).filter(
        pl.col("similarity") >= FUZZY_MIN_SIMILARITY
    )
    places = local.drop("admin1_id", "key", "initial", "length")[similar["local_row"]]
    return (
        pl.concat([similar.drop("local_row"), places], how="horizontal")
        .join(
            winners.select("article_id", "place_id", pl.lit(True).alias("named_in_article")),
            on=["article_id", "place_id"],
            how="left",
        )
        # the place the article also spells right, then a town before its municipality
        .with_columns(
            (
                pl.col("similarity")
                + 0.2 * pl.col("named_in_article").fill_null(False).cast(pl.Float64)
                - 0.1 * (pl.col("feature_type") == "admin2").cast(pl.Float64)
            ).alias("score")
        )
        .drop("named_in_article")
        .drop("key_right")
        .pipe(_best, by="fid")
        .drop("fid")
    )


def _coherent(slim: pl.DataFrame, best: pl.DataFrame) -> pl.DataFrame:
    """Two rounds of scoring with the coherence of the previous round's choices."""
    for _ in range(2):
        best = _best(_support(slim, best).with_columns(_score().alias("score")))
    return best


def _surname_keys(mentions: pl.DataFrame) -> pl.DataFrame:
    """article_id, key: the last word of every person named with two or more words in the article."""
    return (
        mentions.filter(pl.col("label") == "PERSON", pl.col("text").str.contains(r"\S\s+\S"))
        .select("article_id", name_key(pl.col("text").str.extract(r"(\S+?)(?:['’]s?)?$", 1)).alias("key"))
        .unique()
    )


def _outlet_homes(articles: pl.DataFrame, keys: pl.DataFrame, slim: pl.DataFrame, chosen: pl.Series, gz: Gazetteer) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(aid, home_cc, home_a1, home_confidence: the home of each article's outlet (pins and earlier
    runs as given on the articles, pooled with what this batch's articles say); OUTLET_VOTES: what
    each article with an outlet says, for the warehouse to learn from across runs)."""
    domains = articles.select("article_id", "domain").filter(pl.col("domain").is_not_null())
    if domains.is_empty():
        return pl.DataFrame(), pl.DataFrame(schema=OUTLET_VOTES)
    aids = keys.select("article_id", "aid").unique()
    readings = slim.join(aids.join(domains, on="article_id", how="semi"), on="aid").select(
        "article_id",
        pl.col("gid").alias("key"),
        "feature_type",
        pl.col("cc").alias("country"),
        pl.when(pl.col("feature_type") == "admin1").then(pl.col("place_id")).otherwise(pl.col("admin1_id")).alias("admin1"),
        pl.col("row").is_in(chosen.implode()).alias("chosen"),
    )
    votes = article_votes(readings).join(domains, on="article_id")
    named_votes = domains.join(votes.drop("domain"), on="article_id", how="left").join(
        gz.places.select(
            pl.col("place_id").alias("home_admin1"),
            pl.col("country_code"),
            pl.col("name").alias("admin1"),
            "latitude",
            "longitude",
        ),
        on="home_admin1",
        how="left",
    )
    named_votes = conform(named_votes, OUTLET_VOTES)
    # The batch learns from the votes by name, exactly as the warehouse does (stg_outlets.sql:
    # the same votes give the same home, ties included), and pools them with the homes of pins
    # and earlier runs, which name their home the same way.
    learned = learn_homes(
        named_votes.filter(pl.col("admin1").is_not_null()).select(
            "domain", pl.col("country_code").alias("home_country"), pl.col("admin1").alias("home_admin1")
        )
    )
    priors = articles.filter(pl.col("domain").is_not_null(), pl.col("outlet_country").is_not_null()).select(
        "domain", *OUTLET_PRIORS.names()
    )
    homes = combine_homes(learned, priors)
    if homes.is_empty():
        return pl.DataFrame(), named_votes
    # the resolver's integer codes of the home's country and division
    country_codes = _lexicon(gz).places.select(pl.col("country_code").alias("home_country"), pl.col("cc").alias("home_cc")).unique("home_country")
    admin1s = gz.places.filter(pl.col("feature_type") == "admin1").select(
        pl.col("country_code").alias("home_country"), pl.col("name").alias("home_admin1"), pl.col("place_id").alias("home_a1")
    ).unique(["home_country", "home_admin1"])
    homes = homes.join(country_codes, on="home_country", how="left").join(admin1s, on=["home_country", "home_admin1"], how="left")
    return homes.join(domains, on="domain").join(aids, on="article_id").select(
        "aid", "home_cc", "home_a1", pl.col("confidence").alias("home_confidence")
    ), named_votes




def resolve_places(articles: pl.DataFrame, mentions: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(PLACED_MENTIONS, PLACES): every input mention with usage and place_id, plus the embedded,
    demonym and extra literal LOCATION mentions found here; one PLACES row per place referenced."""
    placed, places, _ = resolve_places_and_outlets(articles, mentions)
    return placed, places


def resolve_places_and_outlets(articles: pl.DataFrame, mentions: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """``resolve_places``, plus OUTLET_VOTES: one row per article with an outlet (a readable
    ``url``), with the first-level division it is local to, if any.

    Reads ``articles``: article_id, body, and when present url and the ``OUTLET_PRIORS`` columns."""
    gz = gazetteer()
    articles = articles.select(
        "article_id",
        pl.col("body").fill_null(""),
        outlet_domain(pl.col("url") if "url" in articles.columns else pl.lit(None, pl.String)).alias("domain"),
        *((pl.col(c) if c in articles.columns else pl.lit(None)).cast(t).alias(c) for c, t in OUTLET_PRIORS.items()),
    )
    mentions = conform(mentions, MENTIONS)
    targets = _targets(articles, mentions, gz)
    absorbed = targets.filter(pl.col("absorbed")).select(pl.col("row").cast(pl.Int64))
    targets = targets.filter(~pl.col("absorbed"))

    # one row per (article, key), numbered: gid names the pair, aid the article
    keys = (
        targets.select("article_id", "key", "demonym")
        .unique(["article_id", "key"])
        .with_row_index("gid")
        .with_columns(pl.col("article_id").rank("dense").alias("aid"))
    )
    targets = targets.join(keys.select("article_id", "key", "gid"), on=["article_id", "key"], how="left")
    cands = _evidence(_candidates(keys, gz), targets, articles)
    # An acronym ("IRA", "BBC") names a country, a division or a metropolis ("US", "NY", "LA"),
    # never a village that happens to share its letters (Ira, New York).
    # A name also written in lower case ("Malta", "MALTA") or opening a story ("XENIA — ") is a word.
    acronyms = (
        targets.group_by("gid")
        .agg((pl.col("text").str.contains(r"^[A-Z]{2,5}$") & ~pl.col("dateline").fill_null(False)).all().alias("acronym"))
        .filter("acronym")
        .select("gid")
    )
    # A word the article also uses as a person's surname ("Ian Appleton ... Appleton said") is that
    # person, or a large place (the tagger also calls "Smart Dubai" a person), not a town.
    surnames = _surname_keys(mentions).join(keys.select("article_id", "key", "gid"), on=["article_id", "key"])
    directional = (
        targets.group_by("gid").agg(pl.col("text").str.contains(DIRECTIONAL_WORD).all().alias("bare")).filter("bare").select("gid")
    )
    large = pl.col("feature_type").is_in(["country", "admin1", "continent"])
    cands = cands.filter(~pl.col("gid").is_in(directional["gid"].implode())).filter(
        (~pl.col("gid").is_in(acronyms["gid"].implode()) | large | (pl.col("population") >= ACRONYM_MIN_CITY_POPULATION))
        & (~pl.col("gid").is_in(surnames["gid"].implode()) | large | (pl.col("population") >= EXTRA_MIN_CITY_POPULATION))
    )
    # two rounds: priors alone, then priors with the coherence of the first round's choices;
    # the rounds carry only the columns they need, the winners' other columns are gathered after
    bare_spots = (
        targets.group_by("gid")
        .agg(
            (
                (pl.col("origin") == "spot")
                & (pl.col("usage") == "literal")
                & pl.col("tagged").is_null()
                & ~pl.col("place_cue").fill_null(False)
                & ~pl.col("dateline").fill_null(False)
            )
            .all()
            .alias("bare_spot")
        )
        .filter("bare_spot")
    )
    slim = cands.select(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("row"),
        "gid", "aid", "cc", "admin1_id", "feature_type", "prior", "bonus", "population", "place_id", "is_main",
        pl.col("gid").is_in(bare_spots["gid"].implode()).alias("bare_spot"),
    )
    best = _coherent(slim, _best(slim.with_columns(pl.col("prior").alias("score"))))
    # then again with the home of each article's outlet as a prior, learned from these winners
    homes, votes = _outlet_homes(articles, keys, slim, best["row"], gz)
    if not homes.is_empty():
        slim = slim.join(homes, on="aid", how="left").with_columns(
            (
                pl.col("bonus")
                + pl.col("home_confidence").fill_null(0.0)
                * (
                    OUTLET_ADMIN1_BONUS * ((pl.col("admin1_id") == pl.col("home_a1")) | (pl.col("place_id") == pl.col("home_a1"))).fill_null(False).cast(pl.Float64)
                    + OUTLET_COUNTRY_BONUS * (pl.col("cc") == pl.col("home_cc")).fill_null(False).cast(pl.Float64)
                )
            ).alias("bonus"),
            (
                (pl.col("home_confidence") >= LOCAL_MIN_HOME_CONFIDENCE)
                & ((pl.col("admin1_id") == pl.col("home_a1")) | (pl.col("place_id") == pl.col("home_a1")))
            ).fill_null(False).alias("home_match"),
        ).drop("home_cc", "home_a1", "home_confidence")
        best = _coherent(slim, best)
    else:
        best = best.with_columns(pl.lit(False).alias("home_match"))
    # A town in a country nothing else of the article is in, with no cue, qualifier or outlet
    # behind it, is more likely a word that is not a place here ("Lib Dem" -> Lib, Marshall
    # Islands; "Orr" -> Kersey, Colorado; "the Christmas number one" -> Christmas, Florida):
    # left unresolved.
    weak = (
        (pl.col("population") < WEAK_PLACE_POPULATION)
        & (pl.col("n_country") == 0)
        & (pl.col("bonus") <= 0)
        & ~pl.col("home_match")
        & (pl.len().over("aid") > 1)
    )
    best = best.filter(~weak)
    winners = cands[best["row"]].with_columns(best["score"], (best["home_match"] | (best["n_admin1"] > 0)).alias("local"))

    unresolved = (
        targets.filter(pl.col("origin") == "input", ~pl.col("demonym"))
        .select("article_id", "key", "gid")
        .unique()
        .join(winners, on="gid", how="anti")
        # acronyms and surnames are not misspelt towns either
        .filter(~pl.col("gid").is_in(pl.concat([acronyms["gid"], surnames["gid"]]).implode()))
        .with_row_index("fid")
    )
    fuzzy = _fuzzy(unresolved, winners, gz)
    if not fuzzy.is_empty():
        winners = pl.concat([winners, fuzzy], how="diagonal_relaxed")

    chosen = winners.select("gid", "place_id", "feature_type", "population", pl.col("name").alias("place_name"), "score",
                            pl.col("local").fill_null(False))
    resolved = targets.join(chosen, on="gid", how="left")
    # spotted names must be clear: a country, a division, or a large city; demonyms always are
    large_city = (pl.col("feature_type") == "city") & (pl.col("population") >= EXTRA_MIN_CITY_POPULATION)
    embedded_ok = pl.col("feature_type").is_in(["country", "admin1", "continent"]) | (
        (pl.col("feature_type") == "city") & (pl.col("population") >= EMBEDDED_MIN_CITY_POPULATION)
    )
    local_division = (pl.col("feature_type") == "admin2") & pl.col("text").str.contains(LOCAL_DIVISION_NAME)
    keep = (
        (pl.col("origin") == "input")
        | pl.col("demonym")
        | ((pl.col("usage") == "embedded") & (embedded_ok | local_division | pl.col("local")))
        | (
            (pl.col("usage") == "literal")
            & pl.col("tagged").is_null()
            & (
                pl.col("feature_type").is_in(["country", "admin1", "continent"])
                | large_city
                | local_division
                | pl.col("dateline")
                | pl.col("echo")
            )
        )
        # named a person or an organisation by the tagger: a county-level name, or a local name said to be a place
        | (
            pl.col("tagged").is_not_null()
            & (
                local_division
                | (pl.col("local") & (pl.col("place_cue").fill_null(False) | (pl.col("tagged") == "ORG")))
                # a dateline, or a name the tagger called a place elsewhere in the article
                | pl.col("dateline").fill_null(False)
                | pl.col("echo").fill_null(False)
            )
        )
    )
    resolved = resolved.filter(keep & (pl.col("place_id").is_not_null() | (pl.col("origin") == "input")))

    supported = (
        pl.col("feature_type").is_in(["country", "admin1", "continent"]) | large_city | local_division | pl.col("local")
    ).fill_null(False)
    # the span as resolved replaces the tagger's: narrowed to a supported name, or widened
    narrowed_ok = (pl.col("narrowed").fill_null(False) & supported) | pl.col("widened").fill_null(False)
    from_input = resolved.filter(pl.col("origin") == "input").select(
        "row",
        "usage",
        # a narrowed span without support stays as the tagger gave it, unresolved
        pl.when(pl.col("narrowed").fill_null(False) & ~supported).then(None).otherwise(pl.col("place_id")).alias("place_id"),
        pl.when(narrowed_ok).then(pl.col("start_char")).alias("t_start"),
        pl.when(narrowed_ok).then(pl.col("end_char")).alias("t_end"),
        pl.when(narrowed_ok).then(pl.col("text")).alias("t_text"),
    )
    # a person or organisation mention that a place now covers is that place, not a person
    retagged = resolved.filter(pl.col("tagged").is_not_null()).select("article_id", pl.col("start_char").alias("p_start"), pl.col("end_char").alias("p_end"))
    covered = (
        mentions.with_row_index("row")
        .filter(pl.col("label").is_in(["PERSON", "ORG"]))
        .join(retagged, on="article_id")
        .filter((pl.col("p_start") <= pl.col("start_char")) & (pl.col("end_char") <= pl.col("p_end")))
        .select(pl.col("row").cast(pl.Int64))
    )
    placed_input = (
        mentions.with_row_index("row")
        .with_columns(pl.col("row").cast(pl.Int64))
        .join(pl.concat([covered, absorbed]), on="row", how="anti")
        .join(from_input, on="row", how="left")
        .with_columns(
            pl.col("usage").fill_null("literal"),
            # a LOCATION span narrowed to the place name inside it (see _narrowed)
            pl.coalesce("t_start", "start_char").alias("start_char"),
            pl.coalesce("t_end", "end_char").alias("end_char"),
            pl.coalesce("t_text", "text").alias("text"),
        )
        .drop("t_start", "t_end", "t_text")
        .drop("row")
    )
    added = resolved.filter(pl.col("origin") == "spot").select(
        "article_id",
        pl.lit("LOCATION").alias("label"),
        "text",
        "start_char",
        "end_char",
        pl.col("place_name").alias("canonical_name"),
        entity_id(pl.lit("LOCATION"), pl.col("place_name")).alias("entity_id"),
        "usage",
        "place_id",
    )
    placed = pl.concat([conform(placed_input, PLACED_MENTIONS), conform(added, PLACED_MENTIONS)]).sort(
        "article_id", "start_char", "end_char"
    )
    places = conform(
        _places_with_ids(gz, placed["place_id"]),
        PLACES,
    )
    return placed, places, votes
