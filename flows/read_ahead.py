"""Work started while the Prefect API boots: reading the first units and, on a first run, extracting them.

The temporary API takes seconds to start and the flow can do nothing before it answers.
Reading, parsing and extraction need no API, so ``ReadAhead`` reads the run's first
units in a thread and, on a warehouse with no published articles (where every article
that is not a duplicate within the run is new, whatever the flow will find), hands their
batches to the extraction workers at once. The flow's ``ingest_batch`` and
``extract_batch`` tasks then take these results instead of redoing the work; a batch
the flow forms differently is simply extracted again.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import duckdb
import polars as pl

from flows.stages import ExtractionPool, Spill, StageClock
from transforms.parse import QUARANTINE, parse_articles, records_to_frame
from transforms.readers import QuarantineRecord, RawRecord, ReadUnit, plan_units, read_unit
from warehouse.db import ensure_published_tables
from warehouse.incremental import RunLedger, classify, fresh_batches

Ingested = tuple[pl.DataFrame, pl.DataFrame, int, StageClock]
Extracted = tuple[dict[str, int], StageClock]


def quarantine_frame(items: list[QuarantineRecord]) -> pl.DataFrame:
    rows = [(q.source, q.locator, q.reason, q.raw, None) for q in items]
    return pl.DataFrame(rows, schema=QUARANTINE, orient="row")


def ingest(unit: ReadUnit) -> Ingested:
    """Read and parse one unit: (articles, quarantined rows, records read, read and parse timings)."""
    clock = StageClock()
    records: list[RawRecord] = []
    bad: list[QuarantineRecord] = []
    with clock.stage("read") as read:
        for item in read_unit(unit):
            (records if isinstance(item, RawRecord) else bad).append(item)
        read.articles = len(records) + len(bad)
    with clock.stage("parse", len(records)):
        articles, rejected = parse_articles(records_to_frame(records))
        rejected = pl.concat([quarantine_frame(bad), rejected])
    return articles, rejected, len(records) + len(bad), clock


def _batch_key(batch: pl.DataFrame) -> tuple:
    return tuple(zip(batch["article_id"].to_list(), batch["change"].to_list()))


class SpeculativeExtraction:
    """Extracts read-ahead batches on the workers before the flow submits them, for a first run.

    Each unit is classified as the flow will classify it on an empty warehouse (the same
    ``classify``, against an empty in-memory warehouse, with this run's ledger), cut
    into the same batches and extracted into its own folder. ``adopt`` gives the flow a
    batch's result when the flow's batch has the same articles with the same change, moving
    its Parquet files to the flow's spill names.
    """

    def __init__(self, pool: ExtractionPool, scratch_parent: Path, batch_size: int) -> None:
        self.pool, self.batch_size = pool, batch_size
        scratch_parent.mkdir(parents=True, exist_ok=True)
        self.directory = Path(tempfile.mkdtemp(prefix=".newsetl-speculative-", dir=scratch_parent))
        self.empty = duckdb.connect()  # an empty warehouse, in memory
        ensure_published_tables(self.empty)
        self.ledger = RunLedger()
        self.started: dict[tuple, tuple[Future[Extracted], int]] = {}
        self.adopted = 0

    def extract(self, articles: pl.DataFrame) -> None:
        classified = classify(self.empty, articles, self.ledger)
        accepted = classified.filter(pl.col("change") != "duplicate")
        self.ledger.remember(accepted)
        for batch in fresh_batches(accepted, self.batch_size):
            number = len(self.started)
            self.started[_batch_key(batch)] = (self.pool.submit(batch, Spill(str(self.directory), number)), number)

    def adopt(self, articles: pl.DataFrame, spill: Spill | None) -> Extracted | None:
        """The result of extracting exactly ``articles``, written to ``spill`` (None if it was not extracted ahead)."""
        if spill is None:
            return None
        entry = self.started.pop(_batch_key(articles), None)
        if entry is None:
            return None
        future, number = entry
        counts, clock = future.result()
        ahead = Spill(str(self.directory), number)
        for name in counts:
            if os.path.exists(ahead.path(name)):
                os.replace(ahead.path(name), spill.path(name))
        self.adopted += 1
        return counts, clock

    def close(self) -> None:
        for future, _ in self.started.values():
            if not future.cancel():
                future.exception()  # wait for it: it writes into the folder removed below
        self.started.clear()
        self.empty.close()
        shutil.rmtree(self.directory, ignore_errors=True)


class ReadAhead:
    """Ingests a run's first units on a thread while the Prefect API starts, for ``ingest_batch`` to take.

    The API's start-up leaves the flow's core idle for seconds; reading and parsing need
    no API. At most ``limit`` units are read ahead, so memory does not grow with the corpus.
    With ``speculation`` their new articles are also extracted ahead.
    """

    def __init__(self, inputs: list[Path], batch_size: int, limit: int,
                 speculation: SpeculativeExtraction | None = None, exclude: tuple[Path, ...] = ()) -> None:
        self.key = ([str(p) for p in inputs], batch_size, tuple(str(p) for p in exclude))
        self.units = plan_units(inputs, batch_size, exclude)
        self.speculation = speculation
        self.executor = ThreadPoolExecutor(1, thread_name_prefix="newsetl-read-ahead")
        self.ready: dict[ReadUnit, Future[Ingested]] = {unit: self.executor.submit(self._ingest, unit)
                                                       for unit in self.units[:limit]}

    def _ingest(self, unit: ReadUnit) -> Ingested:
        ingested = ingest(unit)
        if self.speculation is not None:
            self.speculation.extract(ingested[0])
        return ingested

    def planned(self, inputs: list[str], batch_size: int, exclude: tuple[Path, ...] = ()) -> list[ReadUnit] | None:
        """The units planned for these inputs, batch size and exclusions (None for others)."""
        return self.units if ([str(p) for p in inputs], batch_size, tuple(str(p) for p in exclude)) == self.key else None

    def take(self, unit: ReadUnit) -> Ingested | None:
        ready = self.ready.pop(unit, None)
        return ready.result() if ready is not None else None

    def extracted(self, articles: pl.DataFrame, spill: Spill | None) -> Extracted | None:
        return self.speculation.adopt(articles, spill) if self.speculation is not None else None

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
        self.ready.clear()
        if self.speculation is not None:
            self.speculation.close()
