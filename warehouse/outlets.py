"""Outlets' home regions in the warehouse: the priors a run starts from, and operators' pins.

What the geoparser learns about outlets arrives through staging (``outlet_votes``, then
``staging/stg_outlets.sql`` derives the table as a run will publish it). This module serves
the two other ways in and out: the priors a run hands to extraction, and pins set by hand.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from transforms.places.outlets import OUTLET_PRIORS, outlet_domain


class PinError(ValueError):
    """A pin that cannot be set: an unreadable domain or a place the gazetteer does not know."""


def read_priors(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """domain and ``OUTLET_PRIORS`` for every outlet with a home (learned or pinned)."""
    return con.sql(
        """
        select domain, home_country as outlet_country, home_admin1 as outlet_admin1,
               articles_local as outlet_articles, confidence as outlet_confidence
        from outlets
        where home_country is not null
        """
    ).pl().cast({"domain": pl.String, **OUTLET_PRIORS})


@dataclass(frozen=True)
class Pin:
    domain: str
    place_id: int
    place_name: str
    country_code: str
    admin1: str | None
    latitude: float
    longitude: float


def domain_of(text: str) -> str:
    """The outlet named by ``text`` (a domain or any url of the outlet), or PinError."""
    domain = pl.select(outlet_domain(pl.lit(text.strip(), pl.String))).item()
    if domain is None:
        raise PinError(f"not a domain or url: {text!r} (expected e.g. echopress.com or https://www.echopress.com/...)")
    return domain


def find_place(name: str) -> dict:
    """The gazetteer place an operator means by ``name``: 'Minnesota', 'Richmond, Virginia', 'United Kingdom'.

    'X, Y' reads X inside Y (a division or a country); among the places so named, countries
    and first-level divisions come before towns, then the most populous. PinError when none is known."""
    from transforms.places.gazetteer import gazetteer, name_key

    gz = gazetteer()
    head, _, qualifier = (part.strip() for part in name.partition(","))
    if not head:
        raise PinError("no place given")

    def named(text: str) -> pl.DataFrame:
        key = pl.select(name_key(pl.lit(text))).item()
        return gz.names.filter(pl.col("key") == key).join(gz.places, on="place_id")

    found = named(head)
    if qualifier:
        outer = named(qualifier)
        found = found.filter(
            pl.col("admin1_id").is_in(outer["place_id"].implode())
            | pl.col("country_code").is_in(outer.filter(pl.col("feature_type") == "country")["country_code"].implode())
        )
    found = found.filter(pl.col("feature_type") != "continent")
    if found.is_empty():
        raise PinError(f"unknown place: {name!r} is not in the gazetteer (try a country, a state or province, "
                       "or 'Town, State')")
    rank = {"country": 0, "admin1": 1, "city": 2, "admin2": 3}
    best = found.with_columns(
        pl.col("feature_type").replace_strict(rank, default=4).alias("rank"), pl.col("population").fill_null(0)
    ).sort(["rank", "is_main", "population"], descending=[False, True, True]).row(0, named=True)
    admin1 = best["name"] if best["feature_type"] == "admin1" else best["admin1"]
    return {"place_id": best["place_id"], "place_name": best["name"], "country_code": best["country_code"],
            "admin1": admin1, "latitude": best["latitude"], "longitude": best["longitude"],
            "feature_type": best["feature_type"]}


def pin(con: duckdb.DuckDBPyConnection, domain_or_url: str, place: str) -> Pin:
    """Pin an outlet's home to a place, in ``outlet_pins`` and at once in ``outlets``."""
    domain = domain_of(domain_or_url)
    found = find_place(place)
    if found["feature_type"] in ("admin2", "city") and found["admin1"] is None:
        raise PinError(f"{place!r} lies in no known first-level division: pin its state or country instead")
    pinned = Pin(domain, found["place_id"], found["place_name"], found["country_code"], found["admin1"],
                 found["latitude"], found["longitude"])
    con.execute("begin transaction")
    try:
        con.execute(
            "insert or replace into outlet_pins (domain, place_id, place_name, country_code, admin1, latitude, longitude, "
            "pinned_at) values (?, ?, ?, ?, ?, ?, ?, current_timestamp)",
            [pinned.domain, pinned.place_id, pinned.place_name, pinned.country_code, pinned.admin1,
             pinned.latitude, pinned.longitude],
        )
        con.execute(
            """
            insert into outlets (domain, home_country, home_admin1, home_latitude, home_longitude, articles_seen,
                                 articles_local, confidence, source, pinned_place, learned_at)
            values (?, ?, ?, ?, ?, 0, 0, 1.0, 'pinned', ?, current_timestamp)
            on conflict (domain) do update set
                home_country = excluded.home_country, home_admin1 = excluded.home_admin1,
                home_latitude = excluded.home_latitude, home_longitude = excluded.home_longitude,
                confidence = 1.0, source = 'pinned', pinned_place = excluded.pinned_place,
                learned_at = excluded.learned_at
            """,
            [pinned.domain, pinned.country_code, pinned.admin1, pinned.latitude, pinned.longitude, pinned.place_name],
        )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return pinned


def pin_csv(con: duckdb.DuckDBPyConnection, path: Path) -> tuple[list[Pin], list[str]]:
    """Pin every ``domain,place`` row of a CSV file (a header row is skipped): (pins set, one
    message per row that could not be pinned). A bad row never stops the others."""
    pins, problems = [], []
    with path.open(newline="", encoding="utf-8") as handle:
        for number, row in enumerate(csv.reader(handle), start=1):
            if not row or not "".join(row).strip() or row[0].strip().startswith("#"):
                continue
            if number == 1 and [c.strip().lower() for c in row[:2]] == ["domain", "place"]:
                continue
            if len(row) < 2:
                problems.append(f"{path}:{number}: expected two columns, domain and place")
                continue
            try:
                pins.append(pin(con, row[0], ",".join(row[1:])))
            except PinError as error:
                problems.append(f"{path}:{number}: {error}")
    return pins, problems
