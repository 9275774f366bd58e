"""Work done while the Prefect API starts (read-ahead, and extraction ahead on a first run) changes nothing published."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import query

pytestmark = pytest.mark.slow  # real runs and an extraction worker pool

STORIES = [
    ("quake", "Quake hits Sulawesi", "PALU, Indonesia - An earthquake killed 12 people and injured 40 on Sulawesi, "
                                     "the disaster agency said on Friday."),
    ("bid", "Globex bids for Initech", "Globex Corp offered $1.2 billion for Initech, chief executive Ann Lee said."),
    ("raid", "Police arrest three in Lyon", "Police in Lyon arrested three men on Monday, France's interior ministry said."),
    ("storm", "Storm hits Manila", "A storm hit Manila on Monday, killing 5 people, officials said."),
    ("vote", "Kenya votes", "Kenyans voted on Tuesday; turnout was about 65 percent, the commission in Nairobi said."),
]

PUBLISHED = {
    "articles": "select article_id, source_id, title, body, content_sha256 from articles",
    "mentions": "select * from mentions",
    "figures": "select * from figures",
    "places": "select * from places",
    "quarantine": "select source, locator, reason from quarantine",
}


def feed(folder: Path, ids: list[str], copy_of: dict[str, str] | None = None, edits: dict[str, str] | None = None) -> Path:
    """A JSONL feed of STORIES by id; ``copy_of`` adds records repeating another story's title and body,
    ``edits`` replaces some stories' bodies."""
    folder.mkdir(parents=True, exist_ok=True)
    stories = {sid: (title, (edits or {}).get(sid, body)) for sid, title, body in STORIES}
    records = [{"id": sid, "title": stories[sid][0], "text": stories[sid][1]} for sid in ids]
    records += [{"id": copy, "title": stories[of][0], "text": stories[of][1]} for copy, of in (copy_of or {}).items()]
    (folder / "feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return folder


def published(db_path: Path) -> dict[str, list[tuple]]:
    return {table: sorted(query(db_path, sql), key=repr) for table, sql in PUBLISHED.items()}


def run_ahead(inputs: list[Path], db_path: Path, reports: Path, batch_size: int, pool):
    """The flow as run_pipeline runs it while a temporary API starts: units read and extracted ahead."""
    from flows import tasks
    from flows.pipeline import newsetl_run
    from flows.read_ahead import ReadAhead, SpeculativeExtraction

    speculation = SpeculativeExtraction(pool, db_path.parent, batch_size)
    reader = ReadAhead(inputs, batch_size, limit=10, speculation=speculation)
    tasks.use_read_ahead(reader)
    tasks.use_extraction_pool(pool)
    try:
        summary = newsetl_run([str(p) for p in inputs], str(db_path), str(reports), batch_size)
        return summary, speculation.adopted, len(speculation.started)
    finally:
        tasks.use_read_ahead(None)
        tasks.use_extraction_pool(None)
        reader.close()


@pytest.fixture(scope="module")
def pool():
    from flows.stages import ExtractionPool

    workers = ExtractionPool(1)
    yield workers
    workers.close()


@pytest.mark.timeout(300)
def test_batches_extracted_ahead_are_adopted_and_publish_what_a_plain_run_publishes(prefect_server, tmp_path, pool):
    from flows.pipeline import run_pipeline

    # a duplicate within the run shifts the batches: the speculation must classify as the flow does
    inputs = [feed(tmp_path / "in", ["quake", "bid", "raid", "storm", "vote"], copy_of={"quake-copy": "quake"})]
    plain = run_pipeline(inputs, tmp_path / "plain" / "news.duckdb", tmp_path / "plain-reports", batch_size=2,
                         extract_processes=0)
    ahead, adopted, left = run_ahead(inputs, tmp_path / "ahead" / "news.duckdb", tmp_path / "ahead-reports", 2, pool)

    assert (plain.status, ahead.status) == ("published", "published")
    assert ahead.counts == plain.counts and plain.counts["quarantined"] == 1
    assert (adopted, left) == (3, 0)  # every batch the flow extracted came from the read-ahead
    assert published(tmp_path / "ahead" / "news.duckdb") == published(tmp_path / "plain" / "news.duckdb")
    assert not list((tmp_path / "ahead").glob(".newsetl-*"))


@pytest.mark.timeout(300)
def test_batches_the_flow_forms_differently_are_extracted_again(prefect_server, tmp_path, pool):
    from flows.pipeline import run_pipeline

    # a warehouse that already holds "quake" and an older "raid": the flow skips the one and marks the
    # other changed, so two of its batches are not the ones extracted ahead for an empty warehouse
    first = [feed(tmp_path / "first", ["quake", "raid"], edits={"raid": "Police in Lyon arrested two men on Monday."})]
    everything = [feed(tmp_path / "all", ["quake", "bid", "raid", "storm", "vote"])]
    for name in ("plain", "ahead"):
        assert run_pipeline(first, tmp_path / name / "news.duckdb", tmp_path / "r", batch_size=2,
                            extract_processes=0).status == "published"
    plain = run_pipeline(everything, tmp_path / "plain" / "news.duckdb", tmp_path / "r", batch_size=2,
                         extract_processes=0)
    ahead, adopted, _ = run_ahead(everything, tmp_path / "ahead" / "news.duckdb", tmp_path / "r", 2, pool)

    assert ahead.counts == plain.counts
    assert (plain.counts["articles_new"], plain.counts["articles_changed"], plain.counts["articles_unchanged"]) == (3, 1, 1)
    assert adopted == 1  # only [vote] is a batch the flow formed as the read-ahead did
    assert published(tmp_path / "ahead" / "news.duckdb") == published(tmp_path / "plain" / "news.duckdb")


def test_batch_tasks_pickle_for_dask_while_a_run_reads_ahead(tmp_path, pool):
    """Dask pickles the flow with its tasks: they must not drag this process's read-ahead (threads, futures) along."""
    import cloudpickle

    from flows import tasks
    from flows.read_ahead import ReadAhead, SpeculativeExtraction

    inputs = [feed(tmp_path / "in", ["quake", "bid"])]
    reader = ReadAhead(inputs, 1, limit=2, speculation=SpeculativeExtraction(pool, tmp_path, 1))
    tasks.use_read_ahead(reader)
    try:
        for task in (tasks.extract_batch, tasks.ingest_batch):
            assert cloudpickle.loads(cloudpickle.dumps(task)).name == task.name
    finally:
        tasks.use_read_ahead(None)
        reader.close()
