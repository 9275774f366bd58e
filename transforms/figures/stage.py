"""A figures stage: a pure frame -> frame function that declares the columns it reads and adds.

After spaCy's ``@Language.factory(name, requires=[...], assigns=[...])``: each stage of the extractor says
which columns of the figures frame it reads (``requires``) and which it adds or rewrites (``assigns``), so
the chain can be checked (``missing_columns``) and a stage can be read on its own.

Stages get the batch too (``Batch``: the articles, their sentences and the entity mentions), for the few
that look beyond a figure's sentence; they never change it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import polars as pl


class Batch(NamedTuple):
    """What every stage may read besides the figures frame (read only)."""

    articles: pl.DataFrame  # article_id, body; title and published_date when the feed gives them
    sentences: pl.DataFrame  # article_id, sentence_no, sentence_start, sentence
    mentions: pl.DataFrame  # MENTIONS frame (attribution)


@dataclass(frozen=True)
class Stage:
    name: str
    run: Callable[[pl.DataFrame, Batch], pl.DataFrame]
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    doc: str = ""

    def __call__(self, figures: pl.DataFrame, batch: Batch) -> pl.DataFrame:
        return self.run(figures, batch)


def stage(*, requires: Iterable[str], assigns: Iterable[str]) -> Callable[[Callable], Stage]:
    """Declare a function ``(figures, batch) -> figures`` as a stage."""

    def declare(function: Callable[[pl.DataFrame, Batch], pl.DataFrame]) -> Stage:
        return Stage(function.__name__, function, tuple(requires), tuple(assigns), (function.__doc__ or "").strip())

    return declare


def missing_columns(stages: Sequence[Stage], given: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(stage, column) for every column a stage reads that neither ``given`` nor an earlier stage adds."""
    available = set(given)
    missing = []
    for step in stages:
        missing += [(step.name, column) for column in step.requires if column not in available]
        available |= set(step.assigns)
    return missing
