"""Token labels to entity spans: the statistical half of entity extraction."""

from __future__ import annotations

import polars as pl

from transforms.entities.crf import CrfWeights, SecondPassWeights, viterbi
from transforms.entities.context import second_pass_features
from transforms.entities.features import context_features
from transforms.tokens import ENGINE

# The tagger's CoNLL types to the warehouse labels; MISC is tagged but not kept.
TYPE_TO_LABEL = {"PER": "PERSON", "ORG": "ORG", "LOC": "LOCATION", "MISC": "MISC"}

SPANS = pl.Schema(
    {"article_id": pl.String, "label": pl.String, "start_char": pl.Int64, "end_char": pl.Int64}
)


def first_pass(tokens: pl.DataFrame, weights: CrfWeights) -> pl.DataFrame:
    """The token frame of ``features.context_features`` plus ``w`` and the first pass's BIO ``tag``."""
    frame, words = context_features(tokens, weights.lexicons)
    best = viterbi(weights.emissions(frame, words), frame["seq"].to_numpy(), weights.transitions)
    return frame.with_columns(
        pl.Series("tag", weights.labels, dtype=pl.String).gather(best), w=words["w"].gather(frame["word_id"])
    )


def revise(first: pl.DataFrame, second: SecondPassWeights) -> pl.Series:
    """The second pass's tags for a ``first_pass`` frame."""
    best = viterbi(second.emissions(second_pass_features(first)), first["seq"].to_numpy(), second.transitions)
    return pl.Series("tag", second.labels, dtype=pl.String).gather(best)


def predict_labels(tokens: pl.DataFrame, weights: CrfWeights) -> pl.DataFrame:
    """``tokens`` (schema TOKENS) plus ``seq`` and the predicted BIO ``tag``: the first pass's,
    revised in the light of the whole article when ``weights`` has a second pass (``context.py``)."""
    first = first_pass(tokens, weights)
    if weights.second_pass is not None:
        first = first.with_columns(revise(first, weights.second_pass))
    return first.select(*tokens.columns, "seq", "tag")


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
