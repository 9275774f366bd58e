"""Outlets' home regions: learned from the places an outlet's articles name, pinned by operators,
and used as a prior for ambiguous and unqualified local names."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import polars as pl
import pytest

from tests.conftest import query, shared_data
from tests.test_places import mentions_for, places_of
from transforms.places import resolve_places_and_outlets
from transforms.places.outlets import OUTLET_PRIORS, combine_homes, learn_homes, outlet_domain, with_outlet_priors

# Three local stories of one (made-up) Louisiana paper, and a fourth that never names the state.
LOCAL_STORIES = [
    "Deputies from Pineville and Ball searched the woods near Boyce, Louisiana, on Monday.",
    "The Rapides Parish School Board met in Pineville. Members from Lecompte and Boyce voted.",
    "A fire destroyed a barn in Ball. Firefighters from Pineville and Boyce responded.",
]
UNQUALIFIED = "The Sheriff's Office in Alexandria said the road was closed."
SPANS = {"LOCATION": ["Pineville", "Ball", "Boyce", "Louisiana", "Lecompte", "Alexandria", "Paris", "Tokyo", "Lima"],
         "ORG": ["Rapides Parish School Board", "Sheriff's Office"]}


def resolve_batch(bodies: list[str], urls: list[str | None], priors: dict | None = None):
    articles = pl.DataFrame({"article_id": [f"a{i}" for i in range(len(bodies))], "body": bodies,
                             "url": pl.Series(urls, dtype=pl.String)})
    if priors is not None:
        articles = articles.with_columns(pl.lit(v).cast(OUTLET_PRIORS[k]).alias(k) for k, v in priors.items())
    mentions = pl.concat([mentions_for(f"a{i}", body, SPANS) for i, body in enumerate(bodies)])
    return resolve_places_and_outlets(articles, mentions)


def place_of(resolution, article_id: str, text: str) -> tuple:
    placed, places, _ = resolution
    return places_of(placed.filter(pl.col("article_id") == article_id), places)[text][:4]


def test_outlet_domain_is_the_registered_domain_and_null_for_a_bad_url():
    urls = ["http://www.echopress.com/articles/?id=63599", "https://news.bbc.co.uk/2/hi/uk_news/1.stm",
            "weekly.ahram.org.eg/2009/940/eg6.htm", "HTTPS://WWW.Example.COM:8080/x", "http://[bad", "not a url",
            "", None, "http://127.0.0.1/x", "https://dailystar.com.lb/News"]
    domains = pl.select(outlet_domain(pl.Series(urls, dtype=pl.String))).to_series().to_list()
    assert domains == ["echopress.com", "bbc.co.uk", "ahram.org.eg", "example.com", None, None,
                       None, None, None, "dailystar.com.lb"]


def test_an_outlet_seen_in_one_article_gives_a_weak_prior_and_twenty_a_strong_one():
    votes = pl.DataFrame({"domain": ["once.com"] + ["often.com"] * 20, "home_country": ["US"] * 21,
                          "home_admin1": ["Ohio"] + ["Texas"] * 18 + ["Ohio"] * 2})
    homes = learn_homes(votes).sort("domain")
    assert homes.rows() == [("often.com", "US", "Texas", 20, 18 / 22), ("once.com", "US", "Ohio", 1, 1 / 3)]


def test_a_pin_wins_over_what_the_articles_say():
    learned = pl.DataFrame({"domain": ["a.com", "b.com"], "home_country": ["US", "US"], "home_admin1": ["Ohio", "Ohio"],
                            "articles": [50, 4], "confidence": [0.9, 0.5]})
    priors = pl.DataFrame({"domain": ["a.com", "b.com"], "outlet_country": ["GB", "US"], "outlet_admin1": ["England", "Ohio"],
                           "outlet_articles": [None, 6], "outlet_confidence": [1.0, 0.5]}).cast(OUTLET_PRIORS)
    homes = combine_homes(learned, priors).sort("domain")
    # a.com is pinned to England; b.com's earlier 6 articles agree with this batch's 4: votes pool
    assert homes.rows() == [("a.com", "GB", "England", 1.0), ("b.com", "US", "Ohio", pytest.approx((0.5 * 8 + 0.5 * 6) / 12))]


def test_the_outlet_learned_from_its_other_articles_resolves_an_unqualified_local_name():
    resolution = resolve_batch(LOCAL_STORIES + [UNQUALIFIED], [f"https://www.thetowntalk.com/story/{i}" for i in range(4)])
    assert place_of(resolution, "a3", "Alexandria") == ("Alexandria", "city", "US", "Louisiana")
    votes = resolution[2].sort("article_id")
    assert votes.select("domain", "country_code", "admin1").rows() == [("thetowntalk.com", "US", "Louisiana")] * 3 + [
        ("thetowntalk.com", None, None)]


def test_without_a_readable_url_there_is_no_prior_and_nothing_breaks():
    for url in (None, "http://[bad", "mailto:"):
        resolution = resolve_batch([UNQUALIFIED], [url])
        assert place_of(resolution, "a0", "Alexandria") == ("Alexandria", "city", "EG", "Al Iskandarīyah")
        assert resolution[2].is_empty()


def test_a_prior_from_earlier_runs_resolves_the_name_in_a_batch_of_one():
    earlier = {"outlet_country": "US", "outlet_admin1": "Louisiana", "outlet_articles": 10, "outlet_confidence": 0.8}
    resolution = resolve_batch([UNQUALIFIED], ["https://thetowntalk.com/x"], earlier)
    assert place_of(resolution, "a0", "Alexandria") == ("Alexandria", "city", "US", "Louisiana")


def test_an_article_naming_three_continents_votes_for_no_home():
    resolution = resolve_batch(["Talks in Paris, Tokyo and Lima ended."], ["https://world.example.org/a"])
    assert resolution[2].select("domain", "admin1").rows() == [("example.org", None)]
    assert {t: p[2] for t, p in places_of(*resolution[:2]).items()} == {"Paris": "FR", "Tokyo": "JP", "Lima": "PE"}


def test_with_outlet_priors_attaches_the_home_of_each_articles_outlet():
    articles = pl.DataFrame({"article_id": ["1", "2", "3"], "url": ["https://www.a.com/x", None, "https://b.com/"]})
    priors = pl.DataFrame({"domain": ["a.com"], "outlet_country": ["US"], "outlet_admin1": ["Ohio"],
                           "outlet_articles": [3], "outlet_confidence": [0.6]})
    attached = with_outlet_priors(articles, priors)
    assert attached.select("article_id", "outlet_admin1", "outlet_confidence").rows() == [
        ("1", "Ohio", 0.6), ("2", None, None), ("3", None, None)]


# --------------------------------------------------------------------------- warehouse


def test_pinning_an_unknown_place_or_domain_says_so(tmp_path):
    from warehouse import db, outlets

    con = db.connect(tmp_path / "w.duckdb")
    try:
        with pytest.raises(outlets.PinError, match="unknown place: 'Atlantisland'"):
            outlets.pin(con, "echopress.com", "Atlantisland")
        with pytest.raises(outlets.PinError, match="not a domain or url"):
            outlets.pin(con, "not a url", "Ohio")
        pinned = outlets.pin(con, "https://www.echopress.com/x", "Minnesota")
        assert (pinned.domain, pinned.country_code, pinned.admin1) == ("echopress.com", "US", "Minnesota")
        assert con.execute("select domain, home_country, home_admin1, confidence, source from outlets").fetchall() == [
            ("echopress.com", "US", "Minnesota", 1.0, "pinned")]
        town = outlets.pin(con, "towntalk.com", "Alexandria, Louisiana")
        assert (town.place_name, town.admin1) == ("Alexandria", "Louisiana")
    finally:
        con.close()


def test_pin_csv_pins_the_good_rows_and_reports_the_bad(tmp_path):
    from warehouse import db, outlets

    csv_file = tmp_path / "pins.csv"
    csv_file.write_text("domain,place\nbbc.co.uk,United Kingdom\nbad.com,Nowhereville\nonly-one-column.com\n")
    con = db.connect(tmp_path / "w.duckdb")
    try:
        pins, problems = outlets.pin_csv(con, csv_file)
    finally:
        con.close()
    assert [(p.domain, p.country_code, p.admin1) for p in pins] == [("bbc.co.uk", "GB", None)]
    assert problems == [f"{csv_file}:3: unknown place: 'Nowhereville' is not in the gazetteer (try a country, "
                        "a state or province, or 'Town, State')", f"{csv_file}:4: expected two columns, domain and place"]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.mark.slow
def test_a_run_publishes_outlets_learned_across_runs_and_a_pin_wins(one_shot_run, tmp_path):
    first = write_jsonl(tmp_path / "in1" / "a.jsonl", [
        {"id": f"l{i}", "text": body, "url": f"https://www.thetowntalk.com/{i}"} for i, body in enumerate(LOCAL_STORIES)
    ] + [{"id": "once", "text": "Police in Pineville and Boyce, Louisiana, closed a road.", "url": "https://once.example.com/1"},
         {"id": "nourl", "text": "Talks in Paris, Tokyo and Lima ended."},
         {"id": "badurl", "text": "Talks in Paris ended.", "url": "http://[bad"}])
    summary = one_shot_run(first)
    assert summary.status == "published", summary.message
    rows = query(one_shot_run.db_path, "select domain, home_country, home_admin1, articles_seen, articles_local, round(confidence, 3), "
                 "source from outlets order by domain")
    assert rows == [("example.com", "US", "Louisiana", 1, 1, 0.333, "learned"),
                    ("thetowntalk.com", "US", "Louisiana", 3, 3, 0.6, "learned")]

    from warehouse import db, outlets

    con = db.connect(one_shot_run.db_path)
    try:
        outlets.pin(con, "example.com", "Texas")
    finally:
        con.close()
    second = write_jsonl(tmp_path / "in2" / "b.jsonl", [
        {"id": "next", "text": UNQUALIFIED, "url": "https://www.thetowntalk.com/99"},
        {"id": "again", "text": "Police in Pineville closed a road.", "url": "https://once.example.com/2"}])
    summary = one_shot_run(second)
    assert summary.status == "published", summary.message
    # the new towntalk article names one place: it is seen, but does not vote (confidence unchanged)
    assert query(one_shot_run.db_path, "select domain, home_admin1, articles_seen, round(confidence, 3), source from outlets order by domain") == [
        ("example.com", "Texas", 2, 1.0, "pinned"), ("thetowntalk.com", "Louisiana", 4, 0.6, "learned")]
    # the new article of the learned outlet, which never names its state, lands in it
    assert query(one_shot_run.db_path, "select p.admin1 from mentions m join articles a using (article_id) join places p using (place_id) "
                 "where a.source_id = 'next' and m.text = 'Alexandria'") == [("Louisiana",)]


def recall_at_161km(db_path: Path, gold: pl.DataFrame) -> float:
    from evaluation.geo import score

    with duckdb.connect(str(db_path), read_only=True) as con:
        predicted = con.sql(
            "select a.source_id as doc_id, m.start_char as start, m.end_char as \"end\", m.text, m.usage, m.place_id, "
            "p.latitude as lat, p.longitude as lon from mentions m join articles a using (article_id) "
            "left join places p using (place_id) where m.label = 'LOCATION'").pl()
    result, _ = score(gold.join(predicted.select("doc_id").unique(), on="doc_id", how="semi"), predicted)
    return result["end_to_end_recall_at_161km"]


@pytest.mark.slow
def test_a_second_run_over_new_articles_of_the_same_outlets_does_at_least_as_well(one_shot_run, tmp_path):
    """lgl-dev's articles of each outlet, split in two by order: the second half, run after the
    first (with the outlets it taught), scores at least as well as the same half run alone."""
    from evaluation.geo import read_gold
    from flows.run import run_pipeline

    docs, gold = read_gold(shared_data("geoparse/lgl-dev/lgl-dev.xml"))
    ranked = docs.with_columns(pl.int_range(pl.len()).over("domain").alias("n"), pl.len().over("domain").alias("of"))
    halves = [ranked.filter(pl.col("n") < pl.col("of") // 2), ranked.filter(pl.col("n") >= pl.col("of") // 2)]
    files = [write_jsonl(tmp_path / f"half{i}" / "a.jsonl", [
        {"id": r["doc_id"], "text": r["text"], "url": r["url"], "date": r["date"]} for r in half.iter_rows(named=True)])
        for i, half in enumerate(halves)]
    assert one_shot_run(files[0]).status == "published"
    assert one_shot_run(files[1]).status == "published"
    alone = tmp_path / "alone"
    assert run_pipeline([files[1]], alone / "w.duckdb", alone / "reports", 500).status == "published"
    second_gold = gold.join(halves[1].select("doc_id"), on="doc_id", how="semi")
    assert recall_at_161km(one_shot_run.db_path, second_gold) >= recall_at_161km(alone / "w.duckdb", second_gold)


def test_the_batch_rule_and_the_warehouse_rule_learn_the_same_homes_from_the_same_votes(tmp_path):
    """learn_homes (polars, within a batch) and stg_outlets.sql (the warehouse, across runs) are two
    implementations of one rule: fed the same votes, ties and abstentions included, they agree."""
    import random

    from warehouse import db
    from warehouse.loader import load_batch, reset_staging
    from warehouse.sql_files import read_sql

    divisions = [("US", "Ohio"), ("US", "Texas"), ("GB", "England"), ("US", "Alabama"), ("CA", "Ontario"), (None, None)]
    rng = random.Random(12)
    with db.connect(tmp_path / "w.duckdb") as con:
        for trial in range(25):
            rows = []
            for d in range(rng.randint(1, 5)):
                for a in range(rng.randint(1, 6)):
                    country, admin1 = rng.choice(divisions)
                    rows.append({"article_id": f"t{trial}-{d}-{a}", "domain": f"d{d}.com", "country_code": country,
                                 "admin1": admin1, "latitude": None if admin1 is None else 1.0,
                                 "longitude": None if admin1 is None else 2.0})
            votes = pl.DataFrame(rows, schema={"article_id": pl.String, "domain": pl.String, "country_code": pl.String,
                                               "admin1": pl.String, "latitude": pl.Float64, "longitude": pl.Float64})
            reset_staging(con)
            load_batch(con, {"outlet_votes": votes})
            con.execute(read_sql("staging/stg_outlets.sql"))
            warehouse = con.execute(
                "select domain, home_country, home_admin1, articles_local, round(confidence, 9) from staging.outlets "
                "where home_country is not null order by domain"
            ).fetchall()
            batch = learn_homes(
                votes.filter(pl.col("admin1").is_not_null()).select(
                    "domain", pl.col("country_code").alias("home_country"), pl.col("admin1").alias("home_admin1"))
            ).sort("domain").with_columns(pl.col("confidence").round(9))
            assert warehouse == batch.rows(), f"trial {trial}"
