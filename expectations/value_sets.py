"""Named value sets that suites refer to as "$name", resolved at validation time."""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

import pycountry


@cache
def iso_3166_alpha2() -> list[str]:
    # XK: Kosovo's user-assigned code, used by GeoNames.
    return sorted({country.alpha_2 for country in pycountry.countries} | {"XK"})


@cache
def figure_categories() -> list[str]:
    """The event categories of ``transforms.figures.CATEGORIES``, read from their lexicon file with the csv module:
    the validator process (``flows.validator``) then imports neither the figures extractor nor polars."""
    with resources.files("transforms").joinpath("figures", "lexicons", "categories.csv").open(encoding="utf-8") as rows:
        return sorted({row["category"] for row in csv.DictReader(rows)})


VALUE_SETS = {"iso_3166_alpha2": iso_3166_alpha2, "figure_categories": figure_categories}


def resolve(value):
    if isinstance(value, str) and value.startswith("$"):
        return VALUE_SETS[value[1:]]()
    return value
