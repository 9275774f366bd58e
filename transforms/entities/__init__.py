"""PERSON / ORG / LOCATION mentions in article bodies, linked within each article.

``extract_mentions`` tags tokens with a CRF (``crf.py``, weights in
``transforms/models/``), turns tags into spans (``tagger.py``) and links short
forms, nicknames, acronyms and misspellings to full names (``linking.py``),
article by article: its output for an article does not depend on the other
articles it is called with. ``link_across_articles`` (``across.py``) then links
the mentions of a whole run at once, so entity ids do not depend on batching.
"""

from __future__ import annotations

import polars as pl

from transforms.entities.across import link_across_articles
from transforms.entities.crf import CrfWeights, default_weights
from transforms.entities.kinds import refine_kinds
from transforms.entities.linking import Mention, link_article
from transforms.entities.tagger import predict_labels, spans_from_tags
from transforms.ids import entity_id
from transforms.schema import MENTIONS, conform, empty
from transforms.tokens import tokenize

__all__ = ["extract_mentions", "link_across_articles"]

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
    common_words = weights.common_words
    linked: list[tuple[str, Mention]] = []
    at, n_spans = 0, len(span_article)
    for article_id, body in zip(bodies["article_id"].to_list(), bodies["body"].to_list()):
        end = at
        while end < n_spans and span_article[end] == article_id:
            end += 1
        found = [Mention(label, s, e, body[s:e]) for label, s, e in zip(span_label[at:end], span_start[at:end], span_end[at:end])]
        at = end
        linked += [(article_id, m) for m in link_article(body, found, places, common_words) if m.label in kept]
    columns = {
        "article_id": [article_id for article_id, _ in linked],
        "label": [m.label for _, m in linked],
        "text": [m.text for _, m in linked],
        "start_char": [m.start for _, m in linked],
        "end_char": [m.end for _, m in linked],
        "canonical_name": [m.canonical for _, m in linked],
    }
    frame = pl.DataFrame(
        columns,
        schema={
            "article_id": pl.String, "label": pl.String, "text": pl.String,
            "start_char": pl.Int64, "end_char": pl.Int64, "canonical_name": pl.String,
        },
    )  # fmt: skip
    frame = refine_kinds(frame, bodies).filter(pl.col("label").is_in(kept))
    frame = frame.with_columns(entity_id=entity_id(pl.col("label"), pl.col("canonical_name")))
    return conform(frame, MENTIONS)
