"""Stage 12: the kind of event a casualty claim is about (``figures.event_kind``).

``disaster``  the claim's sentence or one of the two before it names a natural or industrial disaster
              (``lexicons/disaster_cues.csv``: tsunami, earthquake, flood, cyclone, famine, gas leak,
              "the world's worst industrial disaster", ...);
NULL          no such cue (shootings, attacks, wars, and every figure that is no event count).

Validation's plausibility rules depend on it: one shooting or bombing does not kill 5,000 people, but
one earthquake or tsunami does ("the waves which killed more than 30,000 people", Bhopal's "more than
200,000 injured"), so a disaster's toll is believable up to a million.
"""

from __future__ import annotations

import polars as pl

from transforms.figures.lexicons import cue_pattern
from transforms.figures.stage import Batch, stage

CASUALTIES = ("KILL", "WOUND", "SHOOT", "MISSING", "DISPLACE", "EVACUATE", "AFFECT", "RESCUE")
SENTENCES_BEFORE = 2  # a disaster named this many sentences before the claim still frames it


@stage(requires=("article_id", "sentence_no", "kind", "category"), assigns=("event_kind",))
def event_kinds(figures: pl.DataFrame, batch: Batch) -> pl.DataFrame:
    """``event_kind`` of every casualty count (``disaster`` or null)."""
    claim = (pl.col("kind") == "COUNT") & pl.col("category").is_in(CASUALTIES)
    claims = figures.filter(claim).select("article_id", "sentence_no").unique()
    if claims.is_empty():
        return figures.with_columns(pl.lit(None, pl.String).alias("event_kind"))
    # Only the sentences that can frame a claim: its own and the two before it.
    wanted = (
        claims.with_columns(pl.int_ranges(pl.col("sentence_no") - SENTENCES_BEFORE, pl.col("sentence_no") + 1).alias("cue_no"))
        .explode("cue_no")
    )
    cues = (
        batch.sentences.join(wanted.select("article_id", "cue_no").unique(), left_on=["article_id", "sentence_no"], right_on=["article_id", "cue_no"])
        .filter(pl.col("sentence").str.contains(cue_pattern("disaster_cues")))
        .select("article_id", pl.col("sentence_no").alias("cue_no"))
    )
    framed = wanted.join(cues, on=["article_id", "cue_no"]).select("article_id", "sentence_no").unique().with_columns(
        pl.lit("disaster").alias("framed_as")
    )
    return (
        figures.join(framed, on=["article_id", "sentence_no"], how="left")
        .with_columns(pl.when(claim).then(pl.col("framed_as")).alias("event_kind"))
        .drop("framed_as")
    )
