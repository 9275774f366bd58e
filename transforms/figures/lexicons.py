"""The figure lexicons (CSV data in ``lexicons/``) and the regular expressions built from them.

Every word list the extractor knows lives in a CSV next to this module; code only
turns those lists into regex alternations (for finding) and frames (for joining).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import polars as pl

from transforms.machine_numbers import MACHINE_NUMBER

LEXICON_DIR = Path(__file__).parent / "lexicons"


@functools.cache
def lexicon(name: str) -> pl.DataFrame:
    """One lexicon CSV as a frame, every column a string (callers cast what they need)."""
    return pl.read_csv(LEXICON_DIR / f"{name}.csv", infer_schema=False)


def alternation(terms: list[str]) -> str:
    """A regex alternation of literal terms, longest first so multiword terms win at the same position."""
    ordered = sorted(set(terms), key=lambda term: (-len(term), term))
    return "|".join(r"\s+".join(re.escape(word) for word in term.split()) for term in ordered)


def terms(name: str, column: str = "term", where: pl.Expr | None = None) -> list[str]:
    frame = lexicon(name)
    if where is not None:
        frame = frame.filter(where)
    return frame.get_column(column).to_list()


# --- Building blocks -----------------------------------------------------------------

# Speech cues that attribute a figure to the mention next to them.
CUE_TERMS = r"said|says|say|stated|states|told|reported|reports|noted|confirmed|announced|added|according\s+to"
DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# MACHINE_NUMBER ("1e308", "9" * 400): the candidate regex matches and drops them; the parse step's
# quarantine note says so (transforms.machine_numbers).
# A person's name: capitalised words, capitals inside a word too ("LeGrier", "McDonald", "DuBose"), initials ("Paul J. Rayer").
PERSON_NAME = r"(?-i:[A-Z](?:[a-z]{0,2}[A-Z])?[a-z'’-]+(?:\s+(?:[A-Z]\.|[A-Z](?:[a-z]{0,2}[A-Z])?[a-z'’-]+)){0,3})"


# What an earlier event is called when the text dates it only relative to now ("a previous attack").
# Wars and campaigns whose toll runs over many events.
CAMPAIGNS = r"\b(?:wars?|conflicts?|insurgency|campaign|offensive|uprising|rebellion|revolt|struggle)\b"
EARLIER_EVENTS = (
    r"(?:attacks?|bombings?|shootings?|crash|blast|explosion|raids?|massacre|disaster|earthquake|quake|tremor"
    r"|riots?|fire|clashes|incidents?|accident|storm|floods?|violence|uprising|war)\b"
)


@functools.cache
def patterns() -> dict[str, str]:
    words = lexicon("number_words")
    spelled = words.filter(pl.col("word").str.len_chars() > 2, ~pl.col("word").is_in(["no", "none"]))
    number_word = alternation(spelled.get_column("word").to_list())
    scale_word = alternation(words.filter(pl.col("kind") == "scale", pl.col("word").str.len_chars() > 3)["word"].to_list())
    scale_abbr = alternation(words.filter(pl.col("kind") == "scale", pl.col("word").str.len_chars() <= 3)["word"].to_list())
    spelled_number = (
        rf"an?\s+(?:dozen|hundred|{scale_word})\b"
        rf"|(?:{number_word})(?:(?:\s*-\s*|\s+)(?:{number_word}))*\b"
    )
    amount = rf"(?:(?:{DIGITS})(?:\s?(?:{scale_word})\b|(?:{scale_abbr})\b)?|{spelled_number})"
    qualifier = alternation(terms("qualifiers"))
    months = alternation(terms("months"))
    weekdays = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    currency_prefix = alternation(terms("currencies", where=pl.col("position") == "prefix"))
    currency_suffix = alternation(terms("currencies", where=pl.col("position") == "suffix"))
    person = alternation(terms("person_nouns", "noun"))
    bare_person = alternation([noun[0].upper() + noun[1:] for noun in terms("person_nouns", "noun")] + ["Teens", "Men", "Women"])
    range_link = r"\s*(?:-|–|—|to|or)\s*"
    numeric = [
                # Not figures: clock times, phone numbers, ordinals. Matched so they are not read as counts.
                # Nor are numbers written for machines: "1e308", or more digits than a double holds exactly ("9" * 400).
                rf"(?P<ignored>{MACHINE_NUMBER}|\.\d+\b|\b\d{{1,2}}:\d{{2}}\b|(?:\b(?:{qualifier})\s+)?\b\d{{1,2}}\s?[ap]\.(?:m\b|\s*$)|\b\d+0’?'?s\b|\b\d{{3}}-\d{{3,4}}(?:-\d{{4}})?\b|\b\d+(?:st|nd|rd|th)\b)",
                rf"\b(?P<d_month>{months})\.?\s+(?P<d_day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<d_year>\d{{4}})\b",
                rf"\b(?P<d_day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<d_month2>{months})\.?,?\s+(?P<d_year2>\d{{4}})\b",
                r"\b(?P<d_iso>\d{4}-\d{2}-\d{2})\b",
                # A day without its year ("Dec. 25") is not a figure, and not a count either.
                rf"(?P<ignored_day>\b(?:{months})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b)",
                rf"(?:\b(?P<mp_qual>{qualifier})\s+)?(?P<mp_cur>{currency_prefix})\s?(?P<mp_num>{amount})"
                rf"(?:{range_link}(?:{currency_prefix})?\s?(?P<mp_num2>{amount}))?",
                rf"(?:\b(?P<ms_qual>{qualifier})\s+)?\b(?P<ms_num>{amount})(?:{range_link}(?P<ms_num2>{amount}))?"
                rf"\s+(?P<ms_cur>{currency_suffix})\b",
                rf"(?:\b(?P<p_qual>{qualifier})\s+)?\b(?P<p_num>{amount})(?:{range_link}(?P<p_num2>{amount}))?"
                r"\s?(?:%|percent\b|per\s+cent\b|pct\b)",
                rf"\bbetween\s+(?P<b_num>{amount})\s+and\s+(?P<b_num2>{amount})",
                rf"(?:(?-i:(?P<c_name>[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){{0,3}}))\s+and\s+)?"
                rf"(?:\b(?P<c_qual>{qualifier})\s+)?\b(?P<c_num>{amount})(?:{range_link}(?P<c_num2>{amount}))?"
                r"(?:-(?P<c_hyphen>[a-z]+(?:-[a-z]+)*))?",
    ]
    # Implicit counts ("no one", "a man", "he", "Lelangel Holmes") count only with an event trigger.
    implicit = [
                r"\b(?P<zero>no\s*-?\s*one|nobody|none|no)\b",
                # "Both men were pronounced dead", "both were taken to a hospital": two people, named before.
                r"\b(?P<pair>both)\b",
                # "A man", "the victim", "his 9-year-old sister"; capitalised determiners also glued to a title ("abc13.comA man").
                # Words of one or two letters ("of", "a") end the phrase: "the body of a man" holds "a man".
                rf"(?P<s_det>\b(?:an?|another|the|his|her|their)|(?-i:An?|The|His|Her|Their))\s+(?:(?:[\w’'-]{{3,}}|\d{{1,3}})\s+){{0,3}}?"
                # A second noun is part of it: "a 26-year-old Latino male"; two nouns joined under one
                # determiner are two people: "a male and female", "his wife and daughter".
                rf"(?P<s_noun>(?:{person})(?:\s+(?:{person}))?)(?:\s+and\s+(?P<s_noun2>{person}))?\b",
                r"(?P<s_age>\b(?:an?|the|his|her|their)\s+\d+-year-old)\b",
                # "killed himself": the agent of the article's other claims is a casualty too.
                r"\b(?P<pronoun>he|she|him|himself|herself|another)\b",
                # Headlines drop the determiner: "Man shot, killed", "Teen killed in ...".
                rf"(?-i:\b(?P<s_bare>{bare_person}))\b",
                # Capitals inside a name too: "LeGrier", "McDonald", "DuBose".
                rf"\b(?P<name>{PERSON_NAME})\b",
    ]
    # Headlines drop the determiner before an age too: "30-year-old man shot & killed". Tried before the
    # numbers, so the age does not become a bare number.
    aged_person = rf"(?P<s_aged>\b\d{{1,3}}-years?-old)\s+(?:[\w’'-]+\s+){{0,2}}?(?P<s_aged_noun>{person})\b"
    built = {
        "amount": amount,
        # Every candidate; run on sentences with an event trigger.
        "figure": "|".join(numeric[:1] + [aged_person] + numeric[1:] + implicit),
        # Candidates that can be figures without a trigger (numbers, money, dates); the rest of the sentences.
        "figure_numeric": "|".join(numeric),
        # A sentence without one of these has no numeric candidate: a digit, a currency sign or a number word.
        "numeric_hint": rf"\d|{currency_prefix}|\b(?:{number_word}|dozen|hundred|{scale_word})\b",
        # Statistics over many events: the cues of aggregate_cues.csv, or a year after since/in/during.
        # "since the deadly December 2012 rampage": a few words may come between "since" and the year.
        "aggregate": rf"(?i)\b(?:{alternation(terms('aggregate_cues'))}|(?:in|during|of)\s+(?:19|20)\d\d|since\s+(?:[\w’'-]+\s+){{0,3}}(?:19|20)\d\d"
        rf"|over\s+(?:the\s+(?:past|last)\s+)?(?:\d+|[a-z]+)\s+(?:years|decades)"
        # A span of years: "Between 1990 and 2004, 25 children have taken their own lives", "from 1973 to 1990".
        rf"|between\s+(?:19|20)\d\d\s+and\s+(?:19|20)?\d\d|from\s+(?:19|20)\d\d\s+(?:to|until)\s+(?:19|20)?\d\d"
        # A regime's toll ("killed for political reasons under Gen Pinochet's regime"); a rate ("every two and a
        # half weeks, an American dies").
        rf"|under\s+(?:[\w'’.-]+\s+){{0,3}}(?:regime|rule|dictatorship)|every\s+(?:[\w-]+\s+){{1,4}}(?:hours|days|weeks|months|years)"
        # A campaign's running toll, told without a cue word: "the rebels' campaign for independence has killed more
        # than 20,000", "the offensive, which has killed 1,600", "since the war began" (the day's "fighting killed 12"
        # is the incident's).
        rf"|{CAMPAIGNS}[^.;:]{{0,40}}?\b(?:has|have)\s+(?:so\s+far\s+|already\s+|now\s+)?(?:killed|claimed)"
        rf"|since\s+(?:the\s+)?(?:[\w'’-]+\s+){{0,3}}?{CAMPAIGNS}\s+(?:began|started|erupted|broke\s+out)"
        # Deaths a cause is linked to: "has linked the drug to 15 deaths".
        r"|\b(?:linked|tied|connected|attributed)\s+(?:[\w'’-]+\s+){0,4}?to\s+(?:at\s+least\s+|more\s+than\s+|about\s+|some\s+)?[\d,]+\s+(?:deaths|fatalities))\b",
        # Another, dated event: "in 1989", "since the deadly 2012 rampage", "the 1985 crash", "the anniversary of
        # the liberation of Auschwitz, where my grandmother was murdered along with over a million others". ("last January"
        # is not: a follow-up on charges tells of its own incident "last January".)
        "past_year": rf"(?i)\b(?:(?:in|during)\s+(?:an?\s+)?(?:(?:early|late|mid)\s+)?(?:(?:{months})\.?\s+)?|since\s+(?:[\w’'-]+\s+){{0,3}})(?:19|20)\d\d\b"
        rf"|\bthe\s+(?:19|20)\d\d\s+[a-z]|\b(?:19|20)\d\d['’]s\s|\bin\s+(?:an\s+earlier|a\s+separate|a\s+previous|another)\s+(?:incident|attack|accident)\b"
        r"|\banniversary\s+of\b"
        # A full date with its year: "a series of attacks left 130 people dead throughout Paris on November 13, 2015" (an
        # article's own incident is told by its weekday or date, without the year).
        rf"|\b(?:on|since)\s+(?:(?:{months})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{months})),?\s+(?:19|20)\d\d\b"
        # A roundup's separate event, told by its distance from the incident at the sentence's start: "A day earlier,
        # two villagers died ... in Puge county", "Two days before, police arrested".
        r"|^\W*(?:a|one|two|three|four|five|six|\d+)\s+(?:days?|weeks?)\s+(?:earlier|before)\b|^\W*the\s+(?:day|night)\s+before\b"
        r"|^\W*(?:on\s+)?the\s+previous\s+(?:day|night|week)\b"
        # Told as long ago: "since four federal agents died 15 years ago", "months ago".
        r"|\b(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|several|many|few)\s+(?:months|years|decades)\s+ago\b"
        # An earlier event told without its year: "last Wednesday's strong earthquake", "a previous attack",
        # "food riots last December", "since last June when extremists stabbed", "in October last year" ("last
        # December" alone is not: a follow-up tells of its own incident "last January").
        rf"|\bsince\s+last\s+(?:{months})\b|\blast\s+(?:{months})\s+when\b|{EARLIER_EVENTS}\s+last\s+(?:{months})\b"
        rf"|\bin\s+(?:{months})\s+last\s+year\b"
        rf"|\b(?:an?\s+|the\s+)?(?:earlier|previous|prior|last\s+(?:year|month|{weekdays}|{months})['’]s)\s+(?:[\w-]+\s+){{0,2}}{EARLIER_EVENTS}"
        # "the May 17 Iraqi missile attack on the frigate Stark, which killed 37": an event named by its date.
        rf"|\bthe\s+(?:{months})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\s+(?:[\w-]+\s+){{0,3}}(?:attack|bombing|crash|blast|explosion|raid|massacre|disaster|earthquake|quake)\b",
        # An article that says its shot victim is dead ("has died", "fatal shooting", "autopsy").
        "death_cue": rf"(?i)\b(?:{alternation(terms('death_cues'))})\b",
        "trigger_terms": alternation(terms("triggers")),
        "trigger": rf"\b(?:{alternation(terms('triggers'))})\b",
        "cue_terms": CUE_TERMS,
        "cue": rf"\b(?:{CUE_TERMS})\b",
        "qualifier": qualifier,
        # "the murder of John Smith", "the body of Ann Lee": after an event trigger ending in "of" comes a person.
        "event_of": rf"(?i)\b(?:{alternation([t for t in terms('triggers') if t.endswith(' of')])})\s+$",
        # What "no" must count to be a zero claim: a person, an injury or death, or reports of one.
        "countable_after_no": rf"(?i)^\s+(?:[a-z-]+\s+){{0,2}}?(?:one\b|{person}|people|persons|men|women|children|victims|injur|deaths?\b|casualt|fatalit|reports?\b|arrests?\b|survivors?\b|bod(?:y|ies)\b)",
        "person": person,
        # A description with its name next to it, as an appositive: "a neighbor, 55-year-old Bettie Jones",
        # "Felimon Contreras, 29, a Latino man".
        "name_after": rf"^,\s+(?:(?:an?|the)\s+)?(?:\d{{1,3}}-years?-old\s+)?(?P<name>{PERSON_NAME})\b",
        "name_before": rf"\b(?P<name>{PERSON_NAME}),\s+(?:\d{{1,3}},\s+)?$",
    }
    return {name: ascii_classes(pattern) for name, pattern in built.items()}


def ascii_classes(pattern: str) -> str:
    """``\\b \\w \\s \\d`` as ASCII classes: Unicode word boundaries keep the regex engine off its fast DFA
    on non-ASCII text (£, ’), which made the candidate regex several times slower. Letters beyond ASCII
    never start a figure."""
    return re.sub(
        r"(?<!\\)\\([bwsd])",
        lambda m: {"b": r"(?-u:\b)", "w": "[0-9A-Za-z_]", "s": r"[ \t\n\r\f\v]", "d": "[0-9]"}[m.group(1)],
        pattern,
    )


@functools.cache
def cue_pattern(name: str) -> str:
    """A case-insensitive regex matching any term of ``lexicons/<name>.csv`` as whole words (``sport_cues``,
    ``harm_cues``, ``illness_cues``, ``fiction_cues``, ``natural_cause_cues``, ``disaster_cues``)."""
    return ascii_classes(rf"(?i)\b(?:{alternation(terms(name))})\b")


# --- lexicon frames, built once per process -------------------------------------------
# The lexicons are fixed for a process; rebuilding these frames and lists on every call is a fixed cost of
# each batch (polars frames are immutable, so sharing them is safe).


@functools.cache
def single_word_triggers() -> list[str]:
    """The one-word event terms of triggers.csv ("deaths", "arrests", "killed")."""
    return [term for term in terms("triggers") if " " not in term]


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



@functools.cache
def plural_people() -> list[str]:
    """Plurals of the person nouns ("men", "children", "victims"): what a counted group of people is."""
    nouns = lexicon("person_nouns")["noun"].to_list()
    irregular = {"man": "men", "woman": "women", "child": "children", "person": "people"}
    plurals = {irregular.get(noun, noun + ("es" if noun.endswith(("s", "x", "ch", "sh")) else "s")) for noun in nouns}
    # "gunman" -> "gunmen", "policewoman" -> "policewomen" (not "gunmans")
    plurals |= {noun[:-3] + "men" for noun in nouns if noun.endswith("man")}
    # people counted only as groups ("two security officials", "the slain Moslem rebels"): group_people.csv
    plurals |= set(lexicon("group_people")["plural"].to_list())
    return sorted(plurals | {noun[:-1] + "ies" for noun in nouns if noun.endswith("y") and noun[-2] not in "aeiou"} | {"persons"})


@functools.cache
def plural_people_pattern() -> str:
    """An object that ends in a plural person noun: "young children", "cartel members"."""
    return ascii_classes(rf"(?i)\b(?:{'|'.join(plural_people())})$")



@functools.cache
def non_person_plurals() -> frozenset[str]:
    """Plural nouns that name things, not people ("shipments", "stocks", "growers" are people: not listed):
    lexicons/things.csv."""
    return frozenset(lexicon("things")["noun"].to_list())


@functools.cache
def name_modified_nouns() -> list[str]:
    """Lowercase plurals that make the capitalised run before them a modifier ("Ontario Corn growers",
    "Wall Street stocks", "Haitian businesses"): things, and people named by what they do."""
    return sorted(non_person_plurals() | {"growers", "farmers", "producers", "exporters", "importers", "investors", "shareholders", "businesses"})


@functools.cache
def verbish_words() -> list[str]:
    """Words after a name that make it a subject, not a modifier: stop words, single-word triggers, speech cues."""
    triggers = [term for term in terms("triggers") if " " not in term]
    cues = [cue for cue in CUE_TERMS.split("|") if "\\" not in cue]
    return sorted(set(lexicon("stopwords")["word"].to_list()) | set(triggers) | set(cues) | {"who", "whose", "told", "remains", "remained"})
