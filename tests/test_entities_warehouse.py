"""Entities in the warehouse: one entity per person, and how often the warehouse mentions each."""

from tests.conftest import query


def test_entity_mention_counts_count_literal_mentions_and_articles_per_canonical_entity(seed_db):
    rows = query(seed_db, """
        select canonical_name, label, mentions, articles from entity_mention_counts
        where canonical_name in ('Nemesio Oseguera Cervantes', 'Karoline Leavitt') order by canonical_name""")
    literal = dict(query(seed_db, """
        select e.canonical_name, count(*) from mentions m join entities e using (entity_id)
        where m.usage = 'literal' group by all"""))
    assert [(name, label, articles) for name, label, _, articles in rows] == [
        ("Karoline Leavitt", "PERSON", 1), ("Nemesio Oseguera Cervantes", "PERSON", 1)]
    counts = {name: n for name, _, n, _ in rows}
    assert counts == {name: literal[name] for name in counts}
    assert counts["Nemesio Oseguera Cervantes"] >= 5  # by full name, El Mencho, Oseguera, a misspelling
    assert query(seed_db, "select count(*) from entity_mention_counts") == query(seed_db, "select count(*) from entities")


def test_every_alias_of_el_mencho_is_one_entity(seed_db):
    ids = query(seed_db, """
        select distinct m.entity_id from mentions m
        where m.text in ('El Mencho', 'Nemesio Oseguera Cervantes', 'Oseguera')""")
    assert len(ids) == 1
