"""The figures extractor is a chain of stages that each declare the columns they read and add."""

from __future__ import annotations

import polars as pl
import pytest

from tests.test_figures import seed_body, seed_mentions
from transforms.figures.extract import STAGES
from transforms.figures.numbers import sentences
from transforms.figures.stage import Batch, Stage, missing_columns, stage

# Articles that make every stage do its work: a list of named victims, "another", an implicit victim
# resolved by name, a shot victim reported dead elsewhere, money, dates, and attributed claims (the seed).
BODIES = {
    "a1": seed_body(),
    "a2": (
        "A gunman fatally shot Quintonio LeGrier, 19, and LeGrier's neighbor Bettie Jones, 55, on Dec. 26, 2015. "
        "One man was declared dead, and another man died at the hospital. LeGrier was killed at home. "
        "Two men and a woman were shot; 3 suspects were arrested and $5 million was seized."
    ),
    "a3": "A man was shot on Tuesday in Chicago. The homicide is under investigation.",
}


def batch() -> Batch:
    articles = pl.DataFrame({"article_id": list(BODIES), "body": list(BODIES.values())})
    mentions = seed_mentions(BODIES["a1"])
    return Batch(articles, sentences(articles), mentions)


def stage_inputs() -> list[tuple[Stage, pl.DataFrame]]:
    """Each stage with the frame it gets in a run over ``BODIES``."""
    given = batch()
    figures = pl.DataFrame()
    inputs = []
    for step in STAGES:
        inputs.append((step, figures))
        figures = step(figures, given)
    return inputs


def test_every_column_a_stage_reads_was_added_before_it():
    assert missing_columns(STAGES) == []


def test_the_chain_check_names_the_stage_and_the_column_that_was_never_added():
    @stage(requires=("value",), assigns=("doubled",))
    def doubled(figures, batch):
        return figures.with_columns((pl.col("value") * 2).alias("doubled"))

    @stage(requires=("doubled", "category"), assigns=())
    def reader(figures, batch):
        return figures

    assert missing_columns([doubled, reader], given=["value"]) == [("reader", "category")]


@pytest.mark.parametrize("position", range(len(STAGES)), ids=[step.name for step in STAGES])
def test_a_stage_runs_on_the_columns_it_requires_and_adds_only_what_it_assigns(position):
    step, figures = stage_inputs()[position]
    given = batch()
    # Only the declared columns: a stage that reads anything else fails with ColumnNotFoundError.
    narrowed = step(figures.select(step.requires), given)
    assert set(narrowed.columns) - set(step.requires) <= set(step.assigns)
    assert set(step.assigns) <= set(narrowed.columns)
    assert not narrowed.is_empty()
    # On the full frame, the stage adds exactly what it assigns.
    full = step(figures, given)
    assert set(full.columns) - set(figures.columns) <= set(step.assigns)


def test_stages_return_the_same_figures_on_their_required_columns_as_on_the_full_frame():
    given = batch()
    for step, figures in stage_inputs():
        narrowed = step(figures.select(step.requires), given)
        full = step(figures, given).select(narrowed.columns)
        assert narrowed.equals(full), step.name
