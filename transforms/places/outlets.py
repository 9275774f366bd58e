"""Outlets' home regions: where a news outlet is local, learned from the places its articles name.

A county paper writes "the Sheriff's Office in Alexandria" and never names its state: a reader
knows the paper. So does the resolver, through the outlet (the registered domain of the article's
URL): the places an outlet's articles resolve to with little doubt (towns and counties, which only
local news names) vote for its home first-level division and country, one vote per article. The
home then weighs, as a prior, on every name of that outlet's articles.

Homes come from three sources, strongest first: an operator's pin, the warehouse's ``outlets``
table (earlier runs, passed in by the flow as ``OUTLET_PRIORS`` columns on the articles), and the
articles of the current batch. An outlet seen once gives a weak prior; an article without a
(readable) URL gets none.
"""

from __future__ import annotations

import polars as pl

# Columns the flow may attach to the articles it extracts: the home of the article's outlet as
# known before this batch (pins and earlier runs); all null when unknown.
OUTLET_PRIORS = pl.Schema(
    {
        "outlet_country": pl.String,  # ISO 3166-1 alpha-2
        "outlet_admin1": pl.String,  # name of the first-level division, as the gazetteer names it
        "outlet_articles": pl.Int64,  # articles the home was learned from (pins: null)
        "outlet_confidence": pl.Float64,  # 0..1; a pin is 1
    }
)

# Second-level labels under which a country-code TLD registers names: news.bbc.co.uk -> bbc.co.uk.
_SECOND_LEVEL = r"(?:co|com|org|net|gov|ac|edu|ltd|plc|nic|ne|or|go|gob|gv|nhs|sch|mil)"
_HOST = r"^(?:[A-Za-z][A-Za-z0-9+.\-]*://)?(?:[^@/?#]*@)?([^/:?#\s]+)"


def outlet_domain(url: pl.Expr) -> pl.Expr:
    """The outlet of an article: its URL's registered domain, lower case, without 'www.'
    ('http://www.echopress.com/articles/?id=1' -> 'echopress.com', 'news.bbc.co.uk' -> 'bbc.co.uk').
    Null for a missing or malformed URL (no host with a dot, or characters a host cannot have)."""
    host = url.cast(pl.String).str.strip_chars().str.extract(_HOST, 1).str.to_lowercase().str.strip_chars(".")
    valid = host.str.contains(r"^[a-z0-9\-]+(?:\.[a-z0-9\-]+)+$") & ~host.str.contains(r"^[0-9.]+$")
    three = host.str.extract(rf"([a-z0-9\-]+\.{_SECOND_LEVEL}\.[a-z]{{2}})$", 1)
    two = host.str.extract(r"([a-z0-9\-]+\.[a-z0-9\-]+)$", 1)
    return pl.when(valid).then(pl.coalesce(three, two)).otherwise(None)


# An article votes for the division that holds candidates of the most of its distinct names, when
# at least this many fit and no other division fits as many: a division with a town of every name
# the article uses is where the article is local (a state name, its towns and its counties).
MIN_FITTING_NAMES = 2
# Prior articles counted for a learned home of v votes among n articles: v / (n + PSEUDO_ARTICLES),
# so one article gives a weak prior and twenty a strong one.
PSEUDO_ARTICLES = 2.0


def article_votes(candidates: pl.DataFrame) -> pl.DataFrame:
    """article_id, home_country, home_admin1: the first-level division an article is local to, if any.

    ``candidates`` (article_id, key, feature_type, country, admin1, chosen) are every gazetteer
    reading of every name of the article, with the division each lies in (a division is its own
    ``admin1``) and whether it is the reading the article chose for its name without an outlet
    prior. Towns, counties and divisions count; countries and continents do not. The division must
    hold at least one chosen reading: an Egyptian paper's Cairo, Alexandria and Lebanon all have
    namesakes in Ohio, but none of them is chosen there."""
    fits = (
        candidates.filter(pl.col("feature_type").is_in(["city", "admin2", "admin1"]), pl.col("admin1").is_not_null())
        .group_by("article_id", "country", "admin1")
        .agg(pl.col("key").n_unique().alias("fit"), pl.col("chosen").any().alias("anchored"))
        .filter(pl.col("fit") >= MIN_FITTING_NAMES, pl.col("anchored"))
    )
    return (
        fits.filter(pl.col("fit") == pl.col("fit").max().over("article_id"))
        .filter(pl.len().over("article_id") == 1)
        .select("article_id", pl.col("country").alias("home_country"), pl.col("admin1").alias("home_admin1"))
    )


def learn_homes(votes: pl.DataFrame) -> pl.DataFrame:
    """domain, home_country, home_admin1, articles, confidence from article votes (domain, home_country, home_admin1).

    The home is the division most articles vote for; its confidence is its votes over the
    articles that voted plus ``PSEUDO_ARTICLES``, so an outlet seen once gives a weak prior."""
    by_division = votes.group_by("domain", "home_country", "home_admin1").agg(pl.len().alias("votes"))
    totals = votes.group_by("domain").agg(pl.len().alias("articles"))
    return (
        by_division.join(totals, on="domain")
        # ties: the division first in (country code, name) order, as stg_outlets.sql breaks them
        .sort("domain", "votes", "home_country", "home_admin1", descending=[False, True, False, False])
        .unique("domain", keep="first", maintain_order=True)
        .select(
            "domain",
            "home_country",
            "home_admin1",
            pl.col("articles").cast(pl.Int64),
            (pl.col("votes") / (pl.col("articles") + PSEUDO_ARTICLES)).alias("confidence"),
        )
    )


def combine_homes(learned: pl.DataFrame, priors: pl.DataFrame) -> pl.DataFrame:
    """domain, home_country, home_admin1, confidence from this batch's ``learned`` homes and the
    ``priors`` (domain and ``OUTLET_PRIORS`` columns): a pin (confidence 1) wins; otherwise the
    votes of earlier runs and of this batch are pooled when they agree, and the better supported
    home is kept when they do not."""
    priors = priors.filter(pl.col("domain").is_not_null(), pl.col("outlet_country").is_not_null()).unique("domain")
    learned = learned.cast({"home_country": priors.schema["outlet_country"], "home_admin1": priors.schema["outlet_admin1"]})
    both = learned.join(priors, on="domain", how="full", coalesce=True)
    pinned = pl.col("outlet_confidence").fill_null(0.0) >= 1.0
    agree = (pl.col("outlet_country") == pl.col("home_country")) & pl.col("outlet_admin1").eq_missing(pl.col("home_admin1"))
    # a confidence c learned from n articles is v / (n + PSEUDO_ARTICLES) for v votes: pool the votes
    prior_n, batch_n = pl.col("outlet_articles").fill_null(0), pl.col("articles").fill_null(0)
    prior_votes = pl.col("outlet_confidence").fill_null(0.0) * (prior_n + PSEUDO_ARTICLES)
    batch_votes = pl.col("confidence").fill_null(0.0) * (batch_n + PSEUDO_ARTICLES)
    pooled = (prior_votes + batch_votes) / (prior_n + batch_n + PSEUDO_ARTICLES)
    take_prior = pinned | pl.col("home_country").is_null() | (~agree.fill_null(False) & (prior_votes >= batch_votes))
    return both.select(
        "domain",
        pl.when(take_prior).then(pl.col("outlet_country")).otherwise(pl.col("home_country")).alias("home_country"),
        pl.when(take_prior).then(pl.col("outlet_admin1")).otherwise(pl.col("home_admin1")).alias("home_admin1"),
        pl.when(pinned)
        .then(pl.lit(1.0))
        .when(agree.fill_null(False))
        .then(pooled.clip(0.0, 1.0))
        .when(take_prior)
        .then(pl.col("outlet_confidence"))
        .otherwise(pl.col("confidence"))
        .alias("confidence"),
    ).filter(pl.col("home_country").is_not_null())


def with_outlet_priors(articles: pl.DataFrame, priors: pl.DataFrame) -> pl.DataFrame:
    """``articles`` with the ``OUTLET_PRIORS`` columns of their outlet (null when the url is missing,
    unreadable or of an outlet ``priors`` does not know). ``priors``: domain and ``OUTLET_PRIORS``."""
    if priors.is_empty() or "url" not in articles.columns:
        return articles
    keyed = priors.select("domain", *OUTLET_PRIORS.names()).cast(OUTLET_PRIORS).unique("domain")
    return (
        articles.drop([name for name in OUTLET_PRIORS.names() if name in articles.columns])
        .with_columns(outlet_domain(pl.col("url")).alias("_outlet_domain"))
        .join(keyed, left_on="_outlet_domain", right_on="domain", how="left", maintain_order="left")
        .drop("_outlet_domain")
    )
