"""Token labels to entity spans: the statistical half of entity extraction."""

from __future__ import annotations

import polars as pl

from transforms.entities.crf import CrfWeights, viterbi
from transforms.entities.features import context_features
from transforms.tokens import ENGINE

# The tagger's CoNLL types to the warehouse labels; MISC is tagged but not kept.
TYPE_TO_LABEL = {"PER": "PERSON", "ORG": "ORG", "LOC": "LOCATION", "MISC": "MISC"}

SPANS = pl.Schema(
    {"article_id": pl.String, "label": pl.String, "start_char": pl.Int64, "end_char": pl.Int64}
)


def predict_labels(tokens: pl.DataFrame, weights: CrfWeights) -> pl.DataFrame:
    """``tokens`` (schema TOKENS) plus ``seq`` and the predicted BIO ``tag``."""
    frame, words = context_features(tokens, weights.lexicons)
    scores = weights.emissions(frame, words)
    best = viterbi(scores, frame["seq"].to_numpy(), weights.transitions)
    labels = weights.labels
    if weights.second is not None:  # document context: a second pass reads the first one's labels
        best = viterbi(weights.second.emissions(frame, scores, labels, best), frame["seq"].to_numpy(), weights.transitions)
    return frame.select(*tokens.columns, "seq", pl.Series("tag", labels, dtype=pl.String).gather(best))


def spans_from_tags(tagged: pl.DataFrame) -> pl.DataFrame:
    """Entity spans from BIO tags; an I- that does not continue its type opens a new entity."""
    kind = pl.col("tag").str.slice(2)
    previous_kind = pl.when(pl.col("seq") == pl.col("seq").shift(1)).then(kind.shift(1))
    opens = (pl.col("tag") != "O") & (pl.col("tag").str.starts_with("B-") | (previous_kind.fill_null("") != kind))
    return (
        tagged.lazy()
        .with_columns(kind=kind, entity=opens.cum_sum())
        .filter(pl.col("tag") != "O")
        .group_by("entity")
        .agg(
            pl.col("article_id").first(),
            pl.col("kind").first(),
            pl.col("start_char").min(),
            pl.col("end_char").max(),
        )
        .sort("entity")
        .select(
            "article_id",
            pl.col("kind").replace_strict(TYPE_TO_LABEL, return_dtype=pl.String).alias("label"),
            "start_char",
            "end_char",
        )
        .collect(engine=ENGINE)
    )
