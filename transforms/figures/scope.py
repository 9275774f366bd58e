"""Stage 11: which event a casualty claim is about (``figures.scope``).

``incident``      this article's event: the only scope ``article_casualties`` sums;
``other_event``   an earlier or separate incident the article mentions ("In 1989, ... was gunned down");
``aggregate``     totals over periods or places ("the 40th homicide this year", "12,000 died in the war");
``hypothetical``  what could, would or nearly happen ("threatened to kill", "could kill 50 people").

The cues stage found the event (``event_category``) and why it is not this article's incident
(``scope_cue``); a count keeps its category in every scope, so ``figures`` holds every claim and the
views choose the scopes they sum. Figures that are no event count (money, dates, ages) have no scope.
"""

from __future__ import annotations

import polars as pl

from transforms.figures.stage import Batch, stage

SCOPES = ("incident", "other_event", "aggregate", "hypothetical")


@stage(requires=("kind", "category", "event_category", "scope_cue"), assigns=("scope", "category"))
def scope(figures: pl.DataFrame, batch: Batch) -> pl.DataFrame:
    """The scope of every event count; counts of other scopes keep their event's category."""
    count = pl.col("kind") == "COUNT"
    elsewhere = count & pl.col("category").is_null() & pl.col("event_category").is_not_null() & pl.col("scope_cue").is_not_null()
    return figures.with_columns(
        pl.when(count & pl.col("category").is_not_null()).then(pl.lit("incident"))
        .when(elsewhere).then(pl.col("scope_cue"))
        .alias("scope"),
        pl.when(elsewhere).then(pl.col("event_category")).otherwise(pl.col("category")).alias("category"),
    )
