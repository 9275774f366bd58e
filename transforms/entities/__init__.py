"""PERSON / ORG / LOCATION mentions in article bodies, linked within each article.

``extract_mentions`` tags tokens with a CRF (``crf.py``, weights in
``transforms/models/``), turns tags into spans (``tagger.py``) and links short
forms, nicknames, acronyms and misspellings to full names (``linking.py``).
"""

from __future__ import annotations

import polars as pl

from transforms.entities.crf import default_weights
from transforms.entities.linking import Mention, link_article
from transforms.entities.tagger import predict_labels, spans_from_tags
from transforms.ids import entity_id
from transforms.schema import MENTIONS, conform, empty
from transforms.tokens import tokenize

__all__ = ["extract_mentions"]

KEPT_LABELS = ("PERSON", "ORG", "LOCATION")


def extract_mentions(articles: pl.DataFrame) -> pl.DataFrame:
    """Entity mentions of ``articles`` (needs ``article_id`` and ``body``), schema MENTIONS."""
    if articles.height == 0:
        return empty(MENTIONS)
    weights = default_weights()
    bodies = articles.select("article_id", pl.col("body").fill_null(""))
    spans = spans_from_tags(predict_labels(tokenize(bodies), weights))
    places = weights.place_names
    rows: list[tuple] = []
    spans_by_article: dict[str, list[tuple[str, int, int]]] = {}
    for article_id, label, start, end in spans.iter_rows():
        spans_by_article.setdefault(article_id, []).append((label, start, end))
    for article_id, body in bodies.iter_rows():
        found = [Mention(label, s, e, body[s:e]) for label, s, e in spans_by_article.get(article_id, ())]
        for m in link_article(body, found, places):
            if m.label in KEPT_LABELS:
                rows.append((article_id, m.label, m.text, m.start, m.end, m.canonical))
    frame = pl.DataFrame(
        rows,
        schema={
            "article_id": pl.String, "label": pl.String, "text": pl.String,
            "start_char": pl.Int64, "end_char": pl.Int64, "canonical_name": pl.String,
        },
        orient="row",
    )  # fmt: skip
    frame = frame.with_columns(entity_id=entity_id(pl.col("label"), pl.col("canonical_name")))
    return conform(frame, MENTIONS)
