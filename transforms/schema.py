"""The frames that pass between pipeline stages, as polars schemas.

Every transform is a pure function from frames of these shapes to frames of
these shapes. Offsets are Python string indices into ``body``, end exclusive,
so ``body[start_char:end_char] == text`` always holds.
"""

from __future__ import annotations

import polars as pl

ARTICLES = pl.Schema(
    {
        "article_id": pl.String,  # 16 hex chars, stable hash of source_id
        "source_id": pl.String,
        "title": pl.String,
        "body": pl.String,
        "published_date": pl.Date,
        "url": pl.String,
        "content_sha256": pl.String,
    }
)

# Output of transforms.entities.extract_mentions
MENTIONS = pl.Schema(
    {
        "article_id": pl.String,
        "label": pl.String,  # PERSON | ORG | LOCATION
        "text": pl.String,
        "start_char": pl.Int64,
        "end_char": pl.Int64,
        "canonical_name": pl.String,  # the full form this mention links to in its article
        "entity_id": pl.String,  # stable across articles: transforms.ids.entity_id(label, canonical_name)
    }
)

# Output of transforms.places.resolve_places (mentions gain usage and place_id)
PLACED_MENTIONS = pl.Schema(
    {
        **MENTIONS,
        "usage": pl.String,  # literal | embedded | demonym
        "place_id": pl.Int64,  # GeoNames id, null when unresolved or not a LOCATION
    }
)

PLACES = pl.Schema(
    {
        "place_id": pl.Int64,
        "name": pl.String,
        "feature_type": pl.String,  # country | admin1 | admin2 | city | ...
        "country_code": pl.String,  # ISO 3166-1 alpha-2
        "admin1": pl.String,  # admin1 name
        "latitude": pl.Float64,
        "longitude": pl.Float64,
        "population": pl.Int64,
    }
)

# Output of transforms.places.resolve_places_and_outlets: one row per article with an outlet
# (the registered domain of its url), and the first-level division the article is local to
OUTLET_VOTES = pl.Schema(
    {
        "article_id": pl.String,
        "domain": pl.String,
        "country_code": pl.String,  # null: the article is local to no one division
        "admin1": pl.String,
        "latitude": pl.Float64,  # the division's point
        "longitude": pl.Float64,
    }
)

# Output of transforms.figures.extract_figures
FIGURES = pl.Schema(
    {
        "article_id": pl.String,
        "kind": pl.String,  # COUNT | MONEY | PERCENT | YEAR | DATE | QUANTITY
        "category": pl.String,  # KILL | WOUND | ARREST | ... for event counts, else null
        "value": pl.Float64,
        "value_max": pl.Float64,  # upper bound of a range, else null
        "qualifier": pl.String,  # at least | more than | about | up to | nearly | null
        "unit": pl.String,  # ISO 4217 for MONEY, '%' for PERCENT, null otherwise
        "object": pl.String,  # what is counted: "cartel members"
        "text": pl.String,
        "start_char": pl.Int64,
        "end_char": pl.Int64,
        "source_entity_id": pl.String,  # who stated it, when the sentence says so
        "scope": pl.String,  # incident | other_event | aggregate | hypothetical for event counts, else null
        "additive": pl.Boolean,  # a COUNT of people beyond the claim it follows ("three other ..."), else null
        "role": pl.String,  # victim | perpetrator | officer when the text says who was counted, else null
        "event_kind": pl.String,  # disaster when a casualty count is framed by one (tsunami, earthquake), else null
    }
)


def empty(schema: pl.Schema) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)


def conform(frame: pl.DataFrame, schema: pl.Schema) -> pl.DataFrame:
    """Select and cast ``frame`` to ``schema``; missing columns become nulls."""
    return frame.select(
        [
            (pl.col(name) if name in frame.columns else pl.lit(None)).cast(dtype).alias(name)
            for name, dtype in schema.items()
        ]
    )
