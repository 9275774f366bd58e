"""Entity ids do not depend on batching: links across articles are made once per run, on staged mentions."""

from pathlib import Path

import duckdb
import polars as pl
import pytest

from transforms.extract import extract
from transforms.readers.formats import read_single_article
from transforms.schema import ARTICLES
from warehouse import db, loader

SEED = next((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))
OTHERS = {
    "b": "El Mencho was reported dead on Sunday, officials in Guadalajara said.",
    "c": "Deloitte said profits rose. Deloitte has 120,000 staff, said its chief, Ann Lee.",
    "d": "Deloitte shares fell. Deloitte chief executive Bob Smith resigned on Friday.",
    "e": "Two workers were killed in the blast, Deloitte said. Deloitte has hired lawyers.",
}


def articles() -> pl.DataFrame:
    seed = read_single_article(SEED.read_bytes(), str(SEED), SEED.name)
    rows = [("a", seed.title, seed.body), *((key, None, body) for key, body in OTHERS.items())]
    frame = pl.DataFrame(rows, schema={"article_id": pl.String, "title": pl.String, "body": pl.String}, orient="row")
    return frame.with_columns(
        source_id=pl.col("article_id"), published_date=None, url=None, content_sha256=None, change=pl.lit("new")
    ).select(*ARTICLES.names(), "change")


def staged_entities(batch_size: int) -> list[tuple]:
    """Extract ``articles()`` in batches of ``batch_size``, stage them as a run does, and read the linked mentions."""
    con = duckdb.connect()
    db.ensure_published_tables(con)
    loader.reset_staging(con)
    frame = articles()
    for start in range(0, frame.height, batch_size):
        loader.load_batch(con, extract(frame.slice(start, batch_size)))
    loader.finish_staging(con)
    orphans = con.execute(
        "select count(*) from staging.figures where source_entity_id not in (select entity_id from staging.mentions)"
    ).fetchone()
    assert orphans == (0,)  # a figure attributed to a relinked entity follows it
    return con.execute(
        "select article_id, start_char, end_char, label, text, canonical_name, entity_id from staging.mentions "
        "order by article_id, start_char, end_char, usage"
    ).fetchall()


@pytest.mark.slow  # three whole extractions: about 5 s idle, 10 s under load
def test_the_same_articles_give_the_same_entities_and_ids_in_batches_of_1_2_and_500():
    whole = staged_entities(500)
    assert staged_entities(1) == whole
    assert staged_entities(2) == whole
    # an alias defined in the seed names the same person in an article of another batch
    assert ("b", "PERSON", "El Mencho", "Nemesio Oseguera Cervantes") in [(a, l, t, c) for a, _, _, l, t, c, _ in whole]
    assert ("e", "ORG", "Deloitte") in [(a, l, t) for a, _, _, l, t, _, _ in whole]
    mencho = {i for a, _, _, _, t, c, i in whole if t == "El Mencho" or c == "Nemesio Oseguera Cervantes"}
    assert len(mencho) == 1
