"""Within-article linking: every mention gets the full form it refers to.

Runs on the tagger's spans, one article at a time (a few dozen mentions each,
so plain Python is cheaper here than frame machinery), in this order:

0. surface rules: a title before a person's name is not part of it
   (``Mr Blair`` -> ``Blair``, ``Prime Minister Tony Blair`` -> ``Tony Blair``,
   lexicons/person_titles.csv); days, months and holidays (``Christmas``,
   lexicons/calendar_names.csv) are no entity; a one-word "person" followed by
   a word that only an organisation or a title takes (``Chelsea manager``,
   ``Sony shares``, ``Oscar nomination``: lexicons/name_cues.csv) is an
   organisation (or not kept, for titles), and so is every other mention of
   that word the tagger called a person in the article;
   seats of government are organisations (``White House``);
   country short forms are the country (``US``, ``U.S.`` -> ``United States``,
   lexicons/country_short_forms.csv); in an ALL-CAPS headline a known place
   the tagger took for a person is the place;
1. patterns that define a second name for an entity just mentioned:
   ``Nemesio "El Mencho" Oseguera Cervantes`` (a nickname inside the name),
   ``X, also known as "Y"`` and ``Long Form (ACR)`` / ``Long Form, or ACR,``
   (only when the acronym's letters are initials of the long form: not
   ``Jane Quigley ( USA )``);
2. a name ending in a legal suffix is a company, and the name without the
   suffix links to it (``Pirelli`` -> ``Pirelli SpA``); a short form links to
   the one longer PERSON name that contains all its words (``Leavitt`` ->
   ``Karoline Leavitt``); when two people share the word (John Smith, Mary
   Smith), ``Smith`` stays unlinked rather than guess, and a name the tagger
   calls a place again and again stays a place;
3. every other occurrence of a known name or alias in the article is a mention
   too, even where the tagger missed it;
4. a close misspelling (one edit, transpositions included) of exactly one
   known name links to it (``Osegeura`` -> ``Nemesio Oseguera Cervantes``),
   even where the tagger missed it, if it is no common word (``common_words``:
   words the training text writes in lower case);

A linked mention takes the label of what it links to. (Forcing one label on
every mention of a surface form across the article was tried and lost 0.6 F1
on CoNLL dev: "Jalisco" the state and "Jalisco" in an ORG name really differ.)
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from pathlib import Path

import polars as pl
import pycountry
from rapidfuzz.distance import OSA

LEXICON_DIR = Path(__file__).resolve().parent / "lexicons"
# Seats of government that stand for the institution ("the White House said"):
# organisations in the warehouse, though CoNLL-2003 tags them LOC.
LABEL_OVERRIDES: dict[str, str] = dict(pl.read_csv(LEXICON_DIR / "label_overrides.csv").rows())
# "Pirelli SpA", "Ruch SA": a name ending in one of these is a company, and its first words alone name it too.
COMPANY_SUFFIXES = frozenset(pl.read_csv(LEXICON_DIR / "company_suffixes.csv")["word"].to_list())
# Short forms of country names: always the country, whatever the context.
COUNTRY_SHORT_FORMS: dict[str, str] = dict(pl.read_csv(LEXICON_DIR / "country_short_forms.csv").rows())
# "Mr", "Prime Minister": titles before a name, not part of it (longest first).
PERSON_TITLES = tuple(sorted(pl.read_csv(LEXICON_DIR / "person_titles.csv")["title"].to_list(), key=len, reverse=True))
_LONE_TITLES = frozenset(PERSON_TITLES)
# Words that head organisation names ("Ministry", "Secretariat"), and one standing before "of" right before a name.
ORG_HEADS = frozenset(pl.read_csv(LEXICON_DIR / "org_heads.csv")["word"].to_list())
_HEAD_OF = re.compile(r"(?<![\w'’.-])(?P<head>[A-Z][a-z]+)[ \t]+of[ \t]+(?:the[ \t]+)?$")
_CAPS_WORD = re.compile(r"(?<![\w'’.-])[A-Z]{4,}(?![\w'’.-])")
_CAPS_LINE = re.compile(r"(?m)^[^\n]+$")
_PERSONAL_TITLES = frozenset(("Mr", "Mrs", "Ms", "Miss", "Dr"))
_TITLE = re.compile("(?:" + "|".join(re.escape(t) for t in PERSON_TITLES) + r")\s+")
# Days, months and holidays name no person, organisation or place.
CALENDAR_NAMES = frozenset(
    [*pl.read_csv(LEXICON_DIR / "calendar_names.csv")["name"].to_list(),
     *(n for n in calendar.day_name), *(n for n in calendar.month_name if n)]
)  # fmt: skip
# Words next to a one-word name that a person never takes: "Chelsea manager", "Sony shares", "Chelsea have"
# (a British collective plural: ORG), "Oscar nomination", "an Oscar" (MISC: dropped).
_CUES = pl.read_csv(LEXICON_DIR / "name_cues.csv")
NAME_CUES: dict[str, str] = dict(_CUES.select("cue", "label").rows())


def _alternatives(side: str) -> str:
    cues = _CUES.filter(pl.col("side") == side)["cue"].to_list()
    return "|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True))


_BEFORE_CUES = frozenset(_CUES.filter(pl.col("side") == "before")["cue"].to_list()) - {"a", "an"}
_CUE_AFTER = re.compile(rf"(?:[’']s)?(?:[ \t]+|(?=-))(?P<cue>{_alternatives('after')})\b")
_CUE_BEFORE = re.compile(rf"(?:^|(?<=[\s(]))(?P<cue>{_alternatives('before')})[ \t]+(?:[\"“‘'][ \t]*)?$")
# Last words of names of events and awards (MISC in CoNLL's scheme: not kept): "Mercury Music Prize".
MISC_HEADS = frozenset(pl.read_csv(LEXICON_DIR / "misc_heads.csv")["word"].to_list())
_ARTICLES = frozenset(("a", "an"))
# A capitalised "The" inside a sentence before a name starts a title: "in The Grudge".
_THE_BEFORE = re.compile(r"[a-z,;:][ \t]+The[ \t]+$")
# An acronym: "PC", "R&B".
_ACRONYM = re.compile(r"^[A-Z][A-Z&]{1,4}$")
# A plural acronym ("TVs", "LCDs", "MPs") is a common noun, not a name.
_PLURAL_ACRONYM = re.compile(r"(?:^|\s)[A-Z]{2,}s$")
# "USD 15 million" is an amount, not an organisation.
CURRENCY_CODES = frozenset(c.alpha_3 for c in pycountry.currencies)

_NAME_WORD = r"[A-Z][\w'’.-]*"
_QUOTE_OPEN = "\"'“‘"
_QUOTE_CLOSE = "\"'”’"

# First "Nick Name" Last Name: the quoted part is a nickname inside a person's name.
# The scan starts at the opening quote (few positions can); the first name is
# then looked for just before it. The quote must follow a space or tab: checked
# apart (``_nicknames``), as a leading lookbehind would keep the regex engine
# from skipping ahead to the next quote character.
NICKNAME_INSIDE = re.compile(
    rf"[{_QUOTE_OPEN}][ \t]*(?P<nick>{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}})"
    rf"[ \t]*[{_QUOTE_CLOSE}][ \t]+(?P<last>{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}})"
)
_SPACE_QUOTE = re.compile(rf"[ \t][{_QUOTE_OPEN}]")
FIRST_NAME_BEFORE = re.compile(rf"\b(?P<first>{_NAME_WORD})[ \t]+$")
# <mention>, also known as "Y" / (known as Y) / alias Y / nicknamed Y
ALSO_KNOWN_AS = re.compile(
    rf"[ \t]*,?[ \t]*\(?[ \t]*(?:also[ \t]+known[ \t]+as|better[ \t]+known[ \t]+as|known[ \t]+as|nicknamed|alias|a\.k\.a\.?|aka)"
    rf"[ \t]+[{_QUOTE_OPEN}]?[ \t]*(?P<alias>{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,3}})"
)
# <mention> (ACR) / <mention>, or ACR,
ACRONYM = re.compile(r"[ \t]*(?:\([ \t]*|,[ \t]+or[ \t]+)(?P<alias>[A-Z][A-Z0-9&]{1,9})(?:[ \t]*\)|[ \t]*,)")

# What the first character after a mention other than a space or tab must be for ALSO_KNOWN_AS or ACRONYM
# to match there (the empty string: let them try).
_DEFINITION_STARTS = "(,abkn"

# A closing source credit: "(ANI Inputs)", "(With inputs from Reuters)", "(AFP)".
CREDIT_LINE = re.compile(
    rf"(?m)^[ \t]*\((?:[ \t]*[Ww]ith[ \t]+inputs[ \t]+from)?[ \t]*(?P<org>{_NAME_WORD}(?:[ \t]+(?!Inputs\b){_NAME_WORD}){{0,3}})"
    r"(?:[ \t]+[Ii]nputs)?[ \t]*\)\s*\Z"
)

_WORD = re.compile(r"[\w'’.-]+")
# A capitalised word of 5+ letters; the character before it is checked apart (``_word_start``):
# a lookbehind tried at every position of the text costs more than the rest of the scan.
_CAPITALISED = re.compile(r"[A-Z][a-z]{4,}(?![\w'’-])")
_INSIDE_WORD = re.compile(r"[\w'’.-]")


@lru_cache(maxsize=4096)
def _capitalised(initials: str) -> re.Pattern:
    """``_CAPITALISED`` for words with one of ``initials`` (capitals A-Z) alone: its matches with those
    initials, as no match of it can start inside another (a match's later letters are lower case)."""
    return re.compile(f"[{initials}]" + _CAPITALISED.pattern[len("[A-Z]") :])


_START = attrgetter("start")


@dataclass(slots=True)
class Mention:
    label: str
    start: int
    end: int
    text: str
    canonical: str = ""
    source: str = "tagger"  # tagger | rule


@lru_cache(maxsize=65536)
def _words(name: str) -> tuple[str, ...]:
    return tuple(w.strip(".'’").lower() for w in _WORD.findall(name) if w.strip(".'’"))


def _nicknames(body: str):
    """NICKNAME_INSIDE's matches at quotes that follow a space or tab, as ``finditer`` would give them
    with a ``(?<=[ \t])`` lookbehind: each such quote in turn, tried only there (linear time, as the
    lookbehind was)."""
    at = 0
    while (quote := _SPACE_QUOTE.search(body, max(0, at - 1))) is not None:
        match = NICKNAME_INSIDE.match(body, quote.start() + 1)
        if match is None:
            at = quote.start() + 2
        else:
            yield match
            at = match.end()


def _last_line_start(body: str) -> int:
    """Where the line of the text's last non-space character starts (0 for a blank text)."""
    return body.rfind("\n", 0, len(body.rstrip())) + 1


def _in_caps_line(body: str, m: Mention) -> bool:
    line_end = body.find("\n", m.end)
    line = body[body.rfind("\n", 0, m.start) + 1 : len(body) if line_end == -1 else line_end]
    return line.upper() == line


@lru_cache(maxsize=65536)
def _surface_canonical(text: str) -> str:
    """The name a mention stands for before linking: its text in single spaces, or the country it abbreviates."""
    text = " ".join(text.split())
    return COUNTRY_SHORT_FORMS.get(text, text)


def _abbreviates(acronym: str, name: str) -> bool:
    """Every letter of ``acronym`` is an initial of a word of ``name`` (CJNG: Jalisco New Generation Cartel)."""
    initials = {w[0] for w in _words(name)}
    return all(c.lower() in initials for c in acronym if c.isalpha())


def _overlaps(m: Mention, others: list[Mention]) -> bool:
    return any(m.start < o.end and o.start < m.end for o in others)


def _without_title(m: Mention, common_words: frozenset[str] = frozenset()) -> Mention | None:
    """A PERSON mention less a leading title (None when nothing but the title is left); a
    mention of another type that starts with a personal title ("Mr Treacy") is a person too.
    Names of events and awards ("Mercury Music Prize") and plural acronyms ("TVs") are dropped;
    a plural acronym ending a name is cut off it ("Labour MPs" -> "Labour")."""
    rule = _title_rule(m.label, m.text, common_words)
    if rule is None:
        return None
    label, kept, n = rule
    if kept == "all":
        return m
    if kept == "prefix":
        return Mention(label, m.start, m.start + n, m.text[:n], source=m.source)
    return Mention(label, m.end - n, m.end, m.text[len(m.text) - n :], source=m.source)


@lru_cache(maxsize=65536)
def _title_rule(label: str, text: str, common_words: frozenset[str]) -> tuple[str, str, int] | None:
    """What ``_without_title`` makes of a mention, from its label and text alone (names repeat, so
    it is cached): None to drop it, else (label, "all" | "prefix" | "suffix", characters kept)."""
    words = text.split()
    if words[-1].lower() in MISC_HEADS:
        return None
    if _PLURAL_ACRONYM.search(text):
        if len(words) == 1:
            return None
        rest = text[: text.rstrip().rfind(" ")].rstrip()
        if rest.lower() in common_words:
            return None
        return label, "prefix", len(rest)
    if label == "PERSON" and text in _LONE_TITLES:
        return None  # "according to the Bishop": a title alone names nobody in particular
    if label == "PERSON" and len(words) > 1 and NAME_CUES.get(words[0].lower()) in ("ORG", "MISC") and words[0].lower() in _BEFORE_CUES:
        # "Brewer Heineken" at the start of a sentence: the cue is no part of the name, and says what it is
        if NAME_CUES[words[0].lower()] == "MISC":
            return None
        return "ORG", "suffix", len(text[len(words[0]) :].lstrip())
    kept = "all"
    if label == "ORG" and len(words) > 1 and words[0] == "The":
        # an article is no part of a name: "The North Atlantic Treaty Organization" as CoNLL marks it
        text, kept = text[3:].lstrip(), "suffix"
    title = _TITLE.match(text)
    if label != "PERSON":
        if title is None or title.group().rstrip(" .\t\n") not in _PERSONAL_TITLES:
            return label, kept, len(text)
        label, kept = "PERSON", "suffix"
    if title is None:
        return label, kept, len(text)
    rest = text[title.end() :]
    if not rest[:1].isupper():
        return None
    return label, "suffix", len(rest)


@lru_cache(maxsize=4096)
def _plural_of(acronym: str) -> re.Pattern:
    return re.compile(rf"(?<![\w&]){re.escape(acronym)}s\b")


# What may follow a cue before a name: spaces, a quote, a final line break (``$`` before it).
_AFTER_CUE = " \t\n\"“‘'"
_ALL_BEFORE_CUES = frozenset(_CUES.filter(pl.col("side") == "before")["cue"].to_list())
_CUES_ARE_WORDS = all(cue.isalpha() for cue in _ALL_BEFORE_CUES)


def _cue_before(body: str, start: int) -> re.Match | None:
    """``_CUE_BEFORE.search`` in the 16 characters before ``start``. A match is a one-word cue right
    after a space, "(" or the text's start, then only spaces and quotes: so the last word of the
    window less those characters, after its last "(", must be a cue for the search to find one. That
    check costs a fraction of the search, which most mentions then skip."""
    window = max(0, start - 16)
    last = body[window:start].rstrip(_AFTER_CUE).rsplit(None, 1)
    if _CUES_ARE_WORDS and (not last or last[-1].rsplit("(", 1)[-1] not in _ALL_BEFORE_CUES):
        return None
    return _CUE_BEFORE.search(body, window, start)


def _not_people(body: str, mentions: list[Mention]) -> list[Mention]:
    """Names that are not people (lexicons/name_cues.csv), each rule for every mention of the same text
    in the article:

    - a one-word "person" followed by a cue (``Chelsea manager``, ``Sony shares``: an organisation;
      ``Oscar nomination``: a title, dropped), or the tagger calls it an organisation at least as often
      as a person and it is no word of a longer person's name: an organisation;
    - a person or organisation right after a word that names what it is: a work or product
      (``the film Vera Drake``, ``the band``'s records are ORG: ``band Snow Patrol``, ``brewer
      Heineken``); a MISC cue drops it (CoNLL tags works MISC; the warehouse keeps no MISC);
    - a "person" whose name starts with "The" (``The Grudge``) is a title, dropped;
    - an acronym the article also writes in the plural (``PCs``, ``IDs``) is a common noun, dropped.
    """
    relabel: dict[str, str] = {}
    votes: dict[str, list[int]] = {}  # one-word text -> [PERSON, ORG] mentions
    in_full_names = {w for m in mentions if m.label == "PERSON" and " " in m.text for w in m.text.split()}
    for m in mentions:
        if m.label not in ("PERSON", "ORG"):
            continue
        before = _cue_before(body, m.start)
        if before and before.group("cue") in _ARTICLES and (m.label != "PERSON" or " " in m.text):
            before = None  # "a BBC spokesman"; "an Oscar" only for one-word "people"
        if before and (m.label == "PERSON" or NAME_CUES[before.group("cue")] == "MISC"):
            relabel.setdefault(m.text, NAME_CUES[before.group("cue")])
            continue
        if m.label == "PERSON" and (m.text.startswith("The ") or body.find("The", max(0, m.start - 8), m.start) != -1 and _THE_BEFORE.search(body, max(0, m.start - 8), m.start)):
            relabel.setdefault(m.text, "MISC")
            continue
        if m.label == "ORG" and _ACRONYM.match(m.text) and m.text + "s" in body and _plural_of(m.text).search(body):
            relabel.setdefault(m.text, "MISC")
            continue
        if " " in m.text:
            continue
        votes.setdefault(m.text, [0, 0])[m.label == "ORG"] += 1
        cue = _CUE_AFTER.match(body, m.end, m.end + 24)
        if cue:
            relabel.setdefault(m.text, NAME_CUES[cue.group("cue")])
    for text, (people, orgs) in votes.items():
        if people and orgs >= people and text not in in_full_names:
            relabel.setdefault(text, "ORG")
    if not relabel:
        return mentions
    kept = []
    for m in mentions:
        if m.label in ("PERSON", "ORG") and m.text in relabel:
            if relabel[m.text] == "MISC":
                continue
            if m.label == "PERSON":
                m.label = relabel[m.text]
        kept.append(m)
    return kept


def _caps_line_places(body: str, mentions: list[Mention], is_place: set[str], common_words: frozenset[str]) -> list[Mention]:
    """In an ALL-CAPS line, a one-word place name the tagger left untagged (``AFTER VOLGOGRAD VIOLENCE``)
    is the place, if it is no word the training text writes in lower case."""
    found = []
    for line in _CAPS_LINE.finditer(body):
        if line.group().upper() != line.group() or not any(c.isalpha() for c in line.group()):
            continue
        for word in _CAPS_WORD.finditer(body, line.start(), line.end()):
            low = word.group().lower()
            if low in is_place and low not in common_words and not _overlaps(Mention("", word.start(), word.end(), ""), mentions):
                found.append(Mention("LOCATION", word.start(), word.end(), word.group(), word.group(), "rule"))
    return sorted(mentions + found, key=_START) if found else mentions


def link_article(
    body: str, mentions: list[Mention], is_place: set[str], common_words: frozenset[str] = frozenset()
) -> list[Mention]:
    """Resolve ``canonical`` and harmonise ``label`` for one article's mentions (see module doc)."""
    mentions = sorted(mentions, key=_START)
    kept = []
    for m in mentions:
        if m.text in CURRENCY_CODES and body[m.end : m.end + 2].strip()[:1].isdigit():
            continue
        m = _without_title(m, common_words)
        if m is not None and m.text not in CALENDAR_NAMES:
            kept.append(m)
    mentions = _not_people(body, kept)
    for m in mentions:
        if m.label == "ORG":
            window = max(0, m.start - 40)
            head = _HEAD_OF.search(body, window, m.start) if body.find("of", window, m.start) != -1 else None
            if head and head.group("head").lower() in ORG_HEADS:
                # "Secretariat of National Defence", "Ministry of Defence": the head is part of the name
                m.start, m.text = head.start("head"), body[head.start("head") : m.end]
        m.canonical = canonical = _surface_canonical(m.text)
        m.label = LABEL_OVERRIDES.get(canonical, m.label)
        if m.text in COUNTRY_SHORT_FORMS:
            m.label = "LOCATION"
        # In an ALL-CAPS headline the tagger cannot see case; a known place name there is the place.
        if m.label == "PERSON" and m.text.isupper() and canonical.lower() in is_place and _in_caps_line(body, m):
            m.label = "LOCATION"
    mentions = _caps_line_places(body, mentions, is_place, common_words)
    # How the tagger labelled each surface form, to keep one bad full name from relabelling a place.
    votes: dict[tuple[str, str], int] = {}
    for m in mentions:
        key = (m.text, m.label)
        votes[key] = votes.get(key, 0) + 1
    credit = CREDIT_LINE.match(body, _last_line_start(body))  # "...)\s*\Z": only the last line can
    if credit:
        org = Mention("ORG", credit.start("org"), credit.end("org"), credit.group("org"), credit.group("org"), "rule")
        mentions = sorted([m for m in mentions if not _overlaps(org, [m])] + [org], key=_START)
    alias_of: dict[str, Mention] = {}  # alias text -> the mention it names

    # 1a. A nickname inside a name: one PERSON mention for the whole span.
    for match in _nicknames(body):
        first = FIRST_NAME_BEFORE.search(body, max(0, match.start() - 40), match.start())
        if first is None:
            continue
        whole = Mention("PERSON", first.start(), match.end(), body[first.start() : match.end()], source="rule")
        whole.canonical = f"{first.group('first')} {' '.join(match.group('last').split())}"
        mentions = [m for m in mentions if not _overlaps(whole, [m])] + [whole]
        alias_of[" ".join(match.group("nick").split())] = whole
    mentions.sort(key=_START)

    # 1b. Aliases and acronyms defined right after a mention.
    for m in list(mentions):
        if m.label == "MISC" and m.source == "tagger":
            continue
        if body[m.end : m.end + 80].lstrip(" \t")[:1] not in _DEFINITION_STARTS:
            continue  # most mentions: neither pattern can match
        for pattern in (ALSO_KNOWN_AS, ACRONYM):
            match = pattern.match(body, m.end, m.end + 80)  # anchored right after the mention
            if match:
                alias = " ".join(match.group("alias").split())
                if pattern is ACRONYM and not _abbreviates(alias, m.canonical):
                    continue
                alias_of.setdefault(alias, m)

    # 2a. Companies by their legal suffix, and the name without it.
    companies: dict[str, Mention | None] = {}
    for m in mentions:
        words = m.canonical.split()
        if len(words) > 1 and words[-1].strip(".").lower() in COMPANY_SUFFIXES and m.label != "MISC":
            m.label = "ORG"
            base = " ".join(words[:-1]).rstrip(",")
            if len(base) < 2 or not any(c.isalnum() for c in base):
                continue  # ", Inc" alone names no company
            known_company = companies.setdefault(base, m)
            if known_company is None or known_company.canonical != m.canonical:
                companies[base] = None  # two companies share the name: link neither
    for base, company in companies.items():
        if company is not None:
            alias_of.setdefault(base, company)

    # 2b. Short forms of PERSON names.
    full_names = {m.canonical: m for m in mentions if m.label == "PERSON" and len(m.canonical.split()) > 1}
    full_words = {name: set(_words(name)) for name in full_names}

    person_of: dict[str, Mention | None] = {}  # full_names is fixed from here on: one answer per text

    def person_for(text: str) -> Mention | None:
        if not full_words:
            return None
        if text in person_of:
            return person_of[text]
        words = set(_words(text))
        found = {name for name, ws in full_words.items() if words < ws} if words else set()
        person_of[text] = full_names[found.pop()] if len(found) == 1 else None
        return person_of[text]

    def resolve(m: Mention) -> None:
        if m.canonical in alias_of and alias_of[m.canonical] is not m:
            target = alias_of[m.canonical]
            m.canonical, m.label = target.canonical, target.label
            return
        if m.label == "LOCATION" and m.canonical.lower() in is_place:
            return
        if m.label == "LOCATION" and votes.get((m.text, m.label), 0) >= 2 and not votes.get((m.text, "PERSON")):
            return  # "Chechnya" tagged LOCATION throughout is not short for a mis-tagged "Lebed Chechnya"
        target = person_for(m.canonical)
        if target is not None and m.canonical not in full_names:
            m.canonical, m.label = target.canonical, "PERSON"

    for m in mentions:
        resolve(m)

    # 3. Other occurrences of known names and aliases.
    known = {m.text: m for m in mentions if m.label != "MISC" and len(m.text) > 1}
    for alias, target in alias_of.items():
        if len(alias) > 1:
            known.setdefault(alias, target)
    covered = bytearray(len(body) + 1)
    for m in mentions:
        covered[m.start : m.end] = b"\x01" * (m.end - m.start)
    added: list[Mention] = []
    # ALL-CAPS headlines repeat names the body spells normally, people often by surname alone.
    for text in list(known):
        known.setdefault(text.upper(), known[text])
        if known[text].label == "PERSON" and " " in known[text].canonical:
            surname = known[text].canonical.split()[-1]
            if len(surname) > 2 and surname.upper() != surname:
                known.setdefault(surname.upper(), known[text])
    for text in sorted(known, key=len, reverse=True):
        at = body.find(text)
        while at != -1:
            end = at + len(text)
            free = covered[at] == 0 and covered.find(1, at, end) == -1  # most finds are the mentions themselves
            if free and (at == 0 or not body[at - 1].isalnum()) and (end == len(body) or not body[end].isalnum()):
                canonical = known[text].canonical if text != known[text].text else _surface_canonical(text)
                cand = Mention(known[text].label, at, end, text, canonical, "rule")
                covered[at:end] = b"\x01" * (end - at)
                added.append(cand)
            at = body.find(text, at + 1)
    for m in added:
        resolve(m)
    mentions = sorted(mentions + added, key=_START)

    # 4. Misspellings of exactly one known name (one edit; same first letter; 5+ letters).
    # Only one-word mentions, against the words of multi-word PERSON names and
    # against known places: two different full names one letter apart
    # (Bernard Ingham, Bernard Ingram) may be two people, and plurals
    # (Clinton, Clintons) are not misspellings.
    names = {m.canonical: m for m in mentions if m.label != "MISC"}
    parts_by_initial: dict[str, list[tuple[str, str]]] = {}
    person_initials: set[str] = set()  # of the words of persons' names
    for name, target in names.items():
        if target.label == "PERSON" and " " in name:
            parts = name.split()
        elif target.label == "LOCATION" and name.lower() in is_place:
            parts = [name]
        else:
            continue
        for part in parts:
            if len(part) >= 5:
                parts_by_initial.setdefault(part[0], []).append((part, target.canonical))
                if target.label == "PERSON":
                    person_initials.add(part[0])
    misspelling_of: dict[str, Mention | None] = {}

    def misspelt(text: str) -> Mention | None:
        # names and its mentions' labels stay as they are while this is asked (the loop below only
        # relinks one-word mentions, which are never a target), so one answer per text
        if text not in misspelling_of:
            misspelling_of[text] = _misspelt(text)
        return misspelling_of[text]

    def _misspelt(text: str) -> Mention | None:
        targets = {
            canonical
            for part, canonical in parts_by_initial.get(text[0], ())
            if abs(len(part) - len(text)) <= 1
            and part != text
            and part.rstrip("s") != text.rstrip("s")
            and OSA.distance(part, text, score_cutoff=1) <= 1
        }
        if len(targets) != 1:
            return None
        target = names[targets.pop()]
        if target.label == "LOCATION" and (text.lower() in is_place or target.canonical.lower() not in is_place):
            return None
        return target

    for m in mentions:
        text = m.canonical
        if m.label == "MISC" or len(text) < 5 or " " in text or text != m.text or text.lower() in is_place:
            continue
        target = misspelt(text)
        if target is not None:
            m.canonical, m.label = target.canonical, target.label
            m.source = "misspelling"
    # A misspelt surname the tagger missed (it has never seen the word): a capitalised word that is
    # no common word, one edit from a word of a person's full name in the article.
    # Only a word with a person's word's initial can be one (with another, the one target is a place):
    # the scan looks for those alone.
    initials = "".join(sorted(c for c in person_initials if "A" <= c <= "Z"))
    if initials:
        covered = bytearray(len(body) + 1)
        for m in mentions:
            covered[m.start : m.end] = b"\x01" * (m.end - m.start)
        found = []
        for word in _capitalised(initials).finditer(body):
            text = word.group()
            if word.start() and _INSIDE_WORD.match(body, word.start() - 1):
                continue
            if covered[word.start()] or text.lower() in common_words or text.lower() in is_place:
                continue
            target = misspelt(text)
            if target is not None and target.label == "PERSON":
                found.append(Mention("PERSON", word.start(), word.end(), text, target.canonical, "misspelling"))
        mentions = sorted(mentions + found, key=_START) if found else mentions

    return mentions
