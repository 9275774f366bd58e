"""How often unlabelled news lets each capitalised name act: say, announce, own, be told.

    python -m transforms.entities.name_agency [--news-dir ../shared/data/news] [--out transforms/models/name_agency.parquet]

Organisations and people act in news text: ``Sony said``, ``the BBC's``,
``Microsoft announced``, ``told Reuters``, ``Chelsea boss``. Products, works,
technologies and events do not: ``P2P`` is followed by ``networks``, ``Xbox``
by ``games``, ``Sideways`` by ``won``... but almost never by ``said``. The
CoNLL-trained tagger calls many such things organisations; how a name behaves
across much more news than its own article tells a thing from an actor
(``things.py`` uses it).

Built once, at build time, from the same unlabelled corpora as the word clusters
(``clusters.news_texts``: Reuters-21578 and BBC, no CoNLL text). A name is a run
of up to ``MAX_WORDS`` consecutive capitalised tokens on one line (``Mac Mini``,
``P2P``, ``Half-Life``); its occurrence acts when the next token is one of
``ACTING_NEXT`` (a speech or business verb, a possessive, a role noun) or the
token before is one of ``ACTING_BEFORE``. Ships only the table ``name`` (lower
case), ``n`` (occurrences), ``acts`` (occurrences that act), names seen at
least ``MIN_COUNT`` times, ``things`` (occurrences with a kind word of
lexicons/thing_cues.csv right before or after: ``the game Halo``, ``P2P
networks``) and ``the`` (occurrences right after ``the``: ``the WTA``, ``the IRB``, rarely ``the
RFID``) and ``caps`` (occurrences written in capitals right after a lower-case
word: how news writes an acronym, not a name in a headline or dateline).
The same inputs give the same table.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import polars as pl

from transforms.entities.clusters import MODEL_DIR, build_table, news_texts
from transforms.tokens import ENGINE, tokenize

NAME_AGENCY_PATH = MODEL_DIR / "name_agency.parquet"
MIN_COUNT = 3
MAX_WORDS = 4
SCHEMA = pl.Schema({"name": pl.String, "n": pl.UInt32, "acts": pl.UInt32, "things": pl.UInt32, "the": pl.UInt32, "caps": pl.UInt32})
ACTING_NEXT = (
    "said", "says", "say", "told", "announced", "added", "reported", "warned", "denied", "confirmed", "insisted",
    "agreed", "claimed", "admitted", "argued", "believes", "hopes", "wants", "plans", "stated", "declined", "refused",
    "revealed", "acquired", "bought", "hired", "sued", "signed", "spokesman", "spokeswoman", "spokesperson", "chief",
    "boss", "chairman", "officials", "shares", "shareholders", "executives", "manager", "'s", "’s",
)  # fmt: skip
ACTING_BEFORE = ("told", "at", "by")
# Words that say what kind of thing a name is (``the game Halo``, ``Xbox console``, ``P2P technology``).
THING_CUES = tuple(pl.read_csv(Path(__file__).resolve().parent / "lexicons" / "thing_cues.csv")["cue"].to_list())


def name_agency(articles: pl.DataFrame, min_count: int = MIN_COUNT) -> pl.DataFrame:
    """``SCHEMA`` (``name, n, acts, things, the, caps``, see the module doc) for the capitalised names of ``articles``
    (``article_id``, ``body``) seen ``min_count`` times."""
    # "The Mac Mini" at the start of a sentence: "The" is no part of the name (it counts as "the" before it)
    capital = pl.col("token").str.contains(r"^[A-Z]") & ~pl.col("token").is_in(["The", "A", "An"])
    tokens = tokenize(articles).lazy().with_columns(
        next=pl.col("token").shift(-1).over("article_id").str.to_lowercase(),
        previous=pl.col("token").shift(1).over("article_id").str.to_lowercase(),
        same_line=(pl.col("line").shift(1).over("article_id") == pl.col("line")).fill_null(False),
    ).with_columns(
        continues=capital.shift(1).over("article_id").fill_null(False) & pl.col("same_line"),
    )
    runs = (
        tokens.with_columns(run=(capital & ~pl.col("continues")).cum_sum().over("article_id"))
        .filter(capital)
        .group_by("article_id", "run")
        .agg(
            name=pl.col("token").str.join(" ").str.to_lowercase(),
            acts=pl.col("next").last().is_in(ACTING_NEXT) | pl.col("previous").first().is_in(ACTING_BEFORE),
            thing=pl.col("next").last().is_in(THING_CUES) | pl.col("previous").first().is_in(THING_CUES),
            the=pl.col("previous").first() == "the",
            caps=pl.col("token").str.contains(r"^[A-Z0-9&.-]+$").all()
            & pl.col("previous").first().str.contains(r"^[a-z]").fill_null(False)
            & pl.col("same_line").first(),
            words=pl.len(),
        )
        .filter(pl.col("words") <= MAX_WORDS)
    )
    return (
        runs.group_by("name")
        .agg(
            n=pl.len().cast(pl.UInt32),
            acts=pl.col("acts").sum().cast(pl.UInt32),
            things=pl.col("thing").sum().cast(pl.UInt32),
            the=pl.col("the").sum().cast(pl.UInt32),
            caps=pl.col("caps").sum().cast(pl.UInt32),
        )
        .filter(pl.col("n") >= min_count)
        .sort("name")
        .collect(engine=ENGINE)
    )


def load_name_agency(path: Path = NAME_AGENCY_PATH) -> pl.DataFrame:
    """The shipped table, or an empty one (every name unknown) when it was not built."""
    return pl.read_parquet(path) if path.exists() else pl.DataFrame(schema=SCHEMA)


@cache
def shipped_name_agency() -> pl.DataFrame:
    return load_name_agency()


def main(argv: list[str] | None = None) -> None:
    build_table(argv, __doc__, NAME_AGENCY_PATH, lambda news_dir: name_agency(news_texts(news_dir)), "")


if __name__ == "__main__":
    main()
