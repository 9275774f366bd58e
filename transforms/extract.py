"""Extraction for one batch of articles: entities, then places, then figures, with their row ids."""

from __future__ import annotations

import polars as pl

from transforms.entities import extract_mentions
from transforms.figures import extract_figures
from transforms.places import resolve_places
from transforms.schema import ARTICLES, FIGURES, PLACED_MENTIONS, PLACES, conform


def _row_id(*parts: pl.Expr) -> pl.Expr:
    return pl.concat_str([p.cast(pl.String) for p in parts], separator=":")


def extract(articles: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """Return the frames staging expects: articles, mentions, places, figures."""
    articles = articles.select(*ARTICLES.names(), "change")
    mentions = extract_mentions(articles.select(ARTICLES.names()))
    placed, places = resolve_places(articles, mentions)
    placed = conform(placed, PLACED_MENTIONS).with_columns(
        _row_id(pl.col("article_id"), pl.col("start_char"), pl.col("end_char"), pl.col("usage").str.slice(0, 1)).alias("mention_id")
    )
    figures = conform(extract_figures(articles, placed), FIGURES).with_columns(
        _row_id(pl.col("article_id"), pl.col("start_char"), pl.col("end_char"), pl.col("kind"), pl.col("category").fill_null("")).alias("figure_id")
    )
    return {
        "articles": articles,
        "mentions": placed,
        "places": conform(places, PLACES).unique("place_id", keep="first"),
        "figures": figures,
    }
