"""PERSON / ORG / LOCATION mentions in article bodies, linked within each article.

``extract_mentions`` tags tokens with a CRF (``crf.py``, weights in
``transforms/models/``), turns tags into spans (``tagger.py``) and links short
forms, nicknames, acronyms and misspellings to full names (``linking.py``).
"""

from __future__ import annotations

import polars as pl

from transforms.entities.crf import CrfWeights, default_weights
from transforms.entities.linking import Mention, link_article
from transforms.entities.tagger import predict_labels, spans_from_tags
from transforms.ids import entity_id
from transforms.schema import MENTIONS, conform, empty
from transforms.tokens import ENGINE, tokenize

__all__ = ["extract_mentions", "link_aliases_across_articles", "organisations_by_batch_vote"]

KEPT_LABELS = ("PERSON", "ORG", "LOCATION")


def extract_mentions(articles: pl.DataFrame, keep_misc: bool = False, weights: CrfWeights | None = None) -> pl.DataFrame:
    """Entity mentions of ``articles`` (needs ``article_id`` and ``body``), schema MENTIONS.

    ``keep_misc`` also returns the tagger's MISC spans (label "MISC": events,
    nationalities, titles such as "U.S. Open"), for stages that must not find
    names inside them; they are not warehouse mentions.
    """
    kept = (*KEPT_LABELS, "MISC") if keep_misc else KEPT_LABELS
    if articles.height == 0:
        return empty(MENTIONS)
    weights = weights or default_weights()
    bodies = articles.select("article_id", pl.col("body").fill_null(""))
    spans = spans_from_tags(predict_labels(tokenize(bodies), weights))
    places = weights.place_names
    # spans come in reading order, articles in input order: walk both lists together
    span_article, span_label = spans["article_id"].to_list(), spans["label"].to_list()
    span_start, span_end = spans["start_char"].to_list(), spans["end_char"].to_list()
    columns: dict[str, list] = {name: [] for name in ("article_id", "label", "text", "start_char", "end_char", "canonical_name")}
    at, n_spans = 0, len(span_article)
    for article_id, body in zip(bodies["article_id"].to_list(), bodies["body"].to_list()):
        found = []
        while at < n_spans and span_article[at] == article_id:
            s, e = span_start[at], span_end[at]
            found.append(Mention(span_label[at], s, e, body[s:e]))
            at += 1
        for m in link_article(body, found, places, weights.common_words):
            if m.label in kept:
                for name, value in zip(columns, (article_id, m.label, m.text, m.start, m.end, m.canonical)):
                    columns[name].append(value)
    frame = pl.DataFrame(
        columns,
        schema={
            "article_id": pl.String, "label": pl.String, "text": pl.String,
            "start_char": pl.Int64, "end_char": pl.Int64, "canonical_name": pl.String,
        },
    )  # fmt: skip
    frame = organisations_by_batch_vote(link_aliases_across_articles(frame))
    frame = frame.with_columns(entity_id=entity_id(pl.col("label"), pl.col("canonical_name")))
    return conform(frame, MENTIONS)


def organisations_by_batch_vote(mentions: pl.DataFrame) -> pl.DataFrame:
    """A one-word name the batch's articles call an organisation at least twice as often as a person
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
    """An alias one article defines names the same entity in the batch's other articles.

    Reads ``label``, ``text``, ``canonical_name``; rewrites ``label`` and
    ``canonical_name``. An alias is the text of a PERSON or ORG mention that
    shares no word with its canonical name (``El Mencho`` for Nemesio Oseguera
    Cervantes, ``CJNG`` for Jalisco New Generation Cartel), or a nickname quoted
    inside a person's name; short forms (``Oseguera``) are left out, as two
    people may share one. An alias that stands for two entities in the batch
    links nowhere; a mention already linked to another name keeps it.
    """
    words = lambda c: pl.col(c).str.to_lowercase().str.split(" ")  # noqa: E731
    named = mentions.lazy().filter(pl.col("label").is_in(["PERSON", "ORG"]))
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
        .with_columns(
            label=pl.coalesce(pl.col("alias_of").struct.field("label"), "label"),
            canonical_name=pl.coalesce(pl.col("alias_of").struct.field("canonical_name"), "canonical_name"),
        )
        .drop("alias_of")
        .collect(engine=ENGINE)
    )
