"""Stages 5-6 and 8-9: who the counted people are, and which claims are one group of people.

- ``coordinated_victims``: people listed with commas and "and" under one verb are one claim counting them all.
- ``contrastive_another``: "another man" after someone who is no casualty is no one beyond the toll.
- ``victim_names``: the ``object`` of an implicit singular is the person's name when it has one.
- ``victim_outcomes``: a single victim "was shot" in an article that says someone died is killed.
"""

from __future__ import annotations

import polars as pl

from transforms.figures.lexicons import (
    PERSON_NAME,
    ascii_classes,
    lexicon,
    non_name_words,
    patterns,
    person_noun_list,
    plural_people_pattern,
)
from transforms.figures.stage import Batch, stage

# Between two people of one list: a comma or "and", after an optional age ("Stephens, 32, and Paul J. Rayer"),
# and before an optional possessor ("Quintonio LeGrier, 19, and LeGrier's neighbor Bettie Jones").
# and before a name's initials ("Elisha Shamay, O.K. Likkason": the candidate is the surname).
LIST_GAP = r"^(?:,\s*\d{1,3})?\s*(?:,\s*(?:and\s+|as\s+well\s+as\s+)?|and\s+|as\s+well\s+as\s+)(?:(?-i:[A-Z])[\w-]*['’]s\s+[a-z]+\s+)?(?:(?-i:[A-Z])\.\s*)*$"
SINGLE_PERSON = ascii_classes(rf"(?i)^(?:{'|'.join(person_noun_list())})$")
# The verb after a list of people agrees with all of them: "... and their dog were found dead".
# So does a participle right after the list, as in headlines and digests: "One officer and a soldier killed in ...".
PLURAL_SUBJECT = r"(?i)\b(?:were|are|have\s+been|had\s+been|both|all)\b|^\s*$"
# The events a list of people shares: its people are counted one each (arrests too: "two women and a man had been arrested").
LISTED_EVENTS = ["KILL", "WOUND", "SHOOT", "ARREST"]


@stage(
    requires=("article_id", "sentence_no", "figure_no", "sentence", "local_start", "local_end", "object_end", "object",
              "text", "shape", "value", "category", "pronoun", "not_a_name", "is_age", "family_size", "first_before",
              "verb_before"),
    assigns=("local_start", "value", "category"),
)
def coordinated_victims(figures: pl.DataFrame, batch: Batch) -> pl.DataFrame:
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
        & (
            pl.col("object").str.contains(plural_people_pattern())
            # "One officer and a soldier killed": a count of one before a person noun is one person listed.
            | ((pl.col("value") == 1) & pl.col("object").str.contains(SINGLE_PERSON))
        )
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
            pl.col("first_before").last().fill_null("-").str.contains(PLURAL_SUBJECT).alias("plural_verb"),
            pl.col("verb_before").first().is_not_null().alias("verb_before_list"),
            pl.col("category").first().alias("first_category"),
            pl.col("figure_no"),
            # A list ends in "and" ("..., the couple's toddler and their dog were"): "Woman, Carjackings" in a
            # headline lists no one.
            (pl.col("and_link").slice(-2, 1).first() | pl.col("first_before").last().fill_null("").str.contains(r"^\s*and\s")).alias("ends_in_and"),
        )
        .filter(pl.col("members") > 1, pl.col("ends_in_and"))
        .with_columns(
            pl.when(pl.col("plural_verb") & pl.col("last_category").is_in(LISTED_EVENTS))
            .then(pl.col("last_category"))
            .when(pl.col("verb_before_list") & pl.col("first_category").is_in(LISTED_EVENTS))
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


@stage(
    requires=("article_id", "figure_no", "sentence", "sentence_start", "local_start", "shape", "s_det", "category",
              "not_a_name", "is_age", "family_size"),
    assigns=("local_start",),
)
def contrastive_another(figures: pl.DataFrame, batch: Batch) -> pl.DataFrame:
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



# --- who the victim is ----------------------------------------------------------------


@stage(
    requires=("article_id", "sentence", "local_start", "local_end", "shape", "kind", "category", "object", "name",
              "s_noun", "s_age", "s_aged"),
    assigns=("object",),
)
def victim_names(figures: pl.DataFrame, batch: Batch) -> pl.DataFrame:
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
        batch.articles.join(one_word.select("article_id").unique(), on="article_id")
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


@stage(requires=("article_id", "category", "value", "first_term", "verb_before"), assigns=("category",))
def victim_outcomes(figures: pl.DataFrame, batch: Batch) -> pl.DataFrame:
    """A single victim "was shot" (or stabbed) in one sentence and is reported dead in another is one killed, not wounded.

    Applies to articles that count no one wounded but say someone died (``death_cues.csv`` with died=true: "has
    died", "fatal shooting", "homicide", "autopsy"): their singular SHOOT claims become KILL when they count no one
    killed either. A stab victim is told as wounded ("stabbed Welch", "found the victim with stab wounds"): in such
    an article its singular stab WOUND claims become KILL too, also when a death is counted ("He was pronounced
    dead": the same victim; the view does not add restatements). Longer cues that say no one died ("deadly weapon",
    "attempted murder", "non-fatal shooting") take their place in the text, as the regex prefers the longest term.
    """
    single_shot = (pl.col("category") == "SHOOT") & (pl.col("value") == 1)
    stabbed = pl.coalesce("verb_before", "first_term").str.contains(r"(?i)\bstab")
    single_stab = ((pl.col("category") == "WOUND") & (pl.col("value") == 1) & stabbed).fill_null(False)
    # An article that counts someone wounded ("One man remained hospitalized") has its victim alive;
    # a death it mentions is another event's ("began with the fatal shooting of ...").
    by_article = figures.group_by("article_id").agg(
        single_shot.any().alias("has_shot"),
        single_stab.any().alias("has_stab"),
        (pl.col("category") == "KILL").any().alias("has_kill"),
        ((pl.col("category") == "WOUND") & (pl.col("value") >= 1) & ~single_stab).any().alias("has_wounded"),
    )
    candidates_ = by_article.filter(((pl.col("has_shot") & ~pl.col("has_kill")) | pl.col("has_stab")) & ~pl.col("has_wounded")).select("article_id", "has_kill")
    if candidates_.is_empty():
        return figures
    cues = lexicon("death_cues").select(pl.col("term").alias("cue"), (pl.col("died") == "true").alias("died"))
    dead = (
        batch.articles.join(candidates_.select("article_id"), on="article_id")
        .select("article_id", pl.col("body").str.extract_all(patterns()["death_cue"]).alias("cue"))
        .explode("cue")
        .with_columns(pl.col("cue").str.to_lowercase().str.replace_all(r"\s+", " "))
        .join(cues, on="cue")
        .group_by("article_id")
        .agg(pl.col("died").any().alias("victim_died"))
    )
    out = figures.join(dead, on="article_id", how="left").join(candidates_.rename({"has_kill": "_has_kill"}), on="article_id", how="left")
    died = pl.col("victim_died").fill_null(False) & pl.col("_has_kill").is_not_null()
    # A shot victim is the one who died only where no one else is counted killed.
    upgraded = (single_shot & ~pl.col("_has_kill").fill_null(True)) | single_stab
    return out.with_columns(
        pl.when(upgraded & died).then(pl.lit("KILL")).otherwise(pl.col("category")).alias("category")
    ).drop("victim_died", "_has_kill")

