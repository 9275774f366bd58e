"""Load extracted batches into the ``staging`` schema (frames, or Parquet files spilled by the workers), and reset staging for a run."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from warehouse.db import CursorTransaction
from warehouse.sql_files import read_sql, sql_files

STAGED_TABLES = ("articles", "mentions", "places", "figures", "outlet_votes")
# Staging tables derived once every batch is in (``finish_staging``), not created empty per run.
DERIVED = ("staging/stg_entities.sql", "staging/stg_outlets.sql")


def reset_staging(con: duckdb.DuckDBPyConnection) -> None:
    for name in sql_files("staging"):
        if name not in DERIVED:
            con.execute(read_sql(name))


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [row[0] for row in con.execute(f"describe staging.{table}").fetchall()]


def _column_list(con: duckdb.DuckDBPyConnection, table: str) -> str:
    return ", ".join(f'"{name}"' for name in _columns(con, table))


def _append(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    if frame.is_empty():
        return
    columns = _columns(con, table)
    con.register("batch_frame", frame.select(columns))
    try:
        con.execute(f"insert into staging.{table} select * from batch_frame")
    finally:
        con.unregister("batch_frame")


class StagingTransaction(CursorTransaction):
    """The transaction in which a run stages its batches, on its own cursor.

    One commit per ``BATCHES_PER_COMMIT`` batches, not per batch (each costs ~25 ms); the
    connection's other statements (quarantine, run bookkeeping) stay outside it. A failed run
    rolls back what is not committed; staging is rebuilt by every run anyway.
    """

    # Batches staged per commit: few commits, and a bound on the uncommitted rows DuckDB holds.
    BATCHES_PER_COMMIT = 8

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        super().__init__(con)
        self.batches = 0

    def staged(self) -> None:
        """Count a staged batch; every ``BATCHES_PER_COMMIT`` batches, commit them so memory stays flat."""
        self.batches += 1
        if self.batches % self.BATCHES_PER_COMMIT == 0:
            self.cursor.execute("commit")
            self.cursor.execute("begin transaction")


def load_batch(con: duckdb.DuckDBPyConnection, frames: dict[str, pl.DataFrame]) -> None:
    """Append a batch's frames (keys: articles, mentions, places, figures) to staging."""
    for table in STAGED_TABLES:
        if table in frames:
            _append(con, table, frames[table])


def load_spilled(con: duckdb.DuckDBPyConnection, directory: Path, batch: int) -> None:
    """Append batch number ``batch``, spilled to ``directory`` as ``{table}-{batch:06d}.parquet``, one insert per table."""
    for table in STAGED_TABLES:
        files = sorted(str(path) for path in directory.glob(f"{table}-{batch:06d}.parquet"))
        if files:
            con.execute(f"insert into staging.{table} select {_column_list(con, table)} from read_parquet(?)", [files])


def link_staged_mentions(con: duckdb.DuckDBPyConnection) -> None:
    """Links across all the run's articles (``transforms.entities.link_across_articles``), made once every
    batch is in, so that an entity's id does not depend on which articles shared a batch."""
    from transforms.entities.across import link_across_articles  # the entity package is heavy: imported when needed

    columns = ("mention_id", "label", "text", "canonical_name", "entity_id")
    found = con.execute(
        f"select {', '.join(columns)} from staging.mentions where label in ('PERSON', 'ORG') order by mention_id"
    ).fetchnumpy()
    named = pl.DataFrame({c: pl.Series(c, found[c], dtype=pl.String) for c in columns})
    linked = link_across_articles(named)
    changed = linked.with_columns(old_entity_id=named["entity_id"]).filter(
        (pl.col("label") != named["label"]) | pl.col("canonical_name").ne_missing(named["canonical_name"])
    ).select("mention_id", "label", "canonical_name", "entity_id", "old_entity_id")
    if changed.is_empty():
        return
    con.register("linked_mentions", changed)
    try:
        con.execute(read_sql("link/relink_mentions.sql"))
    finally:
        con.unregister("linked_mentions")


def finish_staging(con: duckdb.DuckDBPyConnection) -> None:
    """Derive run-level staging tables once every batch is in: mentions linked across articles, places
    deduplicated, entities grouped, outlets learned from every run's votes."""
    link_staged_mentions(con)
    con.execute("create or replace table staging.places as select distinct on (place_id) * from staging.places")
    for name in DERIVED:
        con.execute(read_sql(name))


def load_quarantine(con: duckdb.DuckDBPyConnection, run_id: str, quarantine: pl.DataFrame) -> None:
    """Insert QUARANTINE rows (transforms.parse.QUARANTINE; without ``article_id``: rejected records)."""
    if "article_id" not in quarantine.columns:
        quarantine = quarantine.with_columns(pl.lit(None, pl.String).alias("article_id"))
    if quarantine.is_empty():
        return
    con.register("quarantine_frame", quarantine)
    try:
        con.execute(
            "insert into quarantine (run_id, source, locator, reason, raw, article_id) "
            "select ?, source, locator, reason, raw, article_id from quarantine_frame", [run_id]
        )
    finally:
        con.unregister("quarantine_frame")
