"""Extraction on Dask workers publishes exactly what local extraction publishes."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import SEEDS, query

pytestmark = pytest.mark.slow  # a Dask cluster and two real runs

ARTICLES = [
    {"id": "wire-1", "title": "Floods displace thousands in Assam", "date": "2024-07-02",
     "text": "GUWAHATI, India (Reuters) - Floods in Assam displaced 12,000 families and killed at least 14 people, "
             "the state disaster agency said on Tuesday. Chief Minister Himanta Biswa Sarma visited Guwahati."},
    {"id": "wire-2", "title": "Acme Corp to buy rival for $2.5 billion", "date": "2024-07-03",
     "text": "NEW YORK - Acme Corp said it would buy Globex Inc for $2.5 billion in cash, a 30 percent premium. "
             "Acme chief executive Jane Porter said the deal would close in 2025."},
    {"id": "wire-3", "title": "Police arrest two after clashes in Lagos", "date": "2024-07-04",
     "text": "Police in Lagos arrested two men after clashes near Ikeja on Monday, Nigeria's police said. "
             "Three people were wounded, according to the Red Cross."},
    {"id": "wire-4", "title": "Storm hits Philippines", "date": "2024-07-05",
     "text": "MANILA - Typhoon Gaemi killed 22 people in the Philippines and forced more than 600,000 from their "
             "homes, officials in Manila said. President Ferdinand Marcos ordered aid to Luzon."},
]

PUBLISHED = {
    "articles": "select article_id, source_id, title, body, published_date, url, content_sha256 from articles",
    "mentions": "select * from mentions",
    "figures": "select * from figures",
    "places": "select * from places",
    "entities": "select entity_id, label, canonical_name, aliases from entities",
}


def published_rows(db_path) -> dict[str, list[tuple]]:
    return {table: sorted(query(db_path, sql), key=repr) for table, sql in PUBLISHED.items()}


@pytest.mark.timeout(180)
def test_two_dask_workers_publish_the_same_rows_as_local_extraction(prefect_server, tmp_path):
    pytest.importorskip("prefect_dask")  # here, not at collection: importing Dask costs the fast loop seconds
    from flows.run import run_pipeline

    feed = tmp_path / "in"
    feed.mkdir()
    shutil.copy(SEEDS / "000_bd22b0fa7cd20e9b.txt", feed / "seed.txt")
    (feed / "wire.jsonl").write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")

    local = run_pipeline([feed], tmp_path / "local.duckdb", tmp_path / "local-reports", batch_size=2)
    on_dask = run_pipeline([feed], tmp_path / "dask.duckdb", tmp_path / "dask-reports", batch_size=2, runner="dask")

    assert (local.status, on_dask.status) == ("published", "published")
    assert on_dask.counts == local.counts
    expected, actual = published_rows(tmp_path / "local.duckdb"), published_rows(tmp_path / "dask.duckdb")
    assert {t: len(rows) for t, rows in actual.items()} == {t: len(rows) for t, rows in expected.items()}
    assert len(expected["articles"]) == 5 and expected["mentions"] and expected["figures"] and expected["places"]
    assert actual == expected
    # the extraction stages ran (on the workers) and were timed
    stages = dict(query(tmp_path / "dask.duckdb", "select stage, articles from run_stages"))
    assert stages["extract_entities"] == stages["extract_figures"] == 5
