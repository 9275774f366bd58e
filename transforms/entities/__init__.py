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
    ids: list[str] = []
    labels: list[str] = []
    texts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    canonicals: list[str] = []
    at, n_spans = 0, len(span_article)
    common_words = weights.common_words
    for article_id, body in zip(bodies["article_id"].to_list(), bodies["body"].to_list()):
        found = []
        while at < n_spans and span_article[at] == article_id:
            s, e = span_start[at], span_end[at]
            found.append(Mention(span_label[at], s, e, body[s:e]))
            at += 1
        for m in link_article(body, found, places, common_words):
            if m.label in kept:
                ids.append(article_id)
                labels.append(m.label)
                texts.append(m.text)
                starts.append(m.start)
                ends.append(m.end)
                canonicals.append(m.canonical)
    columns = {"article_id": ids, "label": labels, "text": texts, "start_char": starts, "end_char": ends, "canonical_name": canonicals}
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
