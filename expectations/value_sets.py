"""Named value sets that suites refer to as "$name", resolved at validation time."""

from __future__ import annotations

from functools import cache

import pycountry


@cache
def iso_3166_alpha2() -> list[str]:
    # XK: Kosovo's user-assigned code, used by GeoNames.
    return sorted({country.alpha_2 for country in pycountry.countries} | {"XK"})


@cache
def figure_categories() -> list[str]:
    from transforms.figures import CATEGORIES

    return sorted(set(CATEGORIES))


VALUE_SETS = {"iso_3166_alpha2": iso_3166_alpha2, "figure_categories": figure_categories}


def resolve(value):
    if isinstance(value, str) and value.startswith("$"):
        return VALUE_SETS[value[1:]]()
    return value
