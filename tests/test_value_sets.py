"""Named value sets of the expectation suites: read without the extractors, equal to what the extractors use."""

from __future__ import annotations

from expectations.value_sets import figure_categories, resolve


def test_the_figure_categories_value_set_is_the_figures_taxonomy_read_from_its_lexicon():
    from transforms.figures import CATEGORIES

    assert figure_categories() == sorted(set(CATEGORIES))
    assert resolve("$figure_categories") == figure_categories()
    assert {"KILL", "WOUND", "SHOOT", "CHARGE", "RESCUE"} <= set(figure_categories())
