"""Figures in article bodies: counts of people and things, money, percents, years, dates.

The whole extractor is a chain of polars frame transforms over a batch:

1. ``sentences``  — bodies cut into sentences, with character offsets.
2. ``candidates`` — every number-like span in a sentence (one regex, built from the lexicons),
   split into its named parts (qualifier, currency, amount, range end, ...).
3. ``values``     — amounts ("twenty-one", "2.5 million", "1,200", "a dozen") to numbers, by
   joining their words to ``number_words.csv`` and folding with group-by aggregations.
4. ``objects``    — the counted noun phrase after a count ("three other cartel members").
5. ``categories`` — the event a count belongs to, from trigger words in its clause joined to
   ``triggers.csv`` ("were killed" → KILL), in passive/intransitive clauses after the count
   or an active verb right before it ("shot and killed a suspect").
   Then, per article, a singular SHOOT victim in an article that says someone died
   (``death_cues.csv``) becomes KILL (``with_victim_outcomes``).
6. ``attribution``— the mention next to a speech cue in the sentence ("Leavitt said",
   "according to the secretariat") becomes ``source_entity_id``.

Offsets are Python string (code point) indices: every length below is ``len_chars`` and every
slice is ``str.slice``, both in characters; nothing uses byte offsets.
"""

from __future__ import annotations

import functools

import polars as pl

from transforms.figures.lexicons import PERSON_NAME, ascii_classes, lexicon, patterns
from transforms.schema import FIGURES, MENTIONS, conform, empty

# A sentence ends at . ! ? (and closing quotes) followed by space, or at a line break.
SENTENCE = r"(?s).*?(?:[.!?]+[\"'”’)\]]*\s+|\n\s*|$)"
ABBREVIATION_END = (
    r"(?:\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|Mr|Mrs|Ms|Dr|Lt|Sgt|Cpl|Capt|Col|Gen|Gov|Sen|Rep"
    r"|St|Ave|Blvd|Rd|Mt|No|Jr|Sr|Det|Ofc|Dept|Co|Corp|Inc|vs|approx|[A-Z])\.|\b[a-z]\.[a-z]\.)\s*$"
)
# A clause ends at punctuation that separates claims ("three were killed, three were wounded").
# A title glued to the body ("night of violenceOne man is dead") ends it too: a lowercase letter
# followed by a capital.
CLAUSE = r"^(?:[a-z]+(?:[^a-zA-Z,;:()\[\]\"“”]|$)|[^a-z,;:()\[\]\"“”])*[a-z]*"
# The words right after a count that may name what is counted.
FOLLOWING_WORDS = r"^(?:[ \t]+[A-Za-z][\w'’-]*){0,5}"
WORD = r"\s*[A-Za-z][\w'’-]*"
# The active verb right before a count names its event: "killing his five children", "shot a man";
# so does a passive one shared with "along with": "was killed along with Heriberto Corpus".
BEFORE_OBJECT = r"\b(?P<verb>{trigger_terms})\s+(?:along\s+with\s+)?(?:(?:his|her|their|its|the|all)\s+)?(?:\d+-year-old\s+)?$"
# In a clause after a count, these show the count is the agent, not the one the event happened to.
ACTIVE_RELATIVE = r"\b(?:who|that|which)\s+(?:(?:police|authorities|officials|investigators)\s+(?:say|said|believe)\s+)?(?:\w+ly\s+)?$"
DETERMINER_NEXT = r"^\s+(?:a|an|the|his|her|their|its|two|three|four|five|six|\d+)\b"
# A name or pronoun suffers the event only in the passive: "he was shot", not "he shot".
PASSIVE_AUX = r"\b(?:was|were|been|being|is|are|got|gets|get)\b"
# Case-sensitive: a verb in lowercase ("wielding"), not a shouted banner ("VIEWER DISCRETION ADVISED").
OBJECT_OF_VERB = r"\b[a-z]+(?:ing|ed)\s+(?:(?:[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|[Tt]he)\s+)?$"
AGE_BEFORE = r"(?i)\b(?:age\s+of|ages\s+of|aged)\s+$"
NOT_NAME_BEFORE = r"(?:-|\b(?:of|in|at|from|near|on|to)\s+)$"
# "not injured", "wasn't hurt", "never shot": the event did not happen to the count.
NEGATION = r"(?i)\b(?:not|never|neither|nor|could|would|might|possibly|almost|nearly|tried\s+to|threatened\s+to|attempted\s+to|go\s+ahead\s+and)\b|n['’]t\b"
# Between two people of one list: a comma or "and", after an optional age ("Stephens, 32, and Paul J. Rayer"),
# and before an optional possessor ("Quintonio LeGrier, 19, and LeGrier's neighbor Bettie Jones").
LIST_GAP = r"^(?:,\s*\d{1,3})?\s*(?:,\s*(?:and\s+|as\s+well\s+as\s+)?|and\s+|as\s+well\s+as\s+)(?:(?-i:[A-Z])[\w-]*['’]s\s+[a-z]+\s+)?$"
# The verb after a list of people agrees with all of them: "... and their dog were found dead".
PLURAL_SUBJECT = r"(?i)\b(?:were|are|have\s+been|both|all)\b"
CLAUSE_WINDOW = 160
ATTRIBUTION_BEFORE = 3  # chars between a mention and a following cue: "Leavitt said", "X, said"
ATTRIBUTION_AFTER = 6  # chars between a cue and a following mention: "according to the secretariat"


def extract_figures(articles: pl.DataFrame, mentions: pl.DataFrame) -> pl.DataFrame:
    """All figures in ``articles`` (ARTICLES frame), attributed with ``mentions`` (MENTIONS frame)."""
    if articles.is_empty():
        return empty(FIGURES)
    sents = sentences(articles)
    figures = candidates(sents)
    if figures.is_empty():
        return empty(FIGURES)
    figures = with_values(figures)
    figures = with_objects(figures)
    # A candidate inside the phrase a count counts ("Three Mexican military personnel") is part of it.
    covered_to = (pl.col("local_end") + pl.col("object_end")).cum_max().shift(1).over(["article_id", "sentence_no"], order_by="local_start")
    figures = figures.filter(pl.col("local_start") >= covered_to.fill_null(0))
    figures = with_categories(figures)
    figures = with_coordinated_victims(figures)
    figures = with_contrastive_another(figures)
    figures = classify(figures)
    figures = with_victim_names(figures, articles)
    figures = with_victim_outcomes(figures, articles)
    figures = with_attribution(figures, sents, mentions)
    return conform(figures.sort("article_id", "start_char"), FIGURES)


# --- lexicon frames, built once per process -------------------------------------------
# The lexicons are fixed for a process; rebuilding these frames and lists on every call is a fixed cost of
# each batch (polars frames are immutable, so sharing them is safe).


@functools.cache
def non_name_words() -> list[str]:
    """Words that start no person's name: non_names.csv and stopwords.csv."""
    return pl.concat([lexicon("non_names").select("word"), lexicon("stopwords").select("word")])["word"].to_list()


@functools.cache
def person_noun_list() -> list[str]:
    return lexicon("person_nouns")["noun"].to_list()


@functools.cache
def number_word_values() -> pl.DataFrame:
    return lexicon("number_words").select(pl.col("word"), pl.col("value").cast(pl.Float64).alias("word_value"), pl.col("kind"))


@functools.cache
def month_numbers() -> pl.DataFrame:
    return lexicon("months").select(pl.col("term"), pl.col("month").cast(pl.Int64))


@functools.cache
def object_stop_words() -> pl.DataFrame:
    """Words that end a counted phrase: stop words, trigger words (except the counted nouns "protesters"), number words."""
    return pl.concat(
        [
            lexicon("stopwords"),
            lexicon("triggers").filter(~pl.col("term").str.contains(" "), ~pl.col("term").is_in(["protesters", "protestors", "demonstrators"])).select(pl.col("term").alias("word"), pl.lit("stop").alias("role")),
            lexicon("number_words").filter(pl.col("word").str.len_chars() > 2).select("word", pl.lit("stop").alias("role")),
        ]
    ).unique("word", keep="first")


@functools.cache
def trigger_frame() -> pl.DataFrame:
    return lexicon("triggers").with_columns(pl.col("term").str.to_lowercase().alias("term_key")).select("term_key", "category", "voice")


@functools.cache
def active_trigger_categories() -> tuple[list[str], list[str]]:
    """Trigger terms that can be active verbs ("shot and killed a suspect") and their categories."""
    active = trigger_frame().filter(pl.col("voice") != "intransitive")
    return active["term_key"].to_list(), active["category"].to_list()


@functools.cache
def classify_lexicons() -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    return (
        lexicon("currencies").select(pl.col("term").str.to_lowercase().alias("currency_key"), pl.col("iso")),
        lexicon("qualifiers").select(pl.col("term").alias("qualifier_key"), "qualifier"),
        lexicon("units").select(pl.col("term").alias("unit_key"), pl.col("unit").alias("measure")),
    )


# --- 1. sentences ----------------------------------------------------------------------


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
    # A piece that ends in an abbreviation ("Jan.", "Lt.", "U.S.") runs on into the next one.
    runs_on = pl.col("sentence").str.contains(ABBREVIATION_END).shift(1, fill_value=False).over("article_id")
    out = out.with_columns((~runs_on).cast(pl.Int32).cum_sum().over("article_id").alias("sentence_no"))
    return (
        out.group_by("article_id", "sentence_no", maintain_order=True)
        .agg(
            (pl.col("sentence_end").first() - pl.col("sentence").first().str.len_chars()).alias("sentence_start"),
            pl.col("sentence").str.join(""),
        )
    )


# --- 2. candidates ---------------------------------------------------------------------


def candidates(sents: pl.DataFrame) -> pl.DataFrame:
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
    # The sentence before the candidate, sliced once (several tests here and in with_categories look at its end).
    out = out.with_columns(pl.col("sentence").str.slice(0, pl.col("local_start")).alias("_before"))
    before = pl.col("_before")
    # A capitalised run is a person's name unless it starts with a word that names no one ("Police",
    # "Wednesday", "The", "On Bike Path Dies") or follows a place preposition or a hyphen ("Caskey of Ashdown").
    non_names = non_name_words()
    not_a_name = pl.col("name").is_not_null() & (
        pl.col("name").str.extract(r"^([A-Za-z'’-]+)", 1).str.to_lowercase().is_in(non_names)
        | before.str.contains(NOT_NAME_BEFORE)
    )
    # "both" after a preposition or a comma is no subject: "shot in both legs", "LeGrier and Jones, both of Chicago,".
    not_a_pair = pl.col("pair").is_not_null() & before.str.contains(r"(?:,|\b(?:in|on|of|at|to|from|into|for|with|by|between))\s*$")
    # Kept as a candidate (it still closes the clause before it), but never counted.
    out = out.with_columns((not_a_name.fill_null(False) | not_a_pair).alias("not_a_name"))
    # "a young mother of three is dead": the number after "<person> of" sizes a family, it counts no victims.
    family = pl.col("c_num").is_not_null() & before.str.tail(30).str.contains(rf"(?i)\b(?:{found['person']})\s+of\s+$")
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
        pl.int_range(pl.len()).alias("figure_no"),
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


# --- 3. values -------------------------------------------------------------------------


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


def with_values(figures: pl.DataFrame) -> pl.DataFrame:
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
        .otherwise(start_scaled + pl.when(pl.col("c_name").is_not_null()).then(1.0).otherwise(0.0))
        .alias("value"),
        pl.col("amount_max_value").alias("value_max"),
    )


# --- 4. objects ------------------------------------------------------------------------


def with_objects(figures: pl.DataFrame) -> pl.DataFrame:
    """The counted noun phrase: up to five words after a count, cut at the first stop word, last two kept."""
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
    objects = words.group_by("figure_no").agg(
        pl.col("word").sort_by("word_end").tail(2).str.join(" ").alias("object"),
        pl.col("word_end").max().alias("object_end"),
    )
    out = figures.join(objects, on="figure_no", how="left")
    return out.with_columns(
        pl.when(pl.col("shape") == "SINGULAR").then(pl.coalesce("s_noun", "s_aged_noun")).otherwise(pl.col("object")).alias("object"),
        pl.col("object_end").fill_null(0),
    )


# --- 5. categories ---------------------------------------------------------------------


def with_categories(figures: pl.DataFrame) -> pl.DataFrame:
    triggers = trigger_frame()
    trigger = patterns()["trigger"]
    trigger_terms = patterns()["trigger_terms"]
    clause_start = pl.col("local_end") + pl.col("object_end")
    # The clause runs to the next candidate after the counted phrase (a name inside it does not cut it).
    figures = figures.with_columns(clause_start.alias("clause_start")).sort("clause_start")
    # "X and Y were both pronounced dead": "both" restates the people before it, it does not end their clause.
    starts = figures.filter(~pl.col("is_age"), ~pl.col("family_size"), pl.col("pair").is_null()).select("article_id", "sentence_no", pl.col("local_start").alias("next_start")).sort("next_start")
    figures = figures.join_asof(
        starts, left_on="clause_start", right_on="next_start", by=["article_id", "sentence_no"], strategy="forward", check_sortedness=False
    ).sort("figure_no")
    # An appositive does not end the clause: "Amanda Ghossien, a 24-year-old white female, died", "Jon Boring, 51, who was shot".
    window_len = pl.min_horizontal(
        pl.col("next_start").fill_null(10**9) - clause_start, pl.lit(CLAUSE_WINDOW)
    ).clip(lower_bound=0)
    window = pl.col("sentence").str.slice(clause_start, window_len)
    described = pl.col("s_noun").is_not_null() | pl.col("s_age").is_not_null() | pl.col("s_aged").is_not_null()
    # "relatives of the victim, at the house, were taken to a hospital": after "of" the comma closes the
    # larger phrase, whose verb that is.
    complement = pl.col("sentence").str.slice((pl.col("local_start") - 4).clip(lower_bound=0), pl.min_horizontal(pl.col("local_start"), 4))
    complement = complement.str.contains(r"(?i)(?:^|[^a-z])of\s+$")
    # "The victim, whose name has not been released, was shot": a relative clause between commas describes
    # the person; the verb after it is theirs.
    relative = r"^(?:,\s*(?:who|whose)\s[^,;:()\[\]\"“”]*,\s*|"
    rest = (
        pl.when(described & ~complement)
        .then(window.str.replace(relative + r",?\s*(?:\d{1,3},\s*)?)", " "))
        .otherwise(window.str.replace(relative + r",\s*\d{1,3},\s*)", " "))
    ).str.replace_all(r"(?i)\b(shot|stabbed),\s+(killed|wounded|injured|hurt)\b", "$1 and $2").str.replace_all(
        # "taken to a hospital, where they died": what happens where the victim was taken happens to the victim.
        r"(?i)\b(hospital|center|scene),\s+where\b", "$1 where"
    )
    # The sentence before the count (sliced once by candidates): several tests below look at its end.
    if "_before" not in figures.columns:
        figures = figures.with_columns(pl.col("sentence").str.slice(0, pl.col("local_start")).alias("_before"))
    out = figures.with_columns(
        rest.str.extract(CLAUSE, 0).alias("clause"),
        # The clause runs unbroken into the next candidate.
        (
            pl.col("next_start").is_not_null()
            & (pl.col("next_start") - clause_start <= CLAUSE_WINDOW)
            & ~window.str.contains(r"[,;:()\[\]\"“”]")
        ).alias("reaches_next"),
        pl.col("_before")
        .str.tail(60)
        .str.extract(rf"(?i){BEFORE_OBJECT.format(trigger_terms=trigger_terms)}", 1)
        .alias("verb_before"),
    )
    found = out.select(
        "figure_no",
        pl.col("clause").str.extract_all(rf"(?is).*?{trigger}").alias("piece"),
    ).explode("piece").drop_nulls("piece")
    found = found.with_columns(
        pl.col("piece").str.extract(rf"(?i)({trigger_terms})\b$", 1).str.to_lowercase().str.replace_all(r"\s+", " ").alias("term_key"),
        pl.col("piece").str.extract(rf"(?is)^(.*?)\b(?:{trigger_terms})\b$", 1).alias("before_trigger"),
        pl.int_range(pl.len()).over("figure_no").alias("trigger_no"),
    ).join(triggers, on="term_key", how="left")
    first = found.filter(pl.col("trigger_no") == 0).select(
        "figure_no",
        pl.col("category").alias("first_category"),
        pl.col("voice").alias("first_voice"),
        pl.col("before_trigger").alias("first_before"),
    )
    later_kill = found.filter(pl.col("trigger_no") > 0, pl.col("category") == "KILL").group_by("figure_no").agg(
        pl.lit(True).alias("later_kill"),
        (pl.col("voice") == "intransitive").any().alias("later_death"),
    )
    out = out.join(first, on="figure_no", how="left").join(later_kill, on="figure_no", how="left")
    after_first = pl.col("clause").str.slice(pl.col("first_before").str.len_chars())
    # "a man who killed ...", "an officer shot a man", "he shot": the count did the act, it did not suffer it.
    named = pl.col("pronoun").is_not_null() | pl.col("name").is_not_null()
    agent = (
        (pl.col("first_voice") == "active")
        | (
            named
            & ~pl.col("first_before").str.contains(rf"(?i){PASSIVE_AUX}")
            # "Smith died", "Davidson has died", "Martin later died": an intransitive event happens to the name.
            & ~((pl.col("first_voice") == "intransitive") & pl.col("first_before").str.contains(r"^\s*(?:(?:has|have|had|later|also|then|\w+ly)\s+)*$"))
        )
        | pl.col("first_before").str.contains(rf"(?i){ACTIVE_RELATIVE}")
        | (
            (pl.col("first_voice") != "intransitive")
            & pl.col("first_before").str.contains(r"(?i)^\s*(?:\w+ly\s+)?$")
            & (
                after_first.str.replace(rf"(?i)^{trigger}", "").str.contains(rf"(?i){DETERMINER_NEXT}")
                # The next candidate follows the verb directly: "an officer shot | a man".
                | (
                    after_first.str.replace(rf"(?i)^{trigger}", "").str.strip_chars().eq("")
                    & pl.col("reaches_next")
                )
            )
        )
    )
    # "wielding two handguns was shot": a count that is the object of another verb is not its subject.
    object_of_verb = pl.col("_before").str.contains(OBJECT_OF_VERB) & pl.col("verb_before").is_null()
    # "FOX 28", "Highway 101", "1117 Vandergriff Drive": a label or an address, not a count.
    label = pl.col("amount").str.contains(r"^\d+$") & (
        pl.col("_before").str.contains(r"(?-i:[A-Z][\w-]*)[ /#]?$")
        | pl.col("object").fill_null("").str.contains(r"^(?-i:[A-Z])|^block\b")  # "the 600 block of ..."
    )
    negated = pl.col("first_before").str.contains(NEGATION).fill_null(False) | (
        pl.col("verb_before").is_not_null()
        & pl.col("_before").str.tail(40).str.contains(rf"(?:{NEGATION})[^,;.]*$")
    )
    # "Girl shot at party dies": a blocking trigger ("shot at") does not hide the death that follows it.
    blocked_then_died = (
        pl.col("first_before").is_not_null() & pl.col("first_category").is_null() & pl.col("later_death").fill_null(False)
    )
    clause_category = (
        pl.when(blocked_then_died & ~object_of_verb & ~label.fill_null(False) & ~negated)
        .then(pl.lit("KILL"))
        .when(agent.fill_null(True) | object_of_verb | label.fill_null(False) | negated)
        .then(None)
        .when(pl.col("first_category").is_in(["WOUND", "SHOOT"]) & pl.col("later_kill").fill_null(False))
        .then(pl.lit("KILL"))
        .otherwise(pl.col("first_category"))
    )
    verb_category = (
        pl.col("verb_before").str.to_lowercase().str.replace_all(r"\s+", " ")
        .replace_strict(*active_trigger_categories(), default=None)
    )
    # The object of an active verb suffered it; what follows is about the subject ("shot three women and then killed himself").
    # "28 were killed in January since 2007", "nine officers have been fatally shot this year": a
    # statistic over many events, not this article's toll.
    aggregate = (
        (pl.col("shape") == "NUMBER") & pl.col("sentence").str.contains(patterns()["aggregate"])
        | pl.col("not_a_name")
        | pl.col("family_size")
    )
    category = pl.when(aggregate | negated).then(None).otherwise(pl.coalesce(verb_category, clause_category))
    # "In 1989, ... was gunned down", "accused of killing his wife in 2012": a casualty of another, dated
    # event (a charge "in 2022" still stands).
    past = pl.col("sentence").str.contains(patterns()["past_year"]) & category.is_in(["KILL", "WOUND", "SHOOT"])
    out = out.with_columns(pl.when(past).then(None).otherwise(category).alias("category"))
    # "killed himself" counts the one who killed himself; "shot himself" (in the leg, by accident, ...) says
    # nothing of a casualty beyond the one the article is about.
    reflexive = pl.col("pronoun").str.to_lowercase().is_in(["himself", "herself"]) & (pl.col("category") != "KILL")
    return out.with_columns(pl.when(reflexive.fill_null(False)).then(None).otherwise(pl.col("category")).alias("category")).drop("_before")


# --- lists of victims ------------------------------------------------------------------


@functools.cache
def plural_people() -> list[str]:
    """Plurals of the person nouns ("men", "children", "victims"): what a counted group of people is."""
    nouns = lexicon("person_nouns")["noun"].to_list()
    irregular = {"man": "men", "woman": "women", "child": "children", "person": "people"}
    plurals = {irregular.get(noun, noun + ("es" if noun.endswith(("s", "x", "ch", "sh")) else "s")) for noun in nouns}
    return sorted(plurals | {noun[:-1] + "ies" for noun in nouns if noun.endswith("y") and noun[-2] not in "aeiou"} | {"persons"})


@functools.cache
def plural_people_pattern() -> str:
    """An object that ends in a plural person noun: "young children", "cartel members"."""
    return ascii_classes(rf"(?i)\b(?:{'|'.join(plural_people())})$")


def with_coordinated_victims(figures: pl.DataFrame) -> pl.DataFrame:
    """People listed with commas and "and" share one verb: the list is one claim counting them all.

    "his girlfriend, her teenage daughter, the couple's toddler and their dog were found dead" is KILL 3
    (the verb after the list is plural: were/are/have been); "fatally shot Quintonio LeGrier, 19, and
    LeGrier's neighbor Bettie Jones, 55" is KILL 2 (an active verb before the list). Only descriptions
    and names are listed people; pronouns, possessors, non-names, ages and family sizes are not. A list ends in
    "and" ("Woman, Carjackings" in a headline is no list).
    """
    person = (
        (pl.col("shape") == "SINGULAR") & pl.col("pronoun").is_null() & ~pl.col("not_a_name") & ~pl.col("is_age") & ~pl.col("family_size")
        # "LeGrier's neighbor Bettie Jones": the possessor is not the one listed.
        & ~pl.col("text").str.contains(r"['’]s$")
    )
    # A counted group of people is listed too: "two men and a woman were shot", "killing his five young
    # children as well as his wife".
    group = (
        (pl.col("shape") == "NUMBER") & ~pl.col("is_age") & ~pl.col("family_size") & ~pl.col("not_a_name")
        & pl.col("object").str.contains(plural_people_pattern())
    )
    key = ["article_id", "sentence_no"]
    people = figures.filter(person | group.fill_null(False)).sort(*key, "local_start")
    if people.height < 2:
        return figures
    next_start = pl.col("local_start").shift(-1).over(key)
    member_end = pl.col("local_end") + pl.col("object_end")
    gap = pl.col("sentence").str.slice(member_end, next_start - member_end)
    people = people.with_columns(
        gap.str.contains(ascii_classes(LIST_GAP)).fill_null(False).alias("linked"),
        gap.str.contains(r"\b(?:and|as\s+well\s+as)\s").fill_null(False).alias("and_link"),
    )
    people = people.with_columns((~pl.col("linked").shift(1, fill_value=False).over(key)).cast(pl.Int32).cum_sum().over(key).alias("list_no"))
    lists = (
        people.group_by(*key, "list_no")
        .agg(
            pl.len().alias("members"),
            # "a man and woman" under one determiner are two of the people listed.
            pl.col("value").sum().alias("listed"),
            pl.col("local_start").first().alias("list_start"),
            pl.col("figure_no").last().alias("last_no"),
            pl.col("category").last().alias("last_category"),
            pl.col("first_before").last().fill_null("").str.contains(PLURAL_SUBJECT).alias("plural_verb"),
            pl.col("verb_before").first().is_not_null().alias("verb_before_list"),
            pl.col("category").first().alias("first_category"),
            pl.col("figure_no"),
            # A list ends in "and" ("..., the couple's toddler and their dog were"): "Woman, Carjackings" in a
            # headline lists no one.
            (pl.col("and_link").slice(-2, 1).first() | pl.col("first_before").last().fill_null("").str.contains(r"^\s*and\s")).alias("ends_in_and"),
        )
        .filter(pl.col("members") > 1, pl.col("ends_in_and"))
        .with_columns(
            pl.when(pl.col("plural_verb") & pl.col("last_category").is_in(["KILL", "WOUND", "SHOOT"]))
            .then(pl.col("last_category"))
            .when(pl.col("verb_before_list") & pl.col("first_category").is_in(["KILL", "WOUND", "SHOOT"]))
            .then(pl.col("first_category"))
            .alias("list_category")
        )
        .filter(pl.col("list_category").is_not_null())
    )
    if lists.is_empty():
        return figures
    members = lists.select("figure_no", "last_no").explode("figure_no")
    others = members.filter(pl.col("figure_no") != pl.col("last_no"))["figure_no"]
    last = lists["last_no"]
    # The last person listed carries the list (few rows: maps by figure_no, cheaper than joins on the batch).
    listed = pl.col("figure_no").is_in(last)

    def by_last(column: str) -> pl.Expr:
        return pl.col("figure_no").replace_strict(last, lists[column], default=None)

    return figures.filter(~pl.col("figure_no").is_in(others)).with_columns(
        pl.when(listed).then(by_last("list_start")).otherwise(pl.col("local_start")).alias("local_start"),
        pl.when(listed).then(by_last("listed").cast(pl.Float64)).otherwise(pl.col("value")).alias("value"),
        pl.when(listed).then(by_last("list_category")).otherwise(pl.col("category")).alias("category"),
    )


# --- "another" ------------------------------------------------------------------------


def with_contrastive_another(figures: pl.DataFrame) -> pl.DataFrame:
    """"another man" is someone beyond the last person the article spoke of. When that person is a casualty
    ("One man was declared dead, and another man died"), the claim adds to the toll; when it is someone
    else, the agent ("he shot and killed another man") or a person named on the way ("Sherrod White was
    laid to rest. Minutes later another man was dead"), it counts no one beyond the toll: its text is the
    noun phrase without "another" (the casualty view adds claims whose text says another/other).
    """
    another = (pl.col("shape") == "SINGULAR") & (pl.col("s_det").str.to_lowercase() == "another")
    if not figures.select(another.fill_null(False).any()).item():
        return figures
    person = (
        (pl.col("shape") == "SINGULAR") & ~pl.col("not_a_name") & ~pl.col("is_age") & ~pl.col("family_size")
    ) | ((pl.col("shape") == "NUMBER") & pl.col("category").is_not_null())
    casualty = pl.col("category").is_in(["KILL", "WOUND", "SHOOT"]).fill_null(False)
    # Only articles with an "another": the people before it, in text order.
    articles = figures.filter(another.fill_null(False)).select("article_id").unique()
    contrastive = (
        figures.join(articles, on="article_id", how="semi")
        .filter(person)
        .sort("article_id", pl.col("sentence_start") + pl.col("local_start"))
        .with_columns(casualty.shift(1).over("article_id").fill_null(False).alias("after_casualty"))
        .filter(another.fill_null(False), ~pl.col("after_casualty"))
        .get_column("figure_no")
    )
    if contrastive.is_empty():
        return figures
    return figures.with_columns(
        pl.when(pl.col("figure_no").is_in(contrastive.implode()))
        .then(
            pl.col("local_start")
            + pl.col("sentence").str.slice(pl.col("local_start"), 12).str.extract(r"(?i)^(another\s+)", 1).str.len_chars().fill_null(0)
        )
        .otherwise(pl.col("local_start"))
        .alias("local_start")
    )


# --- classification --------------------------------------------------------------------


def classify(figures: pl.DataFrame) -> pl.DataFrame:
    currencies, qualifiers, units = classify_lexicons()
    out = (
        figures.with_columns(
            pl.col("currency_term").str.to_lowercase().str.replace_all(r"\s+", " ").alias("currency_key"),
            pl.col("qualifier_term").str.to_lowercase().str.replace_all(r"\s+", " ").alias("qualifier_key"),
            pl.coalesce(
                pl.col("c_hyphen").str.to_lowercase(),
                pl.col("object").str.to_lowercase().str.extract(r"^([\w/-]+)", 1),
            ).alias("unit_key"),
        )
        .join(currencies, on="currency_key", how="left")
        .join(qualifiers, on="qualifier_key", how="left")
        .join(units, on="unit_key", how="left")
    )
    # "shot eight times", "fired 65 rounds": what a measure counts is never a person, whatever the clause says.
    out = out.with_columns(
        pl.when((pl.col("shape") == "NUMBER") & pl.col("measure").is_not_null()).then(None).otherwise(pl.col("category")).alias("category")
    )
    plain_year = (
        pl.col("amount").str.contains(r"^(?:1[89]|20)\d\d$")
        & pl.col("qualifier").is_null()
        & pl.col("amount_max").is_null()
        & ~pl.col("object").fill_null("").str.contains(r"^[a-z]")
        & pl.col("c_name").is_null()
    )
    age = pl.col("is_age")
    kind = (
        pl.when(pl.col("shape") == "DATE").then(pl.lit("DATE"))
        .when(pl.col("shape") == "MONEY").then(pl.lit("MONEY"))
        .when(pl.col("shape") == "PERCENT").then(pl.lit("PERCENT"))
        .when((pl.col("shape") == "NUMBER") & plain_year).then(pl.lit("YEAR"))
        # "26-year-old": an age, whatever the clause says; the person is counted by "a 26-year-old man".
        .when((pl.col("shape") == "NUMBER") & (pl.col("c_hyphen").is_not_null() | pl.col("is_age"))).then(pl.lit("QUANTITY"))
        .when((pl.col("shape") == "NUMBER") & pl.col("measure").is_not_null() & pl.col("category").is_null()).then(pl.lit("QUANTITY"))
        .otherwise(pl.lit("COUNT"))
    )
    out = out.with_columns(kind.alias("kind"))
    spelled_or_implicit = ~pl.col("amount").fill_null("").str.contains(r"\d")
    keep = (
        pl.col("value").is_not_null()
        & pl.col("value").is_finite()
        & (
            pl.col("kind").is_in(["DATE", "MONEY", "PERCENT", "YEAR", "QUANTITY"])
            | pl.col("category").is_not_null()
            # A spelled-out "one" or "no" with nothing counted is a pronoun or a determiner, not a figure;
            # "both" counts only people an event happened to.
            | (pl.col("shape") == "NUMBER") & pl.col("pair").is_null() & (~spelled_or_implicit | (pl.col("object").is_not_null() & (pl.col("value") > 1)))
        )
    )
    out = out.filter(keep)
    return out.with_columns(
        pl.when(pl.col("kind") == "MONEY").then(pl.col("iso"))
        .when(pl.col("kind") == "PERCENT").then(pl.lit("%"))
        .alias("unit"),
        pl.when((pl.col("kind") == "QUANTITY") & age).then(pl.lit("years of age"))
        .when(pl.col("kind") == "QUANTITY").then(pl.coalesce("measure", "c_hyphen"))
        .when(pl.col("kind") == "COUNT").then(pl.col("object"))
        .alias("object"),
        pl.when(pl.col("kind") == "COUNT").then(pl.col("category")).alias("category"),
        pl.when(pl.col("kind").is_in(["YEAR", "DATE"])).then(None).otherwise(pl.col("qualifier")).alias("qualifier"),
    ).with_columns(
        # A count's text runs to the end of what it counts: "three other cartel members".
        pl.when(pl.col("kind").is_in(["COUNT", "QUANTITY"]))
        .then(pl.col("local_end") + pl.col("object_end"))
        .otherwise(pl.col("local_end"))
        .alias("local_end")
    ).with_columns(
        pl.col("sentence").str.slice(pl.col("local_start"), pl.col("local_end") - pl.col("local_start")).alias("text"),
    )


# --- who the victim is ----------------------------------------------------------------


def with_victim_names(figures: pl.DataFrame, articles: pl.DataFrame) -> pl.DataFrame:
    """The ``object`` of an implicit singular is who it is: a person's name, else the person noun.

    A name ("Quintonio LeGrier", "LeGrier") is its own object; a description takes the name next to it
    as an appositive ("a neighbor, 55-year-old Bettie Jones", "Felimon Contreras, 29, a Latino man"),
    or else keeps its noun, in lowercase ("neighbor"). Capitalised objects are thus named people: the
    casualty view counts different full names as different victims. A single name ("LaToya", "LeGrier")
    takes the full name it starts or ends elsewhere in the article ("LaToya Chambers", "Quintonio
    LeGrier"; only in articles naming more than one person killed, the only place it counts); one that
    is in no full name stays a single word, which the view does not count (it may be
    a first name, a surname, or a school: "Former Yates basketball star").
    Not names: a possessive ("LeGrier's neighbor" is someone else), a run that starts with a word that
    names no one, a person noun ("Homeowners died off").
    """
    singular = (pl.col("shape") == "SINGULAR") & (pl.col("kind") == "COUNT")
    found = patterns()
    non_names = non_name_words()
    nouns = person_noun_list()
    described = pl.col("s_noun").is_not_null() | pl.col("s_age").is_not_null() | pl.col("s_aged").is_not_null()
    appositive = pl.coalesce(
        pl.col("sentence").str.slice(pl.col("local_end"), 60).str.extract(found["name_after"], 1),
        pl.col("sentence").str.slice(0, pl.col("local_start")).str.tail(60).str.extract(found["name_before"], 1),
    )
    name = pl.when(pl.col("name").is_not_null()).then(pl.col("name")).when(described).then(appositive)
    lower = name.str.to_lowercase()
    name = (
        pl.when(
            lower.str.extract(r"^([a-z'’-]+)", 1).is_in(non_names)
            | name.str.contains(r"['’]s$")
            | lower.is_in(nouns)
            | lower.str.replace(r"e?s$", "").is_in(nouns)
        )
        .then(None)
        .otherwise(name)
    )
    # Only the few implicit singulars are looked at: slicing every figure's sentence costs more than the rest.
    people = figures.filter(singular)
    if people.is_empty():
        return figures
    out = pl.concat(
        [
            figures.filter(~singular),
            people.with_columns(pl.coalesce(name, pl.col("object").str.to_lowercase()).alias("object")),
        ]
    )
    # Only the killed are counted by name, and only where two names could be two people: resolve those.
    named_kill = out.filter(singular, pl.col("category") == "KILL", pl.col("object").str.contains(r"^(?-i:[A-Z])"))
    several = named_kill.group_by("article_id").agg(pl.col("object").n_unique().alias("names")).filter(pl.col("names") > 1)
    one_word = named_kill.join(several, on="article_id", how="semi").filter(pl.col("object").str.contains(r"^[\w'’-]+$"))
    if one_word.is_empty():
        return out
    full_names = (
        articles.join(one_word.select("article_id").unique(), on="article_id")
        .select("article_id", pl.col("body").str.extract_all(rf"\b{PERSON_NAME}\b").alias("full_name"))
        .explode("full_name")
        .filter(
            pl.col("full_name").str.contains(r"\s"),
            ~pl.col("full_name").str.to_lowercase().str.extract_all(r"[a-z'’-]+").list.eval(pl.element().is_in(non_names)).list.any(),
        )
        .with_columns(pl.concat_list(pl.col("full_name").str.extract(r"^(\S+)", 1), pl.col("full_name").str.extract(r"(\S+)$", 1)).alias("object"))
        .explode("object")
        .unique(["article_id", "object"], keep="first", maintain_order=True)
    )
    return (
        out.join(full_names, on=["article_id", "object"], how="left")
        .with_columns(pl.when(singular).then(pl.coalesce("full_name", "object")).otherwise(pl.col("object")).alias("object"))
        .drop("full_name")
    )


# --- article-level victim outcome ------------------------------------------------------


def with_victim_outcomes(figures: pl.DataFrame, articles: pl.DataFrame) -> pl.DataFrame:
    """A single victim "was shot" in one sentence and is reported dead in another is one killed, not wounded.

    Applies to articles that count no one killed or wounded but say someone died (``death_cues.csv`` with
    died=true: "has died", "fatal shooting", "homicide", "autopsy"): their singular SHOOT claims
    become KILL. Longer cues that say no one died ("deadly weapon", "attempted murder",
    "non-fatal shooting") take their place in the text, as the regex prefers the longest term.
    """
    single_shot = (pl.col("category") == "SHOOT") & (pl.col("value") == 1)
    # An article that counts someone wounded ("One man remained hospitalized") has its victim alive;
    # a death it mentions is another event's ("began with the fatal shooting of ...").
    by_article = figures.group_by("article_id").agg(
        single_shot.any().alias("has_shot"),
        (pl.col("category") == "KILL").any().alias("has_kill"),
        ((pl.col("category") == "WOUND") & (pl.col("value") >= 1)).any().alias("has_wounded"),
    )
    candidates_ = by_article.filter(pl.col("has_shot") & ~pl.col("has_kill") & ~pl.col("has_wounded")).select("article_id")
    if candidates_.is_empty():
        return figures
    cues = lexicon("death_cues").select(pl.col("term").alias("cue"), (pl.col("died") == "true").alias("died"))
    dead = (
        articles.join(candidates_, on="article_id")
        .select("article_id", pl.col("body").str.extract_all(patterns()["death_cue"]).alias("cue"))
        .explode("cue")
        .with_columns(pl.col("cue").str.to_lowercase().str.replace_all(r"\s+", " "))
        .join(cues, on="cue")
        .group_by("article_id")
        .agg(pl.col("died").any().alias("victim_died"))
    )
    out = figures.join(dead, on="article_id", how="left")
    return out.with_columns(
        pl.when(single_shot & pl.col("victim_died").fill_null(False)).then(pl.lit("KILL")).otherwise(pl.col("category")).alias("category")
    ).drop("victim_died")


# --- 6. attribution --------------------------------------------------------------------


def with_attribution(figures: pl.DataFrame, sents: pl.DataFrame, mentions: pl.DataFrame) -> pl.DataFrame:
    figures = figures.with_columns(
        (pl.col("sentence_start") + pl.col("local_start")).alias("start_char"),
        (pl.col("sentence_start") + pl.col("local_end")).alias("end_char"),
    )
    if mentions is None or mentions.is_empty():
        return figures.with_columns(pl.lit(None, pl.String).alias("source_entity_id"))
    cue = patterns()["cue"]
    cue_terms = patterns()["cue_terms"]
    spans = figures.select("article_id", "sentence_no").unique()
    cues = chunk_offsets(
        sents.join(spans, on=["article_id", "sentence_no"]), "sentence", rf"(?is).*?{cue}", ["article_id", "sentence_no"], "cue"
    ).with_columns(
        (pl.col("sentence_start") + pl.col("cue_end")).alias("cue_end"),
        (pl.col("sentence_start") + pl.col("cue_end") - pl.col("cue").str.extract(rf"(?i)({cue_terms})$", 1).str.len_chars()).alias("cue_start"),
    )
    # Only people and organisations speak: "... to Mexico City, according to the secretariat" is not the city's claim.
    speaking = conform(mentions, MENTIONS).filter(pl.col("label").is_in(["PERSON", "ORG"]))
    speakers = (
        cues.select("article_id", "sentence_no", "sentence_start", "sentence", "cue_start", "cue_end")
        .join(speaking.select("article_id", "start_char", "end_char", "entity_id"), on="article_id")
        .with_columns(
            pl.when(pl.col("end_char") <= pl.col("cue_start"))
            .then(pl.col("cue_start") - pl.col("end_char"))
            .when(pl.col("start_char") >= pl.col("cue_end"))
            .then(pl.col("start_char") - pl.col("cue_end"))
            .alias("distance"),
            (pl.col("end_char") <= pl.col("cue_start")).alias("before_cue"),
        )
        .filter(
            pl.col("start_char") >= pl.col("sentence_start"),
            pl.col("end_char") <= pl.col("sentence_start") + pl.col("sentence").str.len_chars(),
            pl.when(pl.col("before_cue"))
            .then(pl.col("distance") <= ATTRIBUTION_BEFORE)
            .otherwise(pl.col("distance") <= ATTRIBUTION_AFTER),
        )
        .sort("distance", "start_char")
        .group_by("article_id", "sentence_no")
        .agg(pl.col("entity_id").first().alias("source_entity_id"))
    )
    described = _described_speakers(cues, speaking)
    return figures.join(
        pl.concat([speakers, described.join(speakers, on=["article_id", "sentence_no"], how="anti")]),
        on=["article_id", "sentence_no"], how="left",
    )


def _described_speakers(cues: pl.DataFrame, speaking: pl.DataFrame) -> pl.DataFrame:
    """'according to the secretariat', 'the ministry said': a definite description next to the cue
    names the article's organisation or person whose name holds that word (Secretariat of National Defence)."""
    local_start = pl.col("cue_start") - pl.col("sentence_start")
    local_end = pl.col("cue_end") - pl.col("sentence_start")
    head = (
        cues.with_columns(
            pl.coalesce(
                pl.col("sentence").str.slice(local_end, 40).str.extract(r"^\s+the\s+([A-Za-z]{4,})\b", 1),
                pl.col("sentence").str.slice(0, local_start).str.extract(r"\bthe\s+([A-Za-z]{4,})\s*,?\s*$", 1),
            ).str.to_lowercase().alias("head")
        )
        .filter(pl.col("head").is_not_null())
        .select("article_id", "sentence_no", "head")
    )
    names = speaking.select(
        "article_id", "entity_id", pl.col("canonical_name").str.to_lowercase().str.extract_all(r"[a-z]+").alias("word")
    ).explode("word").unique()
    return (
        head.join(names, left_on=["article_id", "head"], right_on=["article_id", "word"])
        .group_by("article_id", "sentence_no")
        .agg(pl.col("entity_id").sort().first().alias("source_entity_id"), pl.col("entity_id").n_unique().alias("n"))
        .filter(pl.col("n") == 1)  # ambiguous descriptions name nobody
        .drop("n")
    )
