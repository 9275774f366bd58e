"""Stage 4: the event a count belongs to, from the cue words of its clause.

``categories``: trigger words in the clause after the counted phrase, joined to ``triggers.csv`` ("were
killed" -> KILL), in passive or intransitive clauses, or an active verb right before the count ("shot and
killed a suspect"). Agents ("a man who killed"), objects of other verbs, labels, negated and hypothetical
events, statistics and dated past events get no ``category``; see README.md for the rules.
"""

from __future__ import annotations

import polars as pl

from transforms.figures.lexicons import active_trigger_categories, non_name_words, patterns, trigger_frame
from transforms.figures.stage import Batch, stage

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
FOUND_BY = r"\b(?:found|discovered|located)\s+(?:(?:[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|[Tt]he)\s+)?$"
# "not injured", "wasn't hurt", "never shot": the event did not happen to the count.
NOT = r"\b(?:not|never|neither|nor)\b|n['’]t\b"
# What a date makes another event's: these claims "in August 2004", or (dates.py) dated well before their article.
DATED_EVENTS = ("KILL", "WOUND", "SHOOT", "ARREST")
# "could kill", "threatened to kill", "nearly died", "will die needlessly": an event that may happen or might have, not one that did.
# Uncertainty and schedules too: "does not know if he is alive or dead", "is scheduled to die in April", "are due to
# die" ("due to" and "set to" only after a form of "be": "flooding due to heavy rain killed 12" gives a cause).
HYPOTHETICAL = (
    r"\b(?:could|would|might|will|may|possibly|almost|nearly|tried\s+to|threatened\s+to|attempted\s+to|go\s+ahead\s+and|enough\s+to|able\s+to|capable\s+of"
    r"|alive\s+or|scheduled\s+to|(?:is|are|was|were|be|been|being)\s+(?:due|set)\s+to)\b"
)
# "wanted dead or alive": the clause after the count says either.
EITHER_OUTCOME = r"(?i)\b(?:dead|killed)\s+or\s+alive\b"
# Wishes and calls: "lyrics that call for gay people to be killed", "vowed to kill": what someone wants to happen.
WISHED = r"\b(?:call(?:s|ed|ing)?\s+for|want(?:s|ed)?|urg(?:e|es|ed|ing)|demand(?:s|ed|ing)?|vow(?:s|ed)?|plan(?:s|ned)?|intend(?:s|ed)?|hope(?:s|d)?)\b[^,;.]*\bto\s+(?:be\s+)?$"
# Projections: "cutting the limit would also lead to 230 fewer serious injuries", "could result in 40 deaths".
PROJECTED = r"\b(?:could|would|might|may|will)\s+(?:\w+\s+){0,3}?(?:lead\s+to|result\s+in|cause|mean|save|prevent|avoid)\s+(?:\w+\s+){0,2}$"
# "comes a day after rebels launched attacks in three states, killing up to 14": the participle clause after a comma
# still tells of the earlier event.
EARLIER_BY = (
    r"(?i)\b(?:comes?|came|coming)\s+(?:[\w-]+\s+){0,4}?(?:days?|weeks?|months?|years?)\s+after\s+[^,;:]*"
    r"(?:,\s+(?:killing|wounding|injuring|leaving)\s+[^,;:]*)?$"
)
CLAUSE_WINDOW = 160


@stage(
    requires=("article_id", "sentence_no", "figure_no", "sentence", "local_start", "local_end", "object_end", "object",
              "shape", "amount", "is_age", "family_size", "not_a_name", "pair", "s_noun", "s_age", "s_aged", "pronoun",
              "name", "before_text"),
    assigns=("clause_start", "next_start", "clause", "reaches_next", "verb_before", "first_category", "first_voice",
             "first_before", "first_term", "later_kill", "later_death", "category", "event_category", "scope_cue"),
)
def categories(figures: pl.DataFrame, batch: Batch) -> pl.DataFrame:
    """The event category of each candidate (null when it counts no one an event happened to)."""
    triggers = trigger_frame()
    trigger = patterns()["trigger"]
    trigger_terms = patterns()["trigger_terms"]
    clause_start = pl.col("local_end") + pl.col("object_end")
    # The clause runs to the next candidate after the counted phrase (a name inside it does not cut it).
    figures = figures.with_columns(clause_start.alias("clause_start")).sort("clause_start")
    # "X and Y were both pronounced dead": "both" restates the people before it, it does not end their clause.
    # Nor does where a person is from: "John Smith, 24, of Springfield, was shot".
    home_town = pl.col("name").is_not_null() & pl.col("before_text").str.contains(r",\s*(?:\d{1,3},\s*)?of\s+(?:the\s+)?$").fill_null(False)
    starts = figures.filter(~pl.col("is_age"), ~pl.col("family_size"), pl.col("pair").is_null(), ~home_town).select("article_id", "sentence_no", pl.col("local_start").alias("next_start")).sort("next_start")
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
    # "John Smith, 24, of Springfield, was shot": where the person is from is an appositive too.
    home = r"(?:of\s+(?:the\s+)?(?-i:[A-Z])[\w.'’-]*(?:\s+(?-i:[A-Z])[\w.'’-]*){0,3},\s*)?"
    rest = (
        pl.when(described & ~complement)
        .then(window.str.replace(relative + r",?\s*(?:\d{1,3},\s*)?" + home + ")", " "))
        .otherwise(window.str.replace(relative + r",\s*\d{1,3},\s*" + home + ")", " "))
    ).str.replace_all(r"(?i)\b(shot|stabbed),\s+(killed|wounded|injured|hurt)\b", "$1 and $2").str.replace_all(
        # "killed, wounded or captured": a list of outcomes counts casualties, not the killed ("killed or wounded").
        r"(?i)\b(killed|dead),\s+(wounded|injured)(\s+(?:or|and)\s)", "$1 or $2$3"
    ).str.replace_all(
        # "taken to a hospital, where they died": what happens where the victim was taken happens to the victim.
        r"(?i)\b(hospital|center|scene),\s+where\b", "$1 where"
    )
    out = figures.with_columns(
        rest.str.extract(CLAUSE, 0).alias("clause"),
        # The clause runs unbroken into the next candidate.
        (
            pl.col("next_start").is_not_null()
            & (pl.col("next_start") - clause_start <= CLAUSE_WINDOW)
            & ~window.str.contains(r"[,;:()\[\]\"“”]")
        ).alias("reaches_next"),
        pl.col("before_text")
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
        pl.col("term_key").alias("first_term"),
    )
    # "three people wounded before police shot and killed the attacker": a death told after before/after/when is
    # someone else's.
    later_kill = found.filter(
        pl.col("trigger_no") > 0, pl.col("category") == "KILL", ~pl.col("piece").str.contains(r"(?i)\b(?:before|after|until|when|while)\b")
    ).group_by("figure_no").agg(
        pl.lit(True).alias("later_kill"),
        (pl.col("voice") == "intransitive").any().alias("later_death"),
    )
    out = out.join(first, on="figure_no", how="left").join(later_kill, on="figure_no", how="left")
    after_first = pl.col("clause").str.slice(pl.col("first_before").str.len_chars())
    # "a man who killed ...", "an officer shot a man", "he shot": the count did the act, it did not suffer it.
    named = pl.col("pronoun").is_not_null() | pl.col("name").is_not_null()
    agent = (
        (pl.col("first_voice") == "active")
        # "Jewelmasters said net income was hurt", "Christie said several people had been arrested": the one who
        # speaks before the event is not the one it happened to.
        | (named & pl.col("first_before").str.contains(rf"(?i)\b(?:{patterns()['cue_terms']})\b"))
        # "Options business has been hurt", "Jewelmasters ... was hurt": "hurt" harms a named person rarely and a
        # business often; a name is hurt only when the text says injured or wounded.
        | (pl.col("name").is_not_null() & (pl.col("first_term") == "hurt"))
        | (
            named
            & ~pl.col("first_before").str.contains(rf"(?i){PASSIVE_AUX}")
            # "Smith died", "Davidson has died", "Martin later died": an intransitive event happens to the name.
            & ~((pl.col("first_voice") == "intransitive") & pl.col("first_before").str.contains(r"^\s*(?:(?:has|have|had|later|also|then|\w+ly)\s+)*$"))
            # "one man dead and another with life-threatening injuries": the injuries are the person's (a name
            # may be a place: "St. Barnabas Hospital with non life-threatening injuries").
            & ~(
                pl.col("pronoun").is_not_null() & (pl.col("first_voice") == "intransitive")
                & pl.col("first_before").str.contains(r"^\s*with\s+(?:[\w-]+\s+){0,3}$")
            )
        )
        | pl.col("first_before").str.contains(rf"(?i){ACTIVE_RELATIVE}")
        | (
            (pl.col("first_voice") != "intransitive")
            # "one of his aides shot and wounded a policeman": the part of a group before the verb is its subject too.
            & pl.col("first_before").str.contains(r"(?i)^\s*(?:of\s+(?:the|his|her|their|its|those|these)\s+[\w-]+\s+)?(?:\w+ly\s+)?$")
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
    # Who police found or discovered is the one the clause tells of: "discovered a 15-year-old with a gunshot wound".
    object_of_verb = (
        pl.col("before_text").str.contains(OBJECT_OF_VERB)
        & ~pl.col("before_text").str.contains(FOUND_BY)
        & pl.col("verb_before").is_null()
    )
    # "FOX 28", "Highway 101", "1117 Vandergriff Drive": a label or an address, not a count.
    # A capitalised word that names nothing ("Another 17 people were hurt", "Some 40 miners") labels nothing.
    word_before = pl.col("before_text").str.extract(r"([A-Za-z][\w-]*)[ /#]?$", 1)
    label = pl.col("amount").str.contains(r"^\d+$") & (
        (word_before.str.contains(r"^(?-i:[A-Z])") & ~word_before.str.to_lowercase().is_in(non_name_words()))
        | pl.col("object").fill_null("").str.contains(r"^(?-i:[A-Z])|^block\b")  # "the 600 block of ..."
    )
    def said_before(words: str) -> pl.Expr:
        return pl.col("first_before").str.contains(words).fill_null(False) | (
            pl.col("verb_before").is_not_null()
            & pl.col("before_text").str.tail(40).str.contains(rf"(?:{words})[^,;.]*$")
        ).fill_null(False)

    # Each test once, as a column (several categories below are built from them).
    out = out.with_columns(
        agent.fill_null(True).alias("_agent"),
        object_of_verb.fill_null(False).alias("_object_of_verb"),
        label.fill_null(False).alias("_label"),
        said_before(rf"(?i){NOT}").alias("_not_happened"),
        (
            said_before(rf"(?i){HYPOTHETICAL}")
            # the wish may come before the count ("call for three rivals to be killed") or after it ("Sizzla ... lyrics
            # that call for gay people to be killed")
            | pl.concat_str([pl.col("before_text").str.tail(60), pl.lit(" N "), pl.col("first_before")]).str.contains(rf"(?i){WISHED}").fill_null(False)
            | pl.col("before_text").str.tail(60).str.contains(rf"(?i){PROJECTED}").fill_null(False)
            | pl.col("clause").str.contains(EITHER_OUTCOME).fill_null(False)
        ).alias("_hypothetical"),
        pl.col("verb_before").str.to_lowercase().str.replace_all(r"\s+", " ")
        .replace_strict(*active_trigger_categories(), default=None).alias("_verb_category"),
        # "28 were killed in January since 2007", "nine officers have been fatally shot this year": a
        # statistic over many events, not this article's toll.
        ((pl.col("shape") == "NUMBER") & pl.col("sentence").str.contains(patterns()["aggregate"])).alias("_statistic"),
        # "In 1989, ... was gunned down", "accused of killing his wife in 2012": a casualty of another, dated
        # event (a charge "in 2022" still stands).
        (
            pl.col("sentence").str.contains(patterns()["past_year"])
            # "It comes a week after 44 people were killed", "the explosion came just two days after two bombs killed
            # six police officers": a casualty told after "comes <time> after", with no comma between, is the
            # earlier event's ("one day after Cottrell was killed" is not: a report dated by the incident).
            | pl.col("before_text").str.contains(EARLIER_BY).fill_null(False)
        ).alias("_dated"),
    )
    not_happened = pl.col("_not_happened")
    negated = not_happened | pl.col("_hypothetical")
    hypothetical = pl.col("_hypothetical") & ~not_happened
    # "Girl shot at party dies": a blocking trigger ("shot at") does not hide the death that follows it.
    blocked_then_died = (
        pl.col("first_before").is_not_null() & pl.col("first_category").is_null() & pl.col("later_death").fill_null(False)
    )

    def clause_category(blocked: pl.Expr) -> pl.Expr:
        return (
            pl.when(blocked_then_died & ~pl.col("_object_of_verb") & ~pl.col("_label") & ~blocked)
            .then(pl.lit("KILL"))
            .when(pl.col("_agent") | pl.col("_object_of_verb") | pl.col("_label") | blocked)
            .then(None)
            .when(pl.col("first_category").is_in(["WOUND", "SHOOT"]) & pl.col("later_kill").fill_null(False))
            .then(pl.lit("KILL"))
            .otherwise(pl.col("first_category"))
        )

    # The object of an active verb suffered it; what follows is about the subject ("shot three women and then killed himself").
    verb_category = pl.col("_verb_category")
    statistic = pl.col("_statistic")
    aggregate = statistic | pl.col("not_a_name") | pl.col("family_size")
    category = pl.when(aggregate | negated).then(None).otherwise(pl.coalesce(verb_category, clause_category(negated)))
    dated = pl.col("_dated")
    # An arrest "in August 2004" is another event's too (a charge "in 2022" still stands).
    past = dated & category.is_in(DATED_EVENTS)
    # The event a count belongs to whatever its scope ("12,000 died in the war", "could kill 50 people"):
    # only what did not happen ("were not injured") and what counts no one has none.
    event = (
        pl.when(pl.col("not_a_name") | pl.col("family_size") | not_happened)
        .then(None)
        .otherwise(pl.coalesce(verb_category, clause_category(not_happened)))
    )
    out = out.with_columns(
        pl.when(past).then(None).otherwise(category).alias("category"),
        event.alias("event_category"),
    ).with_columns(
        # Why a count with an event is not this article's incident (scope.py turns it into figures.scope).
        pl.when(statistic).then(pl.lit("aggregate"))
        .when(dated & pl.col("event_category").is_in(DATED_EVENTS)).then(pl.lit("other_event"))
        .when(hypothetical).then(pl.lit("hypothetical"))
        .alias("scope_cue"),
    ).drop("_agent", "_object_of_verb", "_label", "_not_happened", "_hypothetical", "_verb_category", "_statistic", "_dated")
    # "killed himself" counts the one who killed himself; "shot himself" (in the leg, by accident, ...) says
    # nothing of a casualty beyond the one the article is about.
    reflexive = pl.col("pronoun").str.to_lowercase().is_in(["himself", "herself"])
    return out.with_columns(
        pl.when((reflexive & (pl.col(column) != "KILL")).fill_null(False)).then(None).otherwise(pl.col(column)).alias(column)
        for column in ("category", "event_category")
    )
