"""Stage timings of a run, and the extraction of one batch in whatever process runs it.

Deliberately free of Prefect: extraction worker processes import this module and
the extractors only, which keeps them small and quick to start.

Stages overlap (workers extract while the flow reads and loads), so a stage's
``wall_seconds`` is its busy time summed over batches, not a slice of the run's wall time.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import polars as pl

from transforms.readers.settings import whole_number

STAGES = ("fingerprint", "read", "parse", "classify", "extract_entities", "extract_places", "extract_figures",
          "load_staging", "validate", "publish", "report")


@dataclass
class StageTiming:
    calls: int = 0
    articles: int = 0
    wall_seconds: float = 0.0
    cpu_seconds: float = 0.0  # CPU of the process that ran the stage, all its threads (polars and DuckDB work in their own)

    def add(self, other: "StageTiming") -> None:
        self.calls += other.calls
        self.articles += other.articles
        self.wall_seconds += other.wall_seconds
        self.cpu_seconds += other.cpu_seconds


@dataclass
class StageClock:
    stages: dict[str, StageTiming] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str, articles: int = 0) -> Iterator[StageTiming]:
        """Time the block as ``name``; the yielded timing's ``articles`` may be set inside it."""
        timing = StageTiming(calls=1, articles=articles)
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            yield timing
        finally:
            timing.wall_seconds = time.perf_counter() - wall
            timing.cpu_seconds = time.process_time() - cpu
            self.stages.setdefault(name, StageTiming()).add(timing)

    def merge(self, other: "StageClock") -> None:
        for name, timing in other.stages.items():
            self.stages.setdefault(name, StageTiming()).add(timing)

    def rows(self) -> list[tuple[str, int, int, float, float]]:
        order = {name: i for i, name in enumerate(STAGES)}
        return [(name, t.calls, t.articles, t.wall_seconds, t.cpu_seconds)
                for name, t in sorted(self.stages.items(), key=lambda item: order.get(item[0], len(order)))]


def extract_timed(articles: pl.DataFrame, spill: Spill | None = None) -> tuple[dict[str, pl.DataFrame | int], StageClock]:
    """Extract one batch, timing entities, places and figures (runs in any process).

    Returns the batch's frames, or with ``spill`` writes them to its Parquet files and
    returns their row counts: the flow then loads every batch with one insert per table
    instead of receiving, deserialising and inserting each batch's frames.
    """
    from transforms.extract import extract

    clock = StageClock()
    frames = extract(articles, timed=lambda stage: clock.stage(f"extract_{stage}", articles.height))
    if spill is None:
        return frames, clock
    with clock.stage("load_staging", articles.height):
        spill.write(frames)
    return {name: frame.height for name, frame in frames.items()}, clock


@dataclass(frozen=True)
class Spill:
    """Where one batch's extracted frames go as Parquet: ``{directory}/{table}-{batch:06d}.parquet``.

    Batch numbers follow submission order, so loading the files in name order stages rows
    in the order the in-memory path would.
    """

    directory: str
    batch: int

    def path(self, table: str) -> str:
        return os.path.join(self.directory, f"{table}-{self.batch:06d}.parquet")

    def remove(self) -> None:
        for name in os.listdir(self.directory):
            if name.endswith(f"-{self.batch:06d}.parquet"):
                os.remove(os.path.join(self.directory, name))

    def write(self, frames: dict[str, pl.DataFrame]) -> None:
        for name, frame in frames.items():
            if not frame.is_empty():
                frame.write_parquet(self.path(name), compression="lz4")


def warm_up() -> None:
    """Load the extractors' models and lexicons (once per process), before the first batch arrives."""
    from transforms.extract import extract
    from transforms.schema import ARTICLES

    sample = pl.DataFrame(
        {"article_id": ["warm-up"], "source_id": ["warm-up"], "title": ["Warm-up"],
         "body": ["Officials in Paris said 3 people were killed and Acme Corp paid $5 million on Monday."],
         "published_date": [None], "url": [None], "content_sha256": [""], "change": ["new"]},
    ).cast({**ARTICLES, "change": pl.String})
    try:
        extract(sample)
    except Exception:  # a broken extractor fails the first real batch, with its own message
        pass


def configured_processes() -> int | None:
    """Extraction worker processes set by NEWSETL_EXTRACT_PROCESSES (0: extract in the flow's threads), else None."""
    return whole_number("NEWSETL_EXTRACT_PROCESSES", None)
