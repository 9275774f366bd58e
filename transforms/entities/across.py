"""Links across the articles of a whole run: aliases, and organisation votes.

``extract_mentions`` links mentions within each article. Two links need other
articles: an alias one article defines (``El Mencho`` for Nemesio Oseguera
Cervantes) names the same entity elsewhere, and a one-word name most articles
call an organisation is one. Made per extraction batch, they would make an
entity's id depend on which articles shared a batch; so they are made once per
run, over every staged mention (``warehouse.loader.finish_staging``).
"""

from __future__ import annotations

import polars as pl

from transforms.ids import entity_id
from transforms.tokens import ENGINE

LINKED_LABELS = ("PERSON", "ORG")


def link_across_articles(mentions: pl.DataFrame) -> pl.DataFrame:
    """``mentions`` with cross-article aliases and organisation votes applied.

    Reads ``label``, ``text``, ``canonical_name``, ``entity_id``; rewrites
    ``label``, ``canonical_name`` and, where either changed, ``entity_id``. Rows
    are kept in order; the result does not depend on their order.
    """
    if mentions.is_empty():
        return mentions
    linked = organisations_by_vote(link_aliases_across_articles(mentions))
    changed = (pl.col("label") != pl.lit(mentions["label"])) | (
        pl.col("canonical_name").ne_missing(pl.lit(mentions["canonical_name"]))
    )
    return linked.with_columns(
        entity_id=pl.when(changed).then(entity_id(pl.col("label"), pl.col("canonical_name"))).otherwise("entity_id")
    )


def organisations_by_vote(mentions: pl.DataFrame) -> pl.DataFrame:
    """A one-word name the run's articles call an organisation at least twice as often as a person
    (``Chelsea``, ``Deloitte``) is an organisation where an article left it an unlinked person.

    Reads ``label``, ``text``, ``canonical_name``; rewrites ``label``. A person
    mention linked to a full name (``Brown`` -> Gordon Brown) keeps its label.
    """
    one_word = ~pl.col("text").str.contains(r"\s") & (pl.col("text") == pl.col("canonical_name"))
    votes = (
        mentions.lazy()
        .filter(one_word)
        .group_by("text")
        .agg(people=(pl.col("label") == "PERSON").sum(), orgs=(pl.col("label") == "ORG").sum())
        .filter((pl.col("people") > 0) & (pl.col("orgs") >= 2 * pl.col("people")) & (pl.col("orgs") >= 2))
        .select("text", flip=pl.lit(True))
    )
    return (
        mentions.lazy()
        .join(votes, on="text", how="left", maintain_order="left")
        .with_columns(
            label=pl.when(pl.col("flip").fill_null(False) & one_word & (pl.col("label") == "PERSON"))
            .then(pl.lit("ORG"))
            .otherwise(pl.col("label"))
        )
        .drop("flip")
        .collect(engine=ENGINE)
    )


def link_aliases_across_articles(mentions: pl.DataFrame) -> pl.DataFrame:
    """An alias one article defines names the same entity in the run's other articles.

    Reads ``label``, ``text``, ``canonical_name``; rewrites ``label`` and
    ``canonical_name``. An alias is the text of a PERSON or ORG mention that
    shares no word with its canonical name (``El Mencho`` for Nemesio Oseguera
    Cervantes, ``CJNG`` for Jalisco New Generation Cartel), or a nickname quoted
    inside a person's name; short forms (``Oseguera``) are left out, as two
    people may share one. An alias that stands for two entities in the run
    links nowhere; a mention already linked to another name keeps it.
    """
    words = lambda c: pl.col(c).str.to_lowercase().str.split(" ")  # noqa: E731
    named = mentions.lazy().filter(pl.col("label").is_in(LINKED_LABELS))
    aliases = (
        pl.concat([
            named.filter(pl.col("text") != pl.col("canonical_name"))
            .filter(words("text").list.set_intersection(words("canonical_name")).list.len() == 0)
            .select("label", "text", "canonical_name"),
            named.filter(pl.col("label") == "PERSON")
            .select("label", pl.col("text").str.extract(r"[\"“]\s*([^\"”]+?)\s*[\"”]"), "canonical_name")
            .drop_nulls("text"),
        ])
        .group_by("text")
        .agg(pl.struct("label", "canonical_name").unique().alias("names"))
        .filter(pl.col("names").list.len() == 1)
        .select(pl.col("text").alias("canonical_name"), pl.col("names").list.first().alias("alias_of"))
    )
    return (
        mentions.lazy()
        .join(aliases, on="canonical_name", how="left", maintain_order="left")
        .with_columns(alias_of=pl.when(pl.col("label").is_in(LINKED_LABELS)).then("alias_of"))
        .with_columns(
            label=pl.coalesce(pl.col("alias_of").struct.field("label"), "label"),
            canonical_name=pl.coalesce(pl.col("alias_of").struct.field("canonical_name"), "canonical_name"),
        )
        .drop("alias_of")
        .collect(engine=ENGINE)
    )
