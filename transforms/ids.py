"""Stable identifiers: the same input gives the same id in every run and on every machine."""

from __future__ import annotations

import hashlib

import polars as pl


def stable_hash(value: str) -> str:
    return hashlib.blake2b(value.encode("utf-8"), digest_size=8).hexdigest()


def _hash_series(keys: pl.Series) -> pl.Series:
    # Hash each distinct key once: entity keys repeat heavily across mentions.
    uniques = keys.unique()
    mapping = {k: (None if k is None else stable_hash(k)) for k in uniques.to_list()}
    return keys.replace_strict(mapping, return_dtype=pl.String)


def stable_id(key: pl.Expr) -> pl.Expr:
    """16-hex-char blake2b of a string expression."""
    return key.map_batches(_hash_series, return_dtype=pl.String)


def normalise_name(name: pl.Expr) -> pl.Expr:
    """Case- and space-insensitive form of a name, used to key entities."""
    return name.str.to_lowercase().str.replace_all(r"\s+", " ").str.strip_chars()


def entity_id(label: pl.Expr, canonical_name: pl.Expr) -> pl.Expr:
    return stable_id(pl.concat_str([label, pl.lit("|"), normalise_name(canonical_name)]))


def place_entity_id(place_id: pl.Expr) -> pl.Expr:
    """A resolved LOCATION's entity is its gazetteer place: one id per GeoNames id, whatever the spelling."""
    return stable_id(pl.concat_str([pl.lit("LOCATION|geonames:"), place_id.cast(pl.String)]))


def article_id(source_id: pl.Expr) -> pl.Expr:
    return stable_id(source_id)
