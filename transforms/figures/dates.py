"""Stage: a casualty told with a date well before the article's own is another event's.

``dated_before_article``: Reuters and other dated feeds give each article a date (``articles.published_date``).
A sentence that dates what it tells ("On March 18, a quake also ... killing two people", "food riots in the
Copperbelt last December, which left 15 people dead", "The March five earthquake killed up to 1,000 people")
more than ``STALE_DAYS`` before the article's date tells of an earlier event: its KILL/WOUND/SHOOT/ARREST
claims become ``other_event`` (the event is kept, as for "in 1989"). Datelines are the report's own date, and a
sentence that says its event is recent ("yesterday", "on Tuesday") is left alone. The latest date of the sentence counts
("the riots that began on March 2 killed five on Tuesday" is as recent as its latest date). A date without
a year is in the article's year unless that is more than a month after the article; a month without a day is its last day, so
"last December" in an article of early January is recent. Articles without a date (BBC, GVDB) are left alone. A
follow-up whose every casualty claim is dated earlier and whose headline tells of a casualty ("Body found in river
identified", "Man cited after crashing ...") reports that event as its own news: its claims stay the incident's.
"""

from __future__ import annotations

import functools

import polars as pl

from transforms.figures.cues import DATED_EVENTS
from transforms.figures.lexicons import lexicon
from transforms.figures.stage import Batch, stage

# A week: the news of the day tells of the last few days' incident; a date further back is another event.
STALE_DAYS = 7


@functools.cache
def date_pattern() -> str:
    """A month, capitalised (so "may" the verb is no month), after a word that dates ("on", "in", "last",
    "the") or before a day; with an optional day and year."""
    months = lexicon("months").get_column("term").to_list()
    month = "|".join(sorted((m[0].upper() + m[1:] for m in months), key=len, reverse=True))
    lead = r"(?:\b(?:[Oo]n|[Ii]n|[Ss]ince|[Dd]uring|[Ll]ast|[Ee]arly|[Ll]ate|[Mm]id|[Tt]he|[Tt]his)[\s-]+)"
    day = r"(?:\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b)"
    year = r"(?:,?\s+(?P<year>(?:19|20)\d\d)\b)"
    # A dateline ("ZEEBRUGGE, Belgium, March 7 - ") is the report's own date, however far from the feed's: the dash
    # is matched so the date can be read as the article's (the regex engine has no look-ahead).
    return rf"(?:{lead}(?P<month>{month})\b\.?{day}?|\b(?P<month2>{month})\b\.?{day.replace('day', 'day2')}){year}?(?P<dateline>\s+-\s)?"


# "arrested yesterday in California ... in October, 1981": a sentence that says its event is recent tells of
# this article's incident, whatever older dates it recalls.
RECENT = r"(?i)\b(?:yesterday|today|tonight|last\s+night|this\s+(?:morning|afternoon|evening|week)|on\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b"


# A follow-up's headline tells of the casualty it reports: "Body found in river identified", "Man cited after crashing".
FOLLOW_UP_TITLE = (
    r"(?i)\b(?:body|bodies|dies|died|dead|death|killed|killing|murder\w*|shot|shooting|stabb\w*|injur\w*|hurt|wounded"
    r"|crash\w*|arrest\w*|charged|cited|sentenced|convicted|trial|funeral|identified)\b"
)


def follow_ups(claims: pl.DataFrame, stale: pl.DataFrame, articles: pl.DataFrame) -> pl.DataFrame:
    """Articles (article_id) whose every casualty claim is in a stale sentence and whose headline tells of a casualty:
    a follow-up (a citation, an identification, a trial) reports the old event as its own news, so its date does
    not make it another event's."""
    if "title" not in articles.columns:
        return stale.select("article_id").head(0)
    fresh = claims.select("article_id", "sentence_no").join(stale, on=["article_id", "sentence_no"], how="anti").select("article_id")
    return (
        articles.join(stale.select("article_id").unique(), on="article_id", how="semi")
        .join(fresh, on="article_id", how="anti")
        .filter(pl.col("title").fill_null("").str.contains(FOLLOW_UP_TITLE))
        .select("article_id")
    )


def month_number() -> pl.DataFrame:
    return lexicon("months").select(pl.col("term").str.to_lowercase().alias("month_key"), pl.col("month").cast(pl.Int32).alias("month_no"))


@stage(requires=("article_id", "sentence_no", "sentence", "category", "scope_cue"), assigns=("category", "scope_cue"))
def dated_before_article(figures: pl.DataFrame, batch: Batch) -> pl.DataFrame:
    """Casualty claims in a sentence dated more than a week before its article are ``other_event``."""
    event = pl.col("category").is_in(DATED_EVENTS).fill_null(False)
    claimed = figures.filter(event).select("article_id", "sentence_no", "sentence").unique(["article_id", "sentence_no"])
    if claimed.is_empty() or "published_date" not in batch.articles.columns:
        return figures
    dated = claimed.join(
        batch.articles.filter(pl.col("published_date").is_not_null()).select("article_id", "published_date"), on="article_id"
    )
    if dated.is_empty():
        return figures
    found = (
        dated.filter(~pl.col("sentence").str.contains(RECENT))
        .with_columns(pl.col("sentence").str.extract_all(date_pattern()).alias("said"))
        .explode("said")
        .drop_nulls("said")
    )
    if found.is_empty():
        return figures
    parts = pl.col("said").str.extract_groups(date_pattern())
    found = (
        found.with_columns(parts.alias("p"))
        .unnest("p")
        .with_columns(
            pl.coalesce("month", "month2").str.to_lowercase().alias("month_key"),
            pl.coalesce("day", "day2").cast(pl.Int32, strict=False).alias("day_no"),
            pl.col("year").cast(pl.Int32, strict=False).alias("year_no"),
        )
        .join(month_number(), on="month_key")
    )
    published = pl.col("published_date")
    # A date without its year is in the article's year, unless that puts it more than a month after the article
    # (a feed's date can lag its report by a day or two; "last December" in April is the December before).
    this_year = pl.date(published.dt.year(), pl.col("month_no"), pl.col("day_no").fill_null(1).clip(1, 28))
    year = pl.coalesce(
        "year_no",
        pl.when((this_year - published).dt.total_days() > 31).then(published.dt.year() - 1).otherwise(published.dt.year()),
    )
    first_of_month = pl.date(year, pl.col("month_no"), 1)
    told = pl.when(pl.col("day_no").is_between(1, 31)).then(
        pl.date(year, pl.col("month_no"), pl.col("day_no").clip(1, 28)) + pl.duration(days=pl.col("day_no").clip(1, 31) - pl.col("day_no").clip(1, 28))
    ).otherwise(first_of_month.dt.month_end())
    # The dateline's date is the article's own, and dates the lead it heads.
    told = pl.when(pl.col("dateline").is_not_null()).then(published).otherwise(told)
    stale = (
        found.with_columns(told.alias("told"))
        .group_by("article_id", "sentence_no")
        .agg(((pl.col("published_date").first() - pl.col("told").max()).dt.total_days() > STALE_DAYS).alias("_stale"))
        .filter(pl.col("_stale"))
    )
    if stale.is_empty():
        return figures
    stale = stale.join(follow_ups(figures.filter(event), stale, batch.articles), on="article_id", how="anti")
    if stale.is_empty():
        return figures
    figures = figures.join(stale, on=["article_id", "sentence_no"], how="left")
    earlier = event & pl.col("_stale").fill_null(False)
    return figures.with_columns(
        pl.when(earlier).then(None).otherwise(pl.col("category")).alias("category"),
        pl.when(earlier).then(pl.lit("other_event")).otherwise(pl.col("scope_cue")).alias("scope_cue"),
    ).drop("_stale")
