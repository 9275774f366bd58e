"""The whole run into a real DuckDB file, as a Prefect flow and as a one-shot run: incremental, validated, atomic, robust to bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SEEDS, query
from warehouse import loader, publisher
from warehouse.db import connect

SEED_FILE = SEEDS / "000_bd22b0fa7cd20e9b.txt"


def jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.mark.slow
def test_rerun_on_same_input_adds_nothing(run):
    first = run(SEEDS)
    assert first.status == "published" and first.counts["articles_new"] == 1
    second = run(SEEDS)
    assert second.status == "unchanged"
    assert (second.counts["articles_new"], second.counts["articles_changed"], second.counts["articles_unchanged"]) == (0, 0, 1)
    assert query(run.db_path, "select count(*) from articles")[0][0] == 1
    statuses = query(run.db_path, "select status from runs order by started_at")
    assert [s for (s,) in statuses] == ["published", "unchanged"]


@pytest.mark.slow
def test_rerun_on_byte_identical_inputs_records_what_a_full_run_finds_without_reading_articles(one_shot_run, tmp_path):
    feed = tmp_path / "in"
    feed.mkdir()
    shutil.copy(SEED_FILE, feed / "seed.txt")
    (feed / "feed.jsonl").write_text(
        json.dumps({"id": "a", "title": "Storm", "text": "A storm hit Manila on Monday."}) + "\n"
        + json.dumps({"id": "b", "title": "Storm", "text": "A storm hit Manila on Monday."}) + "\n"
        + "{not json\n", encoding="utf-8")
    assert one_shot_run(feed).status == "published"
    repeat = one_shot_run(feed)  # answered from the input fingerprint: no flow, no reading
    with connect(one_shot_run.db_path) as con:  # forget the fingerprints: the next run reads and classifies everything
        con.execute("delete from input_fingerprints")
    full = one_shot_run(feed)

    assert (repeat.status, full.status) == ("unchanged", "unchanged")
    assert repeat.counts == full.counts
    assert (repeat.counts["articles_read"], repeat.counts["articles_unchanged"], repeat.counts["quarantined"]) == (4, 2, 2)
    quarantined = {run_id: sorted(query(one_shot_run.db_path, "select source, locator, reason from quarantine where run_id = ?", [run_id]))
                   for run_id in (repeat.run_id, full.run_id)}
    assert quarantined[repeat.run_id] == quarantined[full.run_id] and len(quarantined[full.run_id]) == 2
    assert [stage for (stage,) in query(one_shot_run.db_path, "select stage from run_stages where run_id = ? order by stage",
                                        [repeat.run_id])] == ["fingerprint", "report"]
    assert repeat.report_path.exists()


@pytest.mark.slow
def test_changed_article_replaces_its_rows(one_shot_run, tmp_path):
    feed = tmp_path / "in"
    feed.mkdir()
    jsonl(feed / "feed.jsonl", [
        {"id": "story-1", "title": "Clashes in Lagos", "date": "2025-03-01",
         "text": "Police in Lagos arrested two men after clashes, officials said."},
    ])
    assert one_shot_run(feed).status == "published"
    jsonl(feed / "feed.jsonl", [
        {"id": "story-1", "title": "Clashes in Lagos", "date": "2025-03-01",
         "text": "Police in Lagos arrested five men after clashes in Ikeja, officials said."},
    ])
    summary = one_shot_run(feed)
    assert summary.status == "published"
    assert (summary.counts["articles_new"], summary.counts["articles_changed"]) == (0, 1)
    [(body, first_run, last_run)] = query(one_shot_run.db_path, "select body, first_run_id, last_run_id from articles")
    assert "five men" in body and first_run != last_run
    texts = [t for (t,) in query(one_shot_run.db_path, "select text from mentions where label = 'LOCATION' order by start_char")]
    assert "Ikeja" in texts
    assert query(one_shot_run.db_path, "select count(*) from mentions m join articles a using (article_id) "
                              "where substring(a.body, m.start_char + 1, m.end_char - m.start_char) <> m.text")[0][0] == 0


@pytest.mark.slow
def test_failed_validation_publishes_nothing_and_names_the_rows(run, tmp_path, monkeypatch):
    from expectations import runner

    # A stricter suite (expectations are data): articles longer than 60 characters fail a critical check.
    suites = tmp_path / "suites"
    shutil.copytree(runner.SUITES_DIR, suites)
    spec = json.loads((suites / "articles.json").read_text())
    spec["expectations"].append({"expectation": "expect_column_values_to_be_between", "column": "body_chars",
                                 "critical": True, "kwargs": {"max_value": 60}})
    (suites / "articles.json").write_text(json.dumps(spec))
    monkeypatch.setenv("NEWSETL_SUITES_DIR", str(suites))  # read by the validator process too
    feed = tmp_path / "in"
    feed.mkdir()
    jsonl(feed / "feed.jsonl", [
        {"id": "ok-1", "date": "2024-01-02", "text": "Floods in Assam displaced 1,200 families."},
        {"id": "long-1", "date": "2024-01-03", "text": "A long report about Paris, longer than the stricter suite allows."},
    ])
    summary = run(feed)
    assert summary.status == "blocked" and not summary.ok
    assert "body_chars" in summary.message
    assert query(run.db_path, "select count(*) from articles")[0][0] == 0
    assert query(run.db_path, "select count(*) from mentions")[0][0] == 0
    [(published, status)] = query(run.db_path, "select published, status from runs")
    assert (published, status) == (False, "blocked")
    [(details,)] = query(run.db_path, "select details from dq_results where not success and column_name = 'body_chars'")
    failing = json.loads(details)["failing_rows"]
    assert [row["article_id"] for row in failing] == [query(run.db_path, "select article_id from staging.articles "
                                                                         "where source_id = 'long-1'")[0][0]]
    staged = query(run.db_path, "select source_id from staging.articles order by source_id")
    assert [s for (s,) in staged] == ["long-1", "ok-1"]  # nothing lost: kept in staging
    report = (run.report_dir / "index.html").read_text()
    assert "blocked" in report and "body_chars" in report
    docs = (run.report_dir / "data_docs" / "index.html").read_text()
    assert "expect_column_values_to_be_between" in docs and "failed" in docs


@pytest.mark.slow
def test_bad_input_folder_publishes_good_records_and_quarantines_the_rest(run, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    shutil.copy(SEED_FILE, folder / "seed.txt")
    shutil.copy(SEED_FILE, folder / "seed-copy.txt")  # duplicate article
    (folder / "empty.txt").write_bytes(b"")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4)
    (folder / "cafe.txt").write_bytes(
        "Caf\u00e9 strike in S\u00e3o Paulo\n\nWorkers at caf\u00e9s in S\u00e3o Paulo walked out on Monday.".encode("latin-1"))
    (folder / "noise.txt").write_bytes(b"Header\n\n\x81\x8d\x8f bytes that no encoding explains \x90\x9d")
    jsonl(folder / "feed.jsonl", [{"id": "j1", "text": "Rescuers in Izmir pulled three people from the rubble."}])
    with (folder / "feed.jsonl").open("a") as handle:
        handle.write('{"id": "j2", "text": "truncated\n')
        handle.write(json.dumps({"id": "j3", "title": "no text"}) + "\n")
    with (folder / "archive.txt").open("wb") as handle:  # 50 MB
        handle.write(b"Archive dump\n\n")
        handle.write(b"All the news that fits. " * (50 * 1024 * 1024 // 24))
    summary = run(folder)
    assert summary.status == "published"
    published = sorted(s for (s,) in query(run.db_path, "select source_id from articles"))
    assert published == ["cafe.txt", "j1", "seed-copy.txt"]
    reasons = dict(query(run.db_path, "select regexp_replace(source, '.*/', ''), reason from quarantine"))
    assert reasons["empty.txt"] == "empty file: no text"
    assert reasons["photo.jpg"].startswith("binary content")
    assert reasons["noise.txt"].startswith("not UTF-8")
    assert reasons["archive.txt"].startswith("file too large for one article")
    assert reasons["seed.txt"] == "duplicate article: same title and body as seed-copy.txt"
    jsonl_reasons = sorted(r for (r,) in query(run.db_path, "select reason from quarantine where source like '%feed.jsonl'"))
    assert jsonl_reasons[0] == "line is not valid JSON: Unterminated string starting at (column 22)"
    assert jsonl_reasons[1] == 'record has no "text"'
    assert summary.counts["quarantined"] == 7


def stage_changed_copies(con: duckdb.DuckDBPyConnection) -> None:
    """Stage every published article again with a changed body (and no mentions or figures)."""
    loader.reset_staging(con)
    con.execute("insert into staging.articles select article_id, source_id, title, body || ' Updated.', "
                "published_date, url, 'changed', 'changed' from articles")
    loader.finish_staging(con)


@pytest.mark.slow
def test_publish_is_one_transaction(one_shot_run, tmp_path):
    assert one_shot_run(SEEDS).status == "published"
    before = query(one_shot_run.db_path, "select (select count(*) from mentions), (select count(*) from figures), "
                                "(select max(last_run_id) from articles)")
    con = connect(one_shot_run.db_path)
    try:
        stage_changed_copies(con)
        con.execute("drop table staging.figures")  # the publish fails half-way through
        publication = publisher.Publication(con, "run-that-fails")
        publication.write()
        with pytest.raises(duckdb.Error):
            publication.commit()
    finally:
        con.close()
    after = query(one_shot_run.db_path, "select (select count(*) from mentions), (select count(*) from figures), "
                               "(select max(last_run_id) from articles)")
    assert after == before


@pytest.mark.slow
def test_a_publication_written_during_validation_is_seen_only_once_committed(one_shot_run):
    assert one_shot_run(SEEDS).status == "published"
    con = connect(one_shot_run.db_path)
    try:
        stage_changed_copies(con)
        reader = con.cursor()
        last_run = "select max(last_run_id) from articles"
        before = reader.execute(last_run).fetchone()[0]

        blocked = publisher.Publication(con, "run-blocked").start()
        blocked._join()  # written, not committed: what the run holds while GX validates
        assert reader.execute(last_run).fetchone()[0] == before
        blocked.rollback()  # a critical expectation failed
        assert reader.execute(last_run).fetchone()[0] == before

        passed = publisher.Publication(con, "run-passed").start()
        assert reader.execute(last_run).fetchone()[0] == before
        passed.commit()
        assert reader.execute(last_run).fetchone()[0] == "run-passed"
        assert reader.execute("select count(*) from mentions").fetchone()[0] == 0  # staged without mentions
    finally:
        con.close()


@pytest.mark.slow
def test_batches_spilled_to_parquet_are_staged_in_order_and_removed(one_shot_run, tmp_path):
    feed = tmp_path / "in"
    feed.mkdir()
    jsonl(feed / "feed.jsonl", [
        {"id": f"story-{i}", "title": f"Storm {i}", "text": f"A storm hit Manila on Monday, killing {i + 2} people."}
        for i in range(5)
    ])
    summary = one_shot_run(feed, batch_size=2)  # three batches, each spilled by the process that extracted it

    assert summary.status == "published" and summary.counts["articles_new"] == 5
    assert [source_id for (source_id,) in query(one_shot_run.db_path, "select source_id from staging.articles")] == [
        f"story-{i}" for i in range(5)]
    assert not list(tmp_path.glob(".newsetl-staging-*"))
