"""Figures in article bodies: the chain of stages, each a pure frame -> frame function in its own module.

==============================  ==================================================================
stage (module)                  what it adds
==============================  ==================================================================
candidates (numbers)            every number-like span of a sentence, its parts and shape
values (numbers)                the number a candidate states; dates as yyyymmdd
objects (numbers)               what a count counts ("three other cartel members")
categories (cues)               the event a count belongs to (KILL, WOUND, ...) from its clause
coordinated_victims (grouping)  a list of people under one verb is one claim counting them all
contrastive_another (grouping)  "another man" after a non-casualty is no one beyond the toll
kinds (kinds)                   COUNT / MONEY / PERCENT / YEAR / DATE / QUANTITY, unit, text
counted_things (context)        a count of shipments, years or cases is no casualty
victim_names (grouping)         who an implicit singular is: a person's name or a person noun
victim_outcomes (grouping)      a single shot victim in an article that says someone died is killed
sport_context (context)         "injured", "booked" in a sports article are no casualties
natural_deaths (context)        a death told with nothing that harms (an obituary) is no casualty
natural_causes (context)        a death the article puts down to natural causes is no casualty
illnesses (context)             a death or injury told as an illness (flu, infection) is no casualty
fiction (context)               what happens in a film, a novel or a soap happens to no one
dated_before_article (dates)    a casualty dated more than a week before its article is another event's
scope (scope)                   incident / other_event / aggregate / hypothetical, for event counts
event_kinds (events)            ``disaster`` when an earthquake, tsunami, flood ... frames the claim
additivity (summary)            whether a claim adds people to the claim it follows (``additive``)
roles (summary)                 victim / perpetrator / officer when the text says who was counted
attribution (attribution)       body offsets, and the entity the sentence attributes the figure to
place_names (context)           a name the entity tagger calls a place is no victim
==============================  ==================================================================

Each stage declares the columns it reads and adds (``transforms.figures.stage``);
``tests/test_figures_stages.py`` checks that every column a stage reads was added before it.
"""

from __future__ import annotations

import polars as pl

from transforms.figures.attribution import attribution
from transforms.figures.context import (
    counted_things,
    fiction,
    illnesses,
    natural_causes,
    natural_deaths,
    place_names,
    sport_context,
)
from transforms.figures.cues import categories
from transforms.figures.dates import dated_before_article
from transforms.figures.events import event_kinds
from transforms.figures.grouping import contrastive_another, coordinated_victims, victim_names, victim_outcomes
from transforms.figures.kinds import kinds
from transforms.figures.numbers import candidates, objects, sentences, values
from transforms.figures.scope import scope
from transforms.figures.stage import Batch, Stage
from transforms.figures.summary import additivity, roles
from transforms.schema import FIGURES, conform, empty

STAGES: tuple[Stage, ...] = (
    candidates,
    values,
    objects,
    categories,
    coordinated_victims,
    contrastive_another,
    kinds,
    counted_things,
    victim_names,
    victim_outcomes,
    sport_context,
    natural_deaths,
    natural_causes,
    illnesses,
    fiction,
    dated_before_article,
    scope,
    event_kinds,
    additivity,
    roles,
    attribution,
    place_names,
)


def extract_figures(articles: pl.DataFrame, mentions: pl.DataFrame) -> pl.DataFrame:
    """All figures in ``articles`` (ARTICLES frame), attributed with ``mentions`` (MENTIONS frame)."""
    if articles.is_empty():
        return empty(FIGURES)
    batch = Batch(articles, sentences(articles), mentions)
    figures = empty(pl.Schema())
    for step in STAGES:
        figures = step(figures, batch)
        if figures.is_empty():
            return empty(FIGURES)
    return conform(figures.sort("article_id", "start_char"), FIGURES)
