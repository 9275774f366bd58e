"""Stages 1-3: the numbers a sentence states, their values and what they count.

- ``sentences`` (not a stage: the batch's sentences, ``Batch.sentences``) cuts bodies into sentences with
  character offsets.
- ``candidates``: every number-like span in a sentence (one regex, built from the lexicons), split into its
  named parts (qualifier, currency, amount, range end, ...), with the shape of the claim.
- ``values``: amounts ("twenty-one", "2.5 million", "1,200", "a dozen") to numbers, by joining their words to
  ``number_words.csv`` and folding with group-by aggregations; dates to yyyymmdd.
- ``objects``: the counted noun phrase after a count ("three other cartel members"); a candidate inside it is
  part of it and dropped.

Offsets are Python string (code point) indices: every length is ``len_chars`` and every slice is
``str.slice``, both in characters; nothing uses byte offsets.
"""

from __future__ import annotations

import functools
import re

import polars as pl

from transforms.figures.lexicons import (
    month_numbers,
    name_modified_nouns,
    verbish_words,
    non_name_words,
    single_word_triggers,
    number_word_values,
    object_stop_words,
    patterns,
    plural_people,
)
from transforms.figures.stage import Batch, stage

# A sentence ends at . ! ? (and closing quotes) followed by space, or at a line break. A headline that ends
# in its site's name glued to the body ("... | abc7chicago.comTwo people were injured") ends there too:
# a piece ending in a domain runs on unless the next one starts in uppercase.
SENTENCE = r"(?s).*?(?:[.!?]+[\"'”’)\]]*\s+|\n\s*|[a-z0-9]\.(?:com|org|net)|$)"
SITE_END = r"[a-z0-9]\.(?:com|org|net)$"
ABBREVIATION_END = (
    r"(?:\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|Mr|Mrs|Ms|Dr|Lt|Sgt|Cpl|Capt|Col|Gen|Gov|Sen|Rep"
    r"|St|Ave|Blvd|Rd|Mt|No|Jr|Sr|Det|Ofc|Dept|Co|Corp|Inc|vs|approx|[A-Z])\.|\b[a-z]\.[a-z]\.)\s*$"
)
# The words right after a count that may name what is counted.
FOLLOWING_WORDS = r"^(?:[ \t]+[A-Za-z][\w'’-]*){0,5}"
WORD = r"\s*[A-Za-z][\w'’-]*"
# "aged 30", "the ages of 17 and 19", "ranged in age from 25 to 45", "ages 18 to 21": ages, not people.
AGE_BEFORE = r"(?i)\b(?:age\s+of|ages\s+of|aged|in\s+age\s+from|ages|ages\s+from)\s+$"
# "held to a draw by Romania": a name after "by" is an agent, never one the event happened to.
NOT_NAME_BEFORE = r"(?:-|\b(?:of|in|at|from|near|on|to|by)\s+(?:the\s+)?)$"
# "Kenyan tea exports", "Libyan outpost", "Iraqi soil": a people's adjective before a noun names no one.
DEMONYM = r"^[A-Z][a-z]+(?:an|ese|ish|i)$"


@functools.cache
def candidate_parts() -> tuple[str, ...]:
    """The named groups of the candidate regex: one column each."""
    return tuple(dict.fromkeys(re.findall(r"\(\?P<(\w+)>", patterns()["figure"])))


def chunk_offsets(frame: pl.DataFrame, text: str, pattern: str, key: list[str], name: str) -> pl.DataFrame:
    """Cut ``text`` into consecutive regex matches; each row gets its chunk and its end offset in ``text``.

    ``pattern`` starts with a lazy ``.*?`` so matches tile the text from its start: the
    running sum of chunk lengths (in characters) is each chunk's end offset.
    """
    return (
        frame.with_columns(pl.col(text).str.extract_all(pattern).alias(name))
        .explode(name)
        .filter(pl.col(name).is_not_null() & (pl.col(name) != ""))
        .with_columns(pl.col(name).str.len_chars().cum_sum().over(key).alias(f"{name}_end"))
    )


def sentences(articles: pl.DataFrame) -> pl.DataFrame:
    frame = articles.select("article_id", pl.col("body").fill_null(""))
    out = chunk_offsets(frame, "body", SENTENCE, ["article_id"], "sentence")
    # A piece that ends in an abbreviation ("Jan.", "Lt.", "U.S.") runs on into the next one; so does a line
    # of hard-wrapped text (Reuters wraps at 70 characters): a piece that ends in a single line break without
    # sentence punctuation, followed by a line that starts in lowercase or with a digit ("security\nguards").
    previous = pl.col("sentence").shift(1).over("article_id")
    wrapped = previous.str.contains(r"[^\s.!?:;\"”]\n$") & (
        pl.col("sentence").str.contains(r"^[a-z0-9]")
        # a full-width line that stops mid-phrase ("on the\nU.S. frigate") runs on whatever the next line starts with
        | (previous.str.contains(r"[a-z,]\n$") & (previous.str.len_chars() >= 50))
    )
    glued_site = previous.str.contains(SITE_END) & pl.col("sentence").str.contains(r"^[A-Z]")
    runs_on = (previous.str.contains(ABBREVIATION_END) | wrapped | (previous.str.contains(SITE_END) & ~glued_site)).fill_null(False)
    out = out.with_columns((~runs_on).cast(pl.Int32).cum_sum().over("article_id").alias("sentence_no"))
    return (
        out.group_by("article_id", "sentence_no", maintain_order=True)
        .agg(
            (pl.col("sentence_end").first() - pl.col("sentence").first().str.len_chars()).alias("sentence_start"),
            pl.col("sentence").str.join(""),
        )
    )


# --- candidates ------------------------------------------------------------------------


SENTENCE_COLUMNS = ("article_id", "sentence_no", "sentence_start", "sentence")


@stage(
    requires=(),
    assigns=(
        *SENTENCE_COLUMNS, "has_trigger", "chunk", "text", "local_end", "local_start", *candidate_parts(),
        "glued_unit", "before_text", "not_a_name", "family_size", "is_age", "figure_no", "qualifier_term", "amount",
        "amount_max", "currency_term", "shape",
    ),
)
def candidates(figures: pl.DataFrame, batch: Batch) -> pl.DataFrame:
    """Every number-like span of the batch's sentences, one row each, with its parts and shape."""
    sents = batch.sentences
    found = patterns()
    figure = found["figure"]
    key = ["article_id", "sentence_no"]
    # Implicit counts ("a man", "he", "no one") only count with an event trigger in their sentence, so the
    # full regex runs on the few sentences with one; the rest only need the numeric candidates, and only
    # if they hold a digit, a currency sign or a number word. On news this skips most of the text.
    sents = sents.with_columns(pl.col("sentence").str.contains(rf"(?i){found['trigger']}").alias("has_trigger"))
    with_trigger = sents.filter(pl.col("has_trigger"))
    numeric_only = sents.filter(~pl.col("has_trigger")).filter(pl.col("sentence").str.contains(rf"(?i){found['numeric_hint']}"))

    def tile(frame: pl.DataFrame, pattern: str) -> pl.DataFrame:
        # The chunks (gap + figure) tile the sentence; the figures alone are the same matches in the same order.
        return frame.with_columns(
            pl.col("sentence").str.extract_all(rf"(?is).*?(?:{pattern})").alias("chunk"),
            pl.col("sentence").str.extract_all(rf"(?is){pattern}").alias("text"),
        )

    chunks = (
        pl.concat([tile(with_trigger, figure), tile(numeric_only, found["figure_numeric"])])
        .explode("chunk", "text")
        .filter(pl.col("chunk").is_not_null())
        .with_columns(pl.col("chunk").str.len_chars().cum_sum().over(key).alias("local_end"))
    )
    parts = pl.col("text").str.extract_groups(rf"(?is)^(?:{figure})$")
    out = chunks.with_columns(parts.alias("parts")).unnest("parts")
    out = out.with_columns((pl.col("local_end") - pl.col("text").str.len_chars()).alias("local_start"))
    out = out.filter(pl.col("ignored").is_null(), pl.col("ignored_day").is_null())
    # "around 6:20 p.m.": a qualifier took the hour before the clock-time pattern could; still a time.
    # "6abc.com": a digit glued to a site's name is part of it, not a count ("6km", "97p", "2Mbps" stay).
    out = out.filter(~pl.col("sentence").str.slice(pl.col("local_end"), 12).str.contains(r"^:\d|^[a-z]+\.com\b"))
    # "-5 people", "temperatures of -3": a negative number counts nothing (a range's "5-3" is one candidate).
    out = out.filter(~pl.col("sentence").str.slice(0, pl.col("local_start")).str.contains(r"(?:^|[\s(])[-−–]$"))
    # "12km", "2Mbps", "97p": letters glued to a number are its unit (kinds.py reads them as a measure).
    out = out.with_columns(pl.col("sentence").str.slice(pl.col("local_end"), 12).str.extract(r"^([A-Za-z]+)", 1).alias("glued_unit"))
    # The sentence before the candidate, sliced once (several tests here and in with_categories look at its end).
    out = out.with_columns(pl.col("sentence").str.slice(0, pl.col("local_start")).alias("before_text"))
    before = pl.col("before_text")
    # A capitalised run is a person's name unless it starts with a word that names no one ("Police",
    # "Wednesday", "The", "On Bike Path Dies") or follows a place preposition or a hyphen ("Caskey of Ashdown").
    non_names = non_name_words()
    after = pl.col("sentence").str.slice(pl.col("local_end"), 40)
    next_word = after.str.extract(r"^\s+([a-z]+)\b", 1)
    not_a_name = pl.col("name").is_not_null() & (
        pl.col("name").str.extract(r"^([A-Za-z'’-]+)", 1).str.to_lowercase().is_in(non_names)
        # "the Nakasone-sponsored plan", "Iran-backed": a name made an adjective names no one.
        | pl.col("name").str.contains(r"-[a-z]")
        # "Deaths in custody have reached ...": an event word heading a sentence names no one.
        | pl.col("name").str.extract(r"^([A-Za-z'’-]+)$", 1).str.to_lowercase().is_in(single_word_triggers())
        | (before.str.contains(NOT_NAME_BEFORE) & ~before.str.contains(found["event_of"]))
        | (
            pl.col("name").str.contains(DEMONYM)
            & next_word.is_not_null()
            & ~next_word.is_in(verbish_words())
            # "Iraqi soldiers" (a people's adjective before people), not "Ali says".
            & (~next_word.str.contains(r"(?:ed|ly|ing|s)$") | next_word.is_in(plural_people()))
        )
        # "a Carson City man", "the Milwaukee woman": a place before a person noun; the person is the noun phrase.
        | after.str.contains(rf"(?i)^\s+(?:{found['person']})\b")
        # "Russia's reputation", "Brazil's trade policy": a possessor before what it owns is not the one counted.
        | (pl.col("name").str.contains(r"['’]s$") & next_word.is_not_null())
        # "Ontario Corn growers", "Wall Street stocks": a name before a plural noun is its modifier; "the slain
        # Moslem rebels": before a plural of people, it counts a group of unknown size, not one person.
        | after.str.extract(r"^\s+([a-z]+s|[a-z]+men)\b", 1).is_in(name_modified_nouns())
        | after.str.extract(r"^\s+([a-z]+s|[a-z]+men)\b", 1).is_in(plural_people())
        # "the detained Serbs", "the Kurds": a plural after "the" is a people or a group of unknown size, not one
        # person; the figure is left out rather than counted as 1 (a family name is "the Smiths'" or "the Smith family").
        | (pl.col("name").str.contains(r"^[A-Z][a-z]+[^s'’]s$") & before.str.contains(r"\b(?i:the)\s+(?:[a-z-]+\s+)?$"))
    )
    # "both" after a preposition or a comma is no subject: "shot in both legs", "LeGrier and Jones, both of Chicago,";
    # nor is "both the market and consumers".
    not_a_pair = pl.col("pair").is_not_null() & (
        before.str.contains(r"(?:,|\b(?:in|on|of|at|to|from|into|for|with|by|between))\s*$") | after.str.contains(r"^\s+the\b")
    )
    # "no one was hurt", "no injuries", "no immediate reports of deaths" count; "no agenda", "no specific details" do not.
    no_count = ((pl.col("zero").str.to_lowercase() == "no") & ~after.str.contains(found["countable_after_no"])) | (
        # "None of those injured was in critical condition": a part of a group, not a zero count.
        pl.col("zero").is_not_null() & after.str.contains(r"(?i)^\s+of\b")
    )
    # Kept as a candidate (it still closes the clause before it), but never counted. Judged on the few names,
    # pairs and zeros only: these tests cost more than the rest of the stage on every candidate.
    out = out.with_columns(pl.int_range(pl.len()).alias("figure_no"))
    rejected = (
        out.filter(pl.col("name").is_not_null() | pl.col("pair").is_not_null() | pl.col("zero").is_not_null())
        .filter(not_a_name.fill_null(False) | not_a_pair.fill_null(False) | no_count.fill_null(False))
        .get_column("figure_no")
    )
    out = out.with_columns(pl.col("figure_no").is_in(rejected.implode()).alias("not_a_name"))
    # "a young mother of three is dead": the number after "<person> of" sizes a family, it counts no victims;
    # "32 of the 543 passengers": the number after "<number> of the" is the whole the part is taken from.
    family = pl.col("c_num").is_not_null() & before.str.tail(30).str.contains(
        rf"(?i)\b(?:{found['person']})\s+of\s+$|\b(?:\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|some|many|most|several|all)\s+of\s+(?:the|its|their)\s+$"
        # "14 out of 45 passengers died": the number after "<number> out of" is the whole, the first the people counted.
        rf"|\b(?:\d[\d,]*|[a-z]+)\s+out\s+of\s+(?:the\s+)?$"
    )
    out = out.with_columns(family.fill_null(False).alias("family_size"))
    after = pl.col("sentence").str.slice(pl.col("local_end"))
    is_age = (
        pl.col("c_hyphen").fill_null("").str.contains(r"^years?-old$")
        | before.str.contains(AGE_BEFORE)
        # "Jon Boring, 51, who was shot": a bare number between commas after a name.
        | (pl.col("c_num").str.contains(r"^\d{1,3}$") & before.str.contains(r"(?-i:[A-Z][\w'’.-]+),\s*$") & after.str.contains(r"^[,)]"))
    )
    return out.with_columns(
        is_age.fill_null(False).alias("is_age"),
        # The next candidate in the sentence closes this one's clause.
        pl.coalesce("mp_qual", "ms_qual", "p_qual", "c_qual").alias("qualifier_term"),
        pl.coalesce("mp_num", "ms_num", "p_num", "b_num", "c_num").alias("amount"),
        pl.coalesce("mp_num2", "ms_num2", "p_num2", "b_num2", "c_num2").alias("amount_max"),
        pl.coalesce("mp_cur", "ms_cur").alias("currency_term"),
        pl.when(pl.col("d_month").is_not_null() | pl.col("d_month2").is_not_null() | pl.col("d_iso").is_not_null())
        .then(pl.lit("DATE"))
        .when(pl.col("mp_cur").is_not_null() | pl.col("ms_cur").is_not_null())
        .then(pl.lit("MONEY"))
        .when(pl.col("p_num").is_not_null())
        .then(pl.lit("PERCENT"))
        .when(pl.col("b_num").is_not_null() | pl.col("c_num").is_not_null() | pl.col("pair").is_not_null())
        .then(pl.lit("NUMBER"))
        .when(pl.col("zero").is_not_null())
        .then(pl.lit("ZERO"))
        .otherwise(pl.lit("SINGULAR"))  # "a man", "the victim", "he", "Lelangel Holmes"
        .alias("shape"),
    )



# --- values ----------------------------------------------------------------------------


def amount_values(amounts: pl.DataFrame, column: str) -> pl.DataFrame:
    """``figure_no`` → value of the amount phrase in ``column``, e.g. "twenty-one" → 21, "2.5 million" → 2.5e6.

    Words are joined to number_words.csv. Smalls add up; a multiplier (hundred, dozen)
    multiplies the smalls before it; a scale (thousand, million) closes a segment and
    multiplies it; segments add up.
    """
    words = number_word_values()
    tokens = (
        amounts.select(
            "figure_no",
            pl.col(column)
            .str.to_lowercase()
            .str.replace_all(",", "")
            .str.replace_all(r"(\d)([a-z])", "$1 $2")
            .str.extract_all(r"\d+(?:\.\d+)?|[a-z]+")
            .alias("token"),
        )
        .explode("token")
        .drop_nulls("token")
        .filter(~pl.col("token").is_in(["a", "an", "and"]))
        .with_columns(pl.int_range(pl.len()).over("figure_no").alias("position"))
        .join(words, left_on="token", right_on="word", how="left")
        .with_columns(
            pl.when(pl.col("token").str.contains(r"^\d"))
            .then(pl.col("token").cast(pl.Float64, strict=False))
            .otherwise(pl.col("word_value"))
            .alias("word_value"),
            pl.when(pl.col("token").str.contains(r"^\d")).then(pl.lit("small")).otherwise(pl.col("kind")).alias("kind"),
        )
        .sort("figure_no", "position")
    )
    is_scale = pl.col("kind") == "scale"
    tokens = tokens.with_columns(
        is_scale.cast(pl.Int32).cum_sum().shift(1, fill_value=0).over("figure_no").alias("segment"),
    ).with_columns(
        (pl.col("kind") == "multiplier").cast(pl.Int32).cum_sum().over(["figure_no", "segment"]).alias("after_mult"),
    )
    small = pl.col("kind") == "small"
    segments = tokens.group_by("figure_no", "segment").agg(
        pl.col("word_value").filter(small & (pl.col("after_mult") == 0)).sum().alias("head"),
        (small & (pl.col("after_mult") == 0)).any().alias("has_head"),
        pl.col("word_value").filter(small & (pl.col("after_mult") > 0)).sum().alias("tail"),
        pl.col("word_value").filter(pl.col("kind") == "multiplier").product().alias("mult"),
        (pl.col("kind") == "multiplier").any().alias("has_mult"),
        pl.col("word_value").filter(is_scale).product().alias("scale"),
        pl.col("kind").is_null().any().alias("unknown"),
    )
    segment_value = (
        pl.when(pl.col("has_mult"))
        .then(pl.when(pl.col("has_head")).then(pl.col("head")).otherwise(1.0) * pl.col("mult") + pl.col("tail"))
        .otherwise(pl.col("head"))
    )
    segment_value = pl.when(
        (segment_value == 0) & ~pl.col("has_head") & ~pl.col("has_mult")
    ).then(1.0).otherwise(segment_value) * pl.col("scale")
    return segments.group_by("figure_no").agg(
        pl.when(pl.col("unknown").any()).then(None).otherwise(segment_value.sum()).alias(column + "_value")
    )


@stage(
    requires=("figure_no", "amount", "amount_max", "d_month", "d_month2", "d_iso", "d_year", "d_year2", "d_day",
              "d_day2", "shape", "s_noun2", "pair", "c_name", "sentence", "local_end"),
    assigns=("amount_value", "amount_max_value", "month_term", "month", "date_parsed", "date_value", "value", "value_max"),
)
def values(figures: pl.DataFrame, batch: Batch) -> pl.DataFrame:
    """Each candidate's value (and range end): numbers folded from their words, dates as yyyymmdd."""
    amounts = figures.filter(pl.col("amount").is_not_null())
    values = amount_values(amounts, "amount")
    maxima = amount_values(amounts.filter(pl.col("amount_max").is_not_null()), "amount_max")
    months = month_numbers()
    out = figures.join(values, on="figure_no", how="left").join(maxima, on="figure_no", how="left")
    out = (
        out.with_columns(pl.coalesce("d_month", "d_month2").str.to_lowercase().alias("month_term"))
        .join(months, left_on="month_term", right_on="term", how="left")
        .with_columns(
            pl.coalesce(
                pl.col("d_iso"),
                pl.concat_str(
                    pl.coalesce("d_year", "d_year2"),
                    pl.col("month").cast(pl.String).str.zfill(2),
                    pl.coalesce("d_day", "d_day2").str.zfill(2),
                    separator="-",
                ),
            )
            # Impossible dates ("February 30") drop out here.
            .str.to_date("%Y-%m-%d", strict=False)
            .alias("date_parsed")
        )
        .with_columns(
            # DATE values are written yyyymmdd (20260223): sortable, readable and >= 0. Years outside
            # 1800-2100 are clock times or codes ("APRIL 07 0930"), not dates.
            pl.when(pl.col("date_parsed").dt.year().is_between(1800, 2100))
            .then(
                pl.col("date_parsed").dt.year().cast(pl.Int64) * 10000
                + pl.col("date_parsed").dt.month().cast(pl.Int64) * 100
                + pl.col("date_parsed").dt.day().cast(pl.Int64)
            )
            .cast(pl.Float64)
            .alias("date_value")
        )
    )
    # "10 to 15 million": the scale of the range end applies to its start.
    start_scaled = (
        pl.when(
            pl.col("amount_max_value").is_not_null()
            & (pl.col("amount_max_value") > 0)
            & (pl.col("amount_value") * 1000 <= pl.col("amount_max_value"))
            & pl.col("amount").str.contains(r"^[\d.,]+$")
        )
        .then(pl.col("amount_value") * (pl.col("amount_max_value") / pl.col("amount_max").str.extract(r"^([\d.,]+)").str.replace_all(",", "").cast(pl.Float64, strict=False)))
        .otherwise(pl.col("amount_value"))
    )
    others = pl.col("sentence").str.slice(pl.col("local_end"), 20).str.contains(r"^\s+(?:other|others)\b")
    return out.with_columns(
        pl.when(pl.col("shape") == "DATE")
        .then(pl.col("date_value"))
        .when(pl.col("shape") == "ZERO")
        .then(pl.lit(0.0))
        .when((pl.col("shape") == "SINGULAR") & pl.col("s_noun2").is_not_null())
        .then(pl.lit(2.0))
        .when(pl.col("shape") == "SINGULAR")
        .then(pl.lit(1.0))
        .when(pl.col("pair").is_not_null())
        .then(pl.lit(2.0))
        # "Oseguera and two others" is 3; "Rio Grande do Sul and three people", "Hanover and two" are not.
        .otherwise(start_scaled + pl.when(pl.col("c_name").is_not_null() & others).then(1.0).otherwise(0.0))
        .alias("value"),
        pl.col("amount_max_value").alias("value_max"),
    )



# --- objects ---------------------------------------------------------------------------


# A possessive after a singular names who it is about: "'s driver", "’s wife".
POSSESSED = r"^['’]s\s+(?-i:([a-z]+))\b"


@stage(
    requires=("article_id", "sentence_no", "sentence", "local_start", "local_end", "shape", "figure_no", "s_noun", "s_aged_noun"),
    assigns=("after", "object", "object_end"),
)
def objects(figures: pl.DataFrame, batch: Batch) -> pl.DataFrame:
    """The counted noun phrase: up to five words after a count, cut at the first stop word, last two kept.

    A candidate inside the phrase a count counts ("Three Mexican military personnel") is part of it: dropped.
    """
    after = pl.col("sentence").str.slice(pl.col("local_end"))
    figures = figures.with_columns(after.alias("after"))
    stop = object_stop_words()
    counted = figures.filter(pl.col("shape") == "NUMBER")
    words = (
        counted.select(
            "figure_no",
            pl.col("after").str.extract(FOLLOWING_WORDS, 0).str.extract_all(WORD).alias("word"),
        )
        .explode("word")
        .drop_nulls("word")
        .with_columns(
            pl.col("word").str.len_chars().cum_sum().over("figure_no").alias("word_end"),
            pl.col("word").str.strip_chars().alias("word"),
        )
        .with_columns(pl.col("word").str.to_lowercase().alias("lower"))
        .join(stop, left_on="lower", right_on="word", how="left")
        .with_columns(
            (pl.col("role") == "stop").fill_null(False).cast(pl.Int32).cum_sum().over("figure_no", order_by="word_end").alias("stops_before")
        )
        .filter(pl.col("stops_before") == 0, pl.col("role").is_null())
    )
    phrases = words.group_by("figure_no").agg(
        pl.col("word").sort_by("word_end").tail(2).str.join(" ").alias("object"),
        pl.col("word_end").max().alias("object_end"),
    )
    out = figures.join(phrases, on="figure_no", how="left")
    out = out.with_columns(
        # "a police officer's driver was shot dead": the one counted is the possessed person, not the possessor.
        pl.when(pl.col("shape") == "SINGULAR")
        .then(pl.coalesce(pl.col("after").str.extract(POSSESSED, 1), "s_noun", "s_aged_noun"))
        .otherwise(pl.col("object"))
        .alias("object"),
        pl.when(pl.col("shape") == "SINGULAR")
        .then(pl.col("after").str.extract(POSSESSED, 0).str.len_chars())
        .otherwise(pl.col("object_end"))
        .fill_null(0)
        .alias("object_end"),
    )

    covered_to = (pl.col("local_end") + pl.col("object_end")).cum_max().shift(1).over(["article_id", "sentence_no"], order_by="local_start")
    return out.filter(pl.col("local_start") >= covered_to.fill_null(0))
