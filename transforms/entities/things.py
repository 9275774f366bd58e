"""Things the tagger called organisations: products, works, events and technology terms (a stage after ``kinds.py``).

BBC technology and entertainment news names many things the CoNLL-trained
tagger takes for organisations (``Xbox``, ``Half-Life 2``, ``Rain Man``, ``P2P``,
``RFID``, ``New York Marathon``). Organisations act in news text; things do not.
``name_agency.py`` counts, over the unlabelled news, how often each name acts
(``said``, ``'s``, ``told X``) and how often a word saying what kind of thing it
is stands beside it (lexicons/thing_cues.csv: ``game``, ``console``, ``film``,
``technology``...). A name is *still* when it is seen at least ``MIN_SEEN``
times and acts in under 1 of ``STILL_RATIO`` of them; *unknown* when it is seen
fewer times. An ORG mention is a thing (label ``MISC``, not published) when:

- **kind**: the news puts a kind word beside the still name at least 1 time in
  ``KIND_RATIO`` (``P2P`` 18 of 45, ``Xbox`` 12 of 66);
- **acronym**: it is a still acronym written as is (not linked to a long form), and
  the word cluster it falls in (clusters.py, ``c2``) acts rarely too (technology
  acronyms: ``RFID``, ``UWB``, ``HD``; not ``ONS`` or ``TGWU``, whose cluster holds
  organisations that speak);
- **cue here**: a still or unknown name stands right beside a kind word in its
  article (``Halo 2 game``, ``EV-DO technology``, ``copies of``, ``starring in``);
- **new**: a still name right after ``a``/``the``/``its``/``their`` ``new`` or
  ``latest`` (``its new Xbox``);
- **version**: a still name is followed by a version number (``Half-Life 2``,
  ``Xbox 360``; not a results line ``Ospreys 2 Leinster 1``);
- **event**: a still or unknown name of two words or more ends in an event word
  (lexicons/event_heads.csv: ``Marathon``, ``Motor Show``, ``Cup``), or any name
  opens an event's name (``Norwich Union Grand Prix``, ``MTV Awards``);
- **place of**: a one-word name the tagger's gazetteer knows as a place, right
  before a word for a person or product from there (lexicons/place_modified_nouns.csv:
  ``Liverpool student``, ``Parma ham``).

A cue found for one mention holds for every mention of the same name in the
article (except an event's name and a place of origin, which hold for their own span only). Names that act (``Sony``, ``Microsoft``, ``BBC``) never change.

Reads ``article_id, label, text, start_char, end_char, canonical_name`` of the
mentions and ``article_id, body`` of the articles; rewrites ``label``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import polars as pl

from transforms.entities.clusters import load_clusters, word_form
from transforms.entities.name_agency import THING_CUES, shipped_name_agency
from transforms.entities.news_casing import load_news_casing
from transforms.tokens import ENGINE

READS = ("article_id", "label", "text", "start_char", "end_char", "canonical_name")
LEXICON_DIR = Path(__file__).resolve().parent / "lexicons"
EVENT_HEADS = pl.read_csv(LEXICON_DIR / "event_heads.csv")["word"].to_list()

MIN_SEEN = 5
STILL_RATIO = 20  # acts in under 1 of 20 occurrences
KIND_RATIO = 10  # a kind word beside it in 1 of 10 occurrences or more
QUIET_CLUSTER = 0.15  # share of the occurrences of a c2 cluster's names that act
THE_TENTHS = 3  # an acronym after "the" in 3 of 10 occurrences or more names an institution ("the IRB", "the ATP")
COMMON_WORD = 50  # news casing percent under which a word is more often common than a name (kinds.NAME_WORD)
_CONTEXT = 40

_KIND = "|".join(pl.escape_regex(cue) for cue in sorted(THING_CUES, key=len, reverse=True))
# "Halo 2 game", "Xbox video game", "EV-DO technology"
_KIND_AFTER = rf"^(?:\s+(?:\d{{1,3}}|[IVX]{{1,4}}))?\s+(?:video |computer |online |mobile |portable |handheld )?(?:{_KIND})\b"
# "the game Half-Life", "starring in Rain Man", "copies of Half-Life 2"
_KIND_BEFORE = rf"(?:\b(?:{_KIND})|\bstarring in|\bstar of|\bstars in|\bcopies of|\bversions? of|\bsequel to)[ \t]+[\"“‘']?$"
# "Half-Life 2", "Xbox 360"; not "Ospreys 2 Leinster 1", "Chapter 11", "2.5", "2-1"
_VERSION = r"^ (?:[2-9]|360|64)(?: [a-z]|[,;:)!?]|\.\s)"
# "Somerset 9 points", "Leeds 2 goals", "3 for 0": a count, not a version
_RESULT = r"^ \d+ (?:for|and|of|in|to|at|v|per|points|pts|runs|wickets|goals|tries|games|matches|wins|seats|places|shots|minutes|years|days|times|percent|million|billion)\b"
_ACRONYM = r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)?$"
# "Norwich Union Grand Prix", "Academy Awards", "MTV Awards": the name opens an event's name
_EVENT_AFTER = r"^ (?:Grand )?(?:" + "|".join(pl.escape_regex(w.capitalize()) for w in EVENT_HEADS if " " not in w) + r"|Award)\b"
# "Liverpool student", "Parma ham": a place naming where a person or product comes from
PLACE_MODIFIED = pl.read_csv(LEXICON_DIR / "place_modified_nouns.csv")["word"].to_list()
_PLACE_MODIFIED_AFTER = r"^ (?:" + "|".join(map(pl.escape_regex, PLACE_MODIFIED)) + r")\b"
_NEW = r"\b(?:[Aa]|[Tt]he|its|their) (?:new|latest)[ \t]+$"


def quiet_clusters(agency: pl.DataFrame, clusters: pl.DataFrame) -> pl.DataFrame:
    """``c2`` clusters whose one-word names act in under ``QUIET_CLUSTER`` of their occurrences."""
    names = agency.filter(~pl.col("name").str.contains(" ")).with_columns(word=word_form(pl.col("name")))
    return (
        names.join(clusters.select("word", "c2"), on="word")
        .group_by("c2")
        .agg(acts=pl.col("acts").sum(), n=pl.col("n").sum())
        .filter(pl.col("acts") < QUIET_CLUSTER * pl.col("n"))
        .select("c2")
        .sort("c2")
    )


@cache
def _place_names() -> pl.Series:
    """The tagger's gazetteer names, lower case (``liverpool``, ``parma``)."""
    from transforms.entities.crf import default_weights

    return pl.Series(sorted(default_weights().place_names), dtype=pl.String).implode()


@cache
def _shipped_tables() -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    clusters = load_clusters()
    return quiet_clusters(shipped_name_agency(), clusters), clusters.select("word", "c2"), load_news_casing()


RULES = ("kind", "acronym", "cue_here", "new", "version", "in_event", "place_of", "event")
SPAN_ONLY = ("in_event", "place_of")  # rules about one span, not about the name everywhere in the article


def thing_rules(
    mentions: pl.DataFrame,
    bodies: pl.DataFrame,
    agency: pl.DataFrame | None = None,
    clusters: pl.DataFrame | None = None,
    casing: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """``row`` (position in ``mentions``), ``article_id``, ``canonical_name`` and one boolean column per rule
    of ``RULES`` for each ORG mention (see the module doc). Without ``agency`` all three tables are the shipped
    ones; with it (a test's own table), ``clusters`` and ``casing`` default to empty, not to the shipped ones."""
    if agency is None:
        agency = shipped_name_agency()
        quiet, clusters, casing = _shipped_tables()
    else:
        clusters = clusters if clusters is not None else pl.DataFrame(schema={"word": pl.String, "c2": pl.String})
        casing = casing if casing is not None else pl.DataFrame(schema={"word": pl.String, "upper": pl.UInt8})
        quiet = quiet_clusters(agency, clusters)
    places = _place_names()
    rows = (
        mentions.lazy()
        .with_row_index("row")
        .filter(pl.col("label") == "ORG")
        .join(bodies.lazy().select("article_id", "body"), on="article_id", how="left")
        .with_columns(
            before=pl.col("body").str.slice(
                (pl.col("start_char") - _CONTEXT).clip(0), pl.min_horizontal(pl.col("start_char"), pl.lit(_CONTEXT))
            ),
            after=pl.col("body").str.slice(pl.col("end_char"), _CONTEXT),
            name=pl.col("text").str.to_lowercase(),
            word=word_form(pl.col("text")),
        )
        .drop("body")
        .join(agency.lazy().select("name", "n", "acts", "things", "the", "caps"), on="name", how="left")
        .join(clusters.lazy().select("word", "c2"), on="word", how="left")
        .join(casing.lazy().select(name="word", upper=pl.col("upper").cast(pl.Int64)), on="name", how="left")
        .with_columns(quiet=pl.col("c2").is_in(quiet["c2"].implode()))
    )
    seen = pl.col("n").fill_null(0) >= MIN_SEEN
    still = seen & (pl.col("acts") * STILL_RATIO < pl.col("n"))
    still_or_unknown = still | ~seen
    rules = {
        "kind": still
        & (pl.col("upper").fill_null(100) >= COMMON_WORD)  # "Best Film": a common word's capitalised uses
        & (pl.col("things") >= 2) & (pl.col("things") * KIND_RATIO >= pl.col("n")),
        "acronym": still
        & ((pl.col("acts") == 0) | (pl.col("things") > 0))
        & (pl.col("the") * 10 < pl.col("n") * THE_TENTHS)
        & (pl.col("quiet") | pl.col("c2").is_null())
        & pl.col("text").str.contains(_ACRONYM)
        & (pl.col("text").str.len_chars() <= 7)
        & (pl.col("text") == pl.col("canonical_name"))
        & (pl.col("caps") * 2 >= pl.col("n")),
        "cue_here": still & pl.col("after").str.contains(_KIND_AFTER)
        | still_or_unknown & pl.col("before").str.contains(_KIND_BEFORE),
        "new": still & pl.col("before").str.contains(_NEW),
        "version": still & pl.col("after").str.contains(_VERSION) & ~pl.col("after").str.contains(_RESULT),
        "in_event": pl.col("after").str.contains(_EVENT_AFTER),
        "place_of": pl.col("name").is_in(places) & pl.col("after").str.contains(_PLACE_MODIFIED_AFTER),
        "event": still_or_unknown
        & pl.col("text").str.contains(" ")
        & (
            pl.col("name").str.extract(r"(\S+)$").is_in(EVENT_HEADS)
            | pl.col("name").str.extract(r"(\S+ \S+)$").is_in(EVENT_HEADS)
        ),
    }
    return (
        rows.select("row", "article_id", "canonical_name", **{name: rule.fill_null(False) for name, rule in rules.items()})
        .collect(engine=ENGINE)
    )


def refine_things(
    mentions: pl.DataFrame,
    bodies: pl.DataFrame,
    agency: pl.DataFrame | None = None,
    clusters: pl.DataFrame | None = None,
    casing: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """``mentions`` with the ORG mentions that name things relabelled ``MISC`` (see the module doc).

    ``agency`` (name_agency.py's table), ``clusters`` (``word, c2``) and ``casing`` (news_casing.py's):
    see ``thing_rules`` for their defaults."""
    if not (mentions["label"] == "ORG").any():
        return mentions
    things = (
        thing_rules(mentions, bodies, agency, clusters, casing)
        .with_columns(
            thing=pl.any_horizontal(*(r for r in RULES if r not in SPAN_ONLY)).any().over("article_id", "canonical_name")
            | pl.any_horizontal(*SPAN_ONLY)  # the span only: "MTV" elsewhere in the article is the channel
        )
        .filter("thing")
    )
    if things.is_empty():
        return mentions
    return (
        mentions.with_row_index("row")
        .with_columns(label=pl.when(pl.col("row").is_in(things["row"].implode())).then(pl.lit("MISC")).otherwise("label"))
        .drop("row")
    )
