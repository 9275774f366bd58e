"""Stage 10: who states a figure.

``attribution``: in the figure's sentence, the PERSON or ORG mention nearest a speech cue ("said", "told",
"according to", ...), at most 3 characters before it or 6 after it, becomes ``source_entity_id``; a definite
description next to the cue ("according to the secretariat") names the article's organisation or person
whose name holds that word. Also sets the figure's offsets in the body (``start_char``, ``end_char``).
"""

from __future__ import annotations

import polars as pl

from transforms.figures.lexicons import patterns
from transforms.figures.numbers import chunk_offsets
from transforms.figures.stage import Batch, stage
from transforms.schema import MENTIONS, conform

ATTRIBUTION_BEFORE = 3  # chars between a mention and a following cue: "Leavitt said", "X, said"
ATTRIBUTION_AFTER = 6  # chars between a cue and a following mention: "according to the secretariat"


@stage(
    requires=("article_id", "sentence_no", "sentence_start", "local_start", "local_end"),
    assigns=("start_char", "end_char", "source_entity_id"),
)
def attribution(figures: pl.DataFrame, batch: Batch) -> pl.DataFrame:
    """Body offsets of each figure and the entity its sentence attributes it to."""
    sents, mentions = batch.sentences, batch.mentions
    figures = figures.with_columns(
        (pl.col("sentence_start") + pl.col("local_start")).alias("start_char"),
        (pl.col("sentence_start") + pl.col("local_end")).alias("end_char"),
    )
    if mentions.is_empty():
        return figures.with_columns(pl.lit(None, pl.String).alias("source_entity_id"))
    cue = patterns()["cue"]
    cue_terms = patterns()["cue_terms"]
    spans = figures.select("article_id", "sentence_no").unique()
    cues = chunk_offsets(
        sents.join(spans, on=["article_id", "sentence_no"]), "sentence", rf"(?is).*?{cue}", ["article_id", "sentence_no"], "cue"
    ).with_columns(
        (pl.col("sentence_start") + pl.col("cue_end")).alias("cue_end"),
        (pl.col("sentence_start") + pl.col("cue_end") - pl.col("cue").str.extract(rf"(?i)({cue_terms})$", 1).str.len_chars()).alias("cue_start"),
    )
    # Only people and organisations speak: "... to Mexico City, according to the secretariat" is not the city's claim.
    speaking = conform(mentions, MENTIONS).filter(pl.col("label").is_in(["PERSON", "ORG"]))
    speakers = (
        cues.select("article_id", "sentence_no", "sentence_start", "sentence", "cue_start", "cue_end")
        .join(speaking.select("article_id", "start_char", "end_char", "entity_id"), on="article_id")
        .with_columns(
            pl.when(pl.col("end_char") <= pl.col("cue_start"))
            .then(pl.col("cue_start") - pl.col("end_char"))
            .when(pl.col("start_char") >= pl.col("cue_end"))
            .then(pl.col("start_char") - pl.col("cue_end"))
            .alias("distance"),
            (pl.col("end_char") <= pl.col("cue_start")).alias("before_cue"),
        )
        .filter(
            pl.col("start_char") >= pl.col("sentence_start"),
            pl.col("end_char") <= pl.col("sentence_start") + pl.col("sentence").str.len_chars(),
            pl.when(pl.col("before_cue"))
            .then(pl.col("distance") <= ATTRIBUTION_BEFORE)
            .otherwise(pl.col("distance") <= ATTRIBUTION_AFTER),
        )
        .sort("distance", "start_char")
        .group_by("article_id", "sentence_no")
        .agg(pl.col("entity_id").first().alias("source_entity_id"))
    )
    described = _described_speakers(cues, speaking)
    return figures.join(
        pl.concat([speakers, described.join(speakers, on=["article_id", "sentence_no"], how="anti")]),
        on=["article_id", "sentence_no"], how="left",
    )


def _described_speakers(cues: pl.DataFrame, speaking: pl.DataFrame) -> pl.DataFrame:
    """'according to the secretariat', 'the ministry said': a definite description next to the cue
    names the article's organisation or person whose name holds that word (Secretariat of National Defence)."""
    local_start = pl.col("cue_start") - pl.col("sentence_start")
    local_end = pl.col("cue_end") - pl.col("sentence_start")
    head = (
        cues.with_columns(
            pl.coalesce(
                pl.col("sentence").str.slice(local_end, 40).str.extract(r"^\s+the\s+([A-Za-z]{4,})\b", 1),
                pl.col("sentence").str.slice(0, local_start).str.extract(r"\bthe\s+([A-Za-z]{4,})\s*,?\s*$", 1),
            ).str.to_lowercase().alias("head")
        )
        .filter(pl.col("head").is_not_null())
        .select("article_id", "sentence_no", "head")
    )
    names = speaking.select(
        "article_id", "entity_id", pl.col("canonical_name").str.to_lowercase().str.extract_all(r"[a-z]+").alias("word")
    ).explode("word").unique()
    return (
        head.join(names, left_on=["article_id", "head"], right_on=["article_id", "word"])
        .group_by("article_id", "sentence_no")
        .agg(pl.col("entity_id").sort().first().alias("source_entity_id"), pl.col("entity_id").n_unique().alias("n"))
        .filter(pl.col("n") == 1)  # ambiguous descriptions name nobody
        .drop("n")
    )
