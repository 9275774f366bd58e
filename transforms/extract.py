"""Extraction for one batch of articles: entities, then places, then figures, with their row ids."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext

import polars as pl

from transforms.entities import extract_mentions
from transforms.figures import extract_figures
from transforms.ids import place_entity_id
from transforms.places import resolve_places_and_outlets
from transforms.places.outlets import OUTLET_PRIORS
from transforms.schema import ARTICLES, FIGURES, OUTLET_VOTES, PLACED_MENTIONS, PLACES, conform


def _row_id(*parts: pl.Expr) -> pl.Expr:
    return pl.concat_str([p.cast(pl.String) for p in parts], separator=":")


def _places_as_entities(mentions: pl.DataFrame, places: pl.DataFrame) -> pl.DataFrame:
    """Resolved LOCATION mentions take their place as entity: "US", "United States" and the
    misspelt "Talpalpa" become one entity each per GeoNames place, named as the gazetteer names it."""
    names = places.select(pl.col("place_id").cast(pl.Int64), pl.col("name").alias("place_name")).unique("place_id")
    resolved = (pl.col("label") == "LOCATION") & pl.col("place_id").is_not_null() & pl.col("place_name").is_not_null()
    return (
        mentions.with_columns(pl.col("place_id").cast(pl.Int64))
        .join(names, on="place_id", how="left")
        .with_columns(
            pl.when(resolved).then(pl.col("place_name")).otherwise(pl.col("canonical_name")).alias("canonical_name"),
            pl.when(resolved).then(place_entity_id(pl.col("place_id"))).otherwise(pl.col("entity_id")).alias("entity_id"),
        )
        .drop("place_name")
    )


def _untimed(stage: str) -> AbstractContextManager:
    return nullcontext()


def extract(articles: pl.DataFrame, timed: Callable[[str], AbstractContextManager] = _untimed) -> dict[str, pl.DataFrame]:
    """Return the frames staging expects: articles, mentions, places, figures, outlet_votes.

    ``articles`` may carry the ``OUTLET_PRIORS`` columns (the home of each article's outlet as the
    warehouse knows it): the geoparser then uses them.

    ``timed(stage)`` wraps each stage (entities, places, figures), so a caller can measure them.
    """
    priors = [name for name in OUTLET_PRIORS.names() if name in articles.columns]
    with_priors = articles.select(*ARTICLES.names(), *priors)
    articles = articles.select(*ARTICLES.names(), "change")
    with timed("entities"):
        # MISC spans ("U.S. Open", "PGA Tour") are not published, but the geoparser must see
        # them so that it does not pin the places inside them.
        mentions = extract_mentions(articles.select(ARTICLES.names()), keep_misc=True)
    with timed("places"):
        placed, places, outlet_votes = resolve_places_and_outlets(with_priors, mentions)
    placed = conform(_places_as_entities(placed.filter(pl.col("label") != "MISC"), places), PLACED_MENTIONS).with_columns(
        _row_id(pl.col("article_id"), pl.col("start_char"), pl.col("end_char"), pl.col("usage").str.slice(0, 1)).alias("mention_id")
    )
    with timed("figures"):
        found = extract_figures(articles, placed)
    figures = conform(found, FIGURES).with_columns(
        _row_id(pl.col("article_id"), pl.col("start_char"), pl.col("end_char"), pl.col("kind"), pl.col("category").fill_null("")).alias("figure_id")
    )
    return {
        "articles": articles,
        "mentions": placed,
        "places": conform(places, PLACES).unique("place_id", keep="first"),
        "figures": figures,
        "outlet_votes": conform(outlet_votes, OUTLET_VOTES),
    }
