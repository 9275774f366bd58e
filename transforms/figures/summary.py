"""Stage 12: what the casualty summary needs to know of each claim, as explicit columns.

``additive``: the claim counts people beyond the claim it follows, not the same people again. Its text
says so (other, others, additional, another, more: "three other cartel members", "Oseguera and two
others", "another man"), or it is a reflexive ("before killing himself": the one who killed the others
is one more). ``article_casualties`` adds additive claims to the group they follow and takes the largest
of standalone claims, which restate one toll.
"""

from __future__ import annotations

import polars as pl

from transforms.figures.stage import Batch, stage

ADDITIVE = r"(?i)\b(?:other|others|additional|another|more|himself|herself)\b"


@stage(requires=("kind", "text"), assigns=("additive",))
def additivity(figures: pl.DataFrame, batch: Batch) -> pl.DataFrame:
    """``additive`` for every COUNT (null for other kinds)."""
    return figures.with_columns(
        pl.when(pl.col("kind") == "COUNT").then(pl.col("text").str.contains(ADDITIVE)).alias("additive")
    )
