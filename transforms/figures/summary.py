"""Stage 12: what the casualty summary needs to know of each claim, as explicit columns.

``additive``: the claim counts people beyond the claim it follows, not the same people again. Its text
says so (other, others, additional, another, more: "three other cartel members", "Oseguera and two
others", "another man"), or it is a reflexive ("before killing himself": the one who killed the others
is one more). ``article_casualties`` adds additive claims to the group they follow and takes the largest
of standalone claims, which restate one toll.

``role``: who the counted people are when the text says so (``lexicons/roles.csv``): ``perpetrator``
("the suspect", "the gunman", "two gunmen"), ``officer`` ("a deputy"), ``victim`` ("the victim"); else null.
A perpetrator who dies is a person killed beyond the victims: ``article_casualties`` adds the largest
perpetrator claim to the largest claim about the others ("Doctor shot ... Suspect found dead" is 2).
"""

from __future__ import annotations

import polars as pl

from transforms.figures.lexicons import lexicon
from transforms.figures.stage import Batch, stage

ADDITIVE = r"(?i)\b(?:other|others|additional|another|more|himself|herself)\b"
REFLEXIVE = r"(?i)\b(?:himself|herself)\b"
# "more than 30,000 people", "50 or more": a qualifier, not more people beyond a claim.
QUALIFYING_MORE = r"(?i)\bmore\s+than\b|\bor\s+more\b"


@stage(requires=("kind", "text", "category", "article_id", "sentence_no", "local_start"), assigns=("additive",))
def additivity(figures: pl.DataFrame, batch: Batch) -> pl.DataFrame:
    """``additive`` for every COUNT (null for other kinds).

    "Others" beyond a claim of another event are that event's whole toll, not more of the same: in "Two
    people are dead and three others wounded" the three are all the wounded (a headline "3 wounded" before
    it restates them), so a claim whose closest earlier event count in the article has another category
    ("Two people were hurt. One person was shot in the leg. Another victim was injured") is standalone. A
    reflexive ("shot three women and then killed himself") stays additive: the killer is one more person
    whatever happened to the others."""
    event = pl.col("category").is_not_null() & (pl.col("kind") == "COUNT")
    figures = figures.with_row_index("_row")
    # Only event counts take part, so the previous event is the previous row among them, in text order.
    events = figures.filter(event).select("_row", "article_id", "sentence_no", "local_start", "category", "text").sort(
        "article_id", "sentence_no", "local_start"
    )
    previous = pl.col("category").shift(1).over("article_id")
    after_other_event = events.filter(
        previous.is_not_null() & (previous != pl.col("category")) & ~pl.col("text").str.contains(REFLEXIVE)
    ).get_column("_row")
    return figures.with_columns(
        pl.when(pl.col("kind") == "COUNT")
        .then(pl.col("text").str.replace_all(QUALIFYING_MORE, "").str.contains(ADDITIVE) & ~pl.col("_row").is_in(after_other_event.implode()))
        .alias("additive")
    ).drop("_row")


@stage(requires=("kind", "object"), assigns=("role",))
def roles(figures: pl.DataFrame, batch: Batch) -> pl.DataFrame:
    """``role`` of a COUNT of people from the head noun of what it counts ("the male suspect" -> perpetrator)."""
    nouns = lexicon("roles")
    head = pl.col("object").str.to_lowercase().str.extract(r"((?:police\s+)?[a-z]+)$", 1)
    return figures.with_columns(
        pl.when(pl.col("kind") == "COUNT").then(head.replace_strict(nouns["noun"], nouns["role"], default=None)).alias("role")
    )
