"""What kind of thing an organisation mention names: a frame step after within-article linking.

The CoNLL-trained tagger calls many things in feature and technology news
organisations. This step corrects classes of them over the whole mention frame
at once (polars expressions, no per-article Python), each from a general signal:

- **joined names**: ``Eximbank and Credit Suisse First Boston``, ``Creative,
  Sony and Philips``, ``Tysabri or Avonex`` are one organisation each side of
  ``and`` / ``or``, unless the span
  is one name built with ``and`` (``Department of Trade and Industry``:
  ``of``/``for`` before the ``and``; ``Health and Safety Executive``: a head
  word at its end, lexicons/org_heads.csv and org_tails.csv; ``Trade and Industry``: a side made
  only of common words);
- **common words**: a one-word "organisation" the news writes in lower case
  (news_casing.py: capitalised under 20% of the time inside a sentence), where
  its own article also writes it in lower case, is a common word (``Best
  musical actor`` ... ``the best``; not ``The Times``, a title);
- **common-noun acronyms**: an acronym the article does not expand, whose
  word clusters (clusters.py, at two granularities) are both mostly common
  words, is no organisation (``TV``, ``DVD``, ``ID``, ``MEP``, ``OBE``), nor is
  such an acronym after a country or nationality (``US TV``, ``European TV``);
- **numbered channels**: an "organisation" ending in a common noun followed by
  a number takes the number (``Radio`` -> ``Radio 4``, ``BBC News`` -> ``BBC
  News 24``);
- **venues**: a name ending in a street or venue word, or starting with one
  (``Regent Street``, ``Millennium Stadium``, ``Stade de France``:
  lexicons/venue_heads.csv) is a place, unless it stands for an institution
  (lexicons/label_overrides.csv: ``Downing Street``);
- **products**: a name right after an organisation's possessive (``Sony's
  PlayStation Portable``, ``Microsoft's Xbox``) is its product, not kept, unless
  it ends in an organisation head word (``the IMF's European Department``);
- **titles**: a name after a capitalised ``The`` inside a sentence is the title
  of a work (``such as The Leonard Cohen Story``, ``starring in The
  Aviator``), not kept, unless an organisation word ends it (``The Yankee Group``);
- **line-ups**: a one-word "organisation" between two people in a comma list
  (``Lampard, Makelele, Cole``), or in brackets with the minute a substitute
  came on (``Dyer (Ambrose 80)``), is a person;
- **people**: a peer, knight or officer (``Lord Dubs``, ``Sir Alex Ferguson``,
  ``Gen Pervez Musharraf``) is a person; so is an initial and a surname (``P de
  Villiers``) in a list or line-up, a two- or three-word name of name-like words right after a word
  only people are called (lexicons/person_roles.csv: ``Scrubs star Zach
  Braff``; one word only if the news rarely names it, name_agency.py: ``wife
  Ffion``, not ``vice president, Boeing``), and a two- or three-word "organisation" that starts with a given
  name (the census lists in person_names.parquet) or initials (``JP McManus``)
  where its article calls its last word ``Mr``/``Mrs``/``Ms``/``Dr`` (``Howard
  Flight`` ... ``Mr Flight``). None of them may hold an organisation word.

Reads ``article_id, label, text, start_char, end_char, canonical_name`` of the
mentions and ``article_id, body`` of the articles; rewrites ``label``,
``text``, ``start_char``, ``end_char`` and ``canonical_name`` (a joined span
becomes one row per name, in its place). Rows dropped as no organisation get
the label ``MISC`` (works, products, common words: not warehouse mentions).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import polars as pl

from transforms.entities.clusters import MODEL_DIR, load_clusters, word_form
from transforms.entities.gazetteer import PERSON_NAMES_FILE
from transforms.entities.name_agency import shipped_name_agency
from transforms.entities.news_casing import load_news_casing
from transforms.tokens import ENGINE

READS = ("article_id", "label", "text", "start_char", "end_char", "canonical_name")
LEXICON_DIR = Path(__file__).resolve().parent / "lexicons"
ORG_HEADS = pl.read_csv(LEXICON_DIR / "org_heads.csv")["word"].to_list()
COMPANY_SUFFIXES = pl.read_csv(LEXICON_DIR / "company_suffixes.csv")["word"].to_list()
_VENUES = pl.read_csv(LEXICON_DIR / "venue_heads.csv")
VENUE_LAST = _VENUES.filter(pl.col("position") == "last")["word"].to_list()
VENUE_FIRST = _VENUES.filter(pl.col("position") == "first")["word"].to_list()
# Last words of organisation names besides the head words: "News International", "Lionhead Studios".
ORG_TAILS = pl.read_csv(LEXICON_DIR / "org_tails.csv")["word"].to_list()
INSTITUTIONS = pl.read_csv(LEXICON_DIR / "label_overrides.csv")["text"].to_list()
ORG_WORDS = sorted(set(ORG_HEADS + ORG_TAILS + COMPANY_SUFFIXES))
# a country short form (lexicons/country_aliases.csv) or a nationality word, then one acronym: "US TV", "European TV"
_COUNTRIES = "|".join(pl.escape_regex(n) for n in pl.read_csv(LEXICON_DIR / "country_aliases.csv")["name"].to_list() if " " not in n)
NATIONAL_PREFIX = rf"^(?:{_COUNTRIES}|[A-Z][a-z]+(?:an|ish|ese))\s[A-Z][A-Z0-9]{{1,5}}$"

# Percent of in-sentence occurrences the news capitalises: below LOWER_WORD a word is a common word
# (best 5, parliamentary 19; not assembly 24, committee 35); below NAME_WORD it is more often common
# than a name (trade 16, radio 44). Acronyms: the news writes a common-noun acronym in capitals too
# (tv 99, dvd 99): ACRONYM_WORD keeps "NICE" or "GIANTS" in an ALL-CAPS line out.
LOWER_WORD = 20
NAME_WORD = 50

_SEPARATOR = r"(, and |, | and | or )"
_CONTEXT = 40


def _upper(word: pl.Expr, casing: pl.DataFrame) -> pl.Expr:
    """The news casing percent of ``word`` (null when the news has too few of it)."""
    return word.str.to_lowercase().replace_strict(casing["word"], casing["upper"], default=None, return_dtype=pl.Int64)


ACRONYM_WORD = 90
COMMON_CLUSTER = 0.7  # share of a cluster's words the news writes mostly in lower case


def common_clusters(clusters: pl.DataFrame, casing: pl.DataFrame) -> pl.DataFrame:
    """``word``s (the clusters' word form) the news writes capitalised (an acronym, ``tv``) whose c2 and c3
    clusters both hold mostly words it writes in lower case."""
    words = clusters.join(casing.select("word", "upper"), on="word", how="left")
    common = pl.col("upper").fill_null(100) < NAME_WORD
    return (
        words.with_columns(common.mean().over("c2").alias("share_c2"), common.mean().over("c3").alias("share_c3"))
        .filter((pl.col("share_c2") >= COMMON_CLUSTER) & (pl.col("share_c3") >= COMMON_CLUSTER))
        .filter(pl.col("upper") >= ACRONYM_WORD)
        .select("word")
    )


@cache
def _common_cluster_words() -> pl.Series:
    return common_clusters(load_clusters(), load_news_casing())["word"]


# "Lord Dubs", "Sir Alex Ferguson": a peer's or knight's title and a name (not "Lord Chancellor": a common word)
PEER = r"^(?:Lord|Lady|Sir|Dame|Baroness|Baron|Viscount|Earl|Gen|Col|Lt|Maj|Capt|Brig|Sgt|Adm)\.? [A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?$"
# "P de Villiers", "S Perugini": one initial and a surname (line-ups, bylines)
INITIAL_AND_SURNAME = r"^[A-Z]\.? (?:(?:de|del|van|von|da|di|dal|der|den|le|la|du|dos|das) )*[A-Z][\w'’-]+$"
# "Scrubs star Zach Braff", "actress Amma Asante": a word only people are called, right before a two- or three-word name
PERSON_ROLES = pl.read_csv(LEXICON_DIR / "person_roles.csv")["word"].to_list()
ROLE_BEFORE = r"(?i:\b(?:" + "|".join(map(pl.escape_regex, PERSON_ROLES)) + r"))[ \t]+$"
NAME_OF_TWO_OR_THREE = r"^[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){1,2}$"
# a one-word name after a role word is a person only if the news rarely names it ("wife Ffion", "rapper Twista");
# a name the news writes often there is an organisation in apposition ("vice president, Boeing")
RARE_NAME = 20
# "Howard Flight", "JP McManus", "Milan Kundera": a given name or initials, an optional initial, a surname
GIVEN_AND_SURNAME = r"^(\S+) (?:[A-Z]\.? )?([A-Z][\w'’-]+)$"
SURNAME_TITLES = ("Mr", "Mrs", "Ms", "Miss", "Dr")
# "Lord Chief Justice", "Lord Justice Clarke": an office, not a peer's name
TITLE_WORDS = sorted({w.lower().rstrip(".") for t in pl.read_csv(LEXICON_DIR / "person_titles.csv")["title"].to_list() for w in t.split()} | {"chief"})


@cache
def _given_names() -> pl.Series:
    path = MODEL_DIR / PERSON_NAMES_FILE
    names = pl.read_parquet(path) if path.exists() else pl.DataFrame(schema={"word": pl.String, "pn": pl.String})
    return names.filter(pl.col("pn").str.starts_with("F"))["word"]


@cache
def _shipped_casing() -> pl.DataFrame:
    return load_news_casing()


def refine_kinds(
    mentions: pl.DataFrame,
    bodies: pl.DataFrame,
    casing: pl.DataFrame | None = None,
    common_cluster_words: pl.Series | None = None,
) -> pl.DataFrame:
    """``mentions`` with the classes of organisation errors above corrected (see the module doc).

    ``casing`` (news_casing.py's table) and ``common_cluster_words`` (``common_clusters``) default
    to the shipped tables."""
    if mentions.is_empty():
        return mentions
    casing = _shipped_casing() if casing is None else casing
    common_cluster_words = _common_cluster_words() if common_cluster_words is None else common_cluster_words
    columns = mentions.columns
    numbered = mentions.with_row_index("row")
    # every rule but the line-up rule rewrites organisations only: the rest skip them, and their context
    orgs = (
        numbered.lazy()
        .filter(pl.col("label") == "ORG")
        .join(bodies.lazy().select("article_id", "body"), on="article_id", how="left", maintain_order="left")
        .with_columns(
            before=pl.col("body").str.slice(
                (pl.col("start_char") - _CONTEXT).clip(0), pl.min_horizontal(pl.col("start_char"), pl.lit(_CONTEXT))
            ),
            after=pl.col("body").str.slice(pl.col("end_char"), _CONTEXT),
        )
        .drop("body")
        .collect(engine=ENGINE)
    )
    orgs = _split_joined(orgs, casing, numbered.select("article_id", "text").unique())
    orgs = _common_words(orgs, casing)
    orgs = _written_lower(orgs, bodies, casing)
    orgs = orgs.with_columns(
        label=pl.when(
            (pl.col("label") == "ORG")
            & pl.col("text").str.contains(r"^[A-Z][A-Z0-9&]{1,5}$")
            & (pl.col("text") == pl.col("canonical_name"))
            & word_form(pl.col("text")).is_in(common_cluster_words.implode())
            # "US TV", "British TV programmes": a country or nationality and a common-noun acronym
            | (pl.col("label") == "ORG")
            & pl.col("text").str.contains(NATIONAL_PREFIX)
            & word_form(pl.col("text").str.extract(r" (\S+)$")).is_in(common_cluster_words.implode())
        )
        .then(pl.lit("MISC"))
        .otherwise("label")
    )
    orgs = _people(orgs, bodies, casing)
    others = numbered.filter(pl.col("label") != "ORG").with_columns(before=pl.lit(None, pl.String), after=pl.lit(None, pl.String))
    frame = pl.concat([orgs, others.select(orgs.columns)])
    frame = _in_context(frame)
    return frame.sort("row", "start_char").select(columns)


def _split_joined(frame: pl.DataFrame, casing: pl.DataFrame, known: pl.DataFrame) -> pl.DataFrame:
    """``known``: ``article_id, text`` of every mention; a one-word side must be one of its article's."""
    joined = (pl.col("label") == "ORG") & pl.col("text").str.contains(r"\S (?:and|or) (?:the )?[A-Z]")
    candidates = frame.filter(joined)
    if candidates.is_empty():
        return frame
    # the casing of the words the sides can hold, alone: a lookup builds its map from the whole table
    words = candidates.select(
        pl.col("text").str.replace_all(_SEPARATOR, "\x00$1\x00").str.split("\x00").explode().str.split(" ").explode()
        .str.to_lowercase().unique().alias("word")
    )  # fmt: skip
    casing = casing.filter(pl.col("word").is_in(words["word"].implode()))
    pieces = (
        candidates.lazy()
        .select(
            "row",
            "article_id",
            piece=pl.col("text").str.replace_all(_SEPARATOR, "\x00$1\x00").str.split("\x00"),
            whole_ok=~pl.col("before").str.contains(r"(?:\b(?:of|for|and)|&)\s*$")
            & ~pl.col("text").str.extract(r"(\S+)$").str.to_lowercase().is_in(ORG_HEADS + ORG_TAILS + COMPANY_SUFFIXES),
        )
        .explode("piece")
        .with_columns(index=pl.int_range(pl.len()).over("row"), length=pl.col("piece").str.len_chars())
        .with_columns(offset=pl.col("length").cum_sum().over("row") - pl.col("length"), parts=pl.len().over("row"))
        .filter(pl.col("index") % 2 == 0)
        .with_columns(lead=pl.col("piece").str.extract(r"^((?:the|The) )").str.len_chars().fill_null(0))
        .with_columns(part=pl.col("piece").str.slice(pl.col("lead")), offset=pl.col("offset") + pl.col("lead"))
        .join(known.lazy().select("article_id", part="text", known=pl.lit(True)), on=["article_id", "part"], how="left")
        .with_columns(
            name_like=pl.col("part").str.contains(r"^[A-Z]")
            & (pl.col("part").str.contains(" ") | pl.col("known").fill_null(False))  # "Coopers and Lybrand": one firm
            & (
                pl.col("part")
                .str.split(" ")
                .list.eval(_upper(pl.element(), casing).fill_null(100) >= NAME_WORD)
                .list.any()
            ),
            built_with_of=pl.col("part").str.contains(r" (?:of|for) ") & (pl.col("index") < pl.col("parts") - 1),
        )
        .group_by("row")
        .agg(
            split=pl.col("whole_ok").first() & pl.col("name_like").all() & ~pl.col("built_with_of").any(),
            part=pl.col("part"),
            offset=pl.col("offset"),
        )
        .filter("split")
        .explode("part", "offset")
        .collect(engine=ENGINE)
    )
    if pieces.is_empty():
        return frame
    parts = (
        frame.join(pieces.select("row", "part", "offset"), on="row")
        .with_columns(
            start_char=pl.col("start_char") + pl.col("offset"),
            end_char=pl.col("start_char") + pl.col("offset") + pl.col("part").str.len_chars(),
            text=pl.col("part"),
            canonical_name=pl.col("part"),
            before=pl.lit(None, pl.String),  # context rules do not look inside a list of names
            after=pl.lit(None, pl.String),
        )
        .select(frame.columns)
    )
    return pl.concat([frame.filter(~pl.col("row").is_in(pieces["row"].implode())), parts])


def _with_upper(frame: pl.DataFrame, casing: pl.DataFrame, **words: pl.Expr) -> pl.DataFrame:
    """``frame`` plus ``<name>_upper``, the news casing percent of each named word (a join: cheaper than a
    mapping expression on every row)."""
    for name, word in words.items():
        frame = frame.with_columns(word.str.to_lowercase().alias(name))
        # the rows of the words looked up, alone: the join then hashes a few rows, not the whole table
        table = casing.filter(pl.col("word").is_in(frame[name].drop_nulls().implode()))
        table = table.select(pl.col("word").alias(name), pl.col("upper").cast(pl.Int64).alias(f"{name}_upper"))
        frame = frame.join(table, on=name, how="left", maintain_order="left")
    return frame.drop(*words)


def _people(frame: pl.DataFrame, bodies: pl.DataFrame, casing: pl.DataFrame) -> pl.DataFrame:
    """Peers, officers, line-up initials, names after a role word, and given-name "organisations" whose
    article calls the surname Mr (module doc). Judged on the few candidate rows only."""
    role_before = pl.col("before").str.contains(ROLE_BEFORE).fill_null(False)
    shaped = (
        pl.col("text").str.contains(PEER)
        | pl.col("text").str.contains(INITIAL_AND_SURNAME)
        | pl.col("text").str.contains(GIVEN_AND_SURNAME)
        | role_before
    )
    frame = frame.with_row_index("mention")  # "row" is shared by the pieces of a split span
    candidates = frame.filter((pl.col("label") == "ORG") & shaped).select(
        "mention", "article_id", "text", "after", role_before=role_before
    )
    if candidates.is_empty():
        return frame.drop("mention")
    words = (
        candidates.select("mention", word=pl.col("text").str.to_lowercase().str.split(" "))
        .explode("word")
        .with_columns(position=pl.int_range(pl.len()).over("mention"))
        .join(casing.select("word", upper=pl.col("upper").cast(pl.Int64)), on="word", how="left", maintain_order="left")
        .group_by("mention")
        .agg(
            all_names=(pl.col("upper").fill_null(100) >= NAME_WORD).all(),
            last_is_name=(pl.col("upper").fill_null(100) >= NAME_WORD).sort_by("position").last(),
            no_org_word=~pl.col("word").is_in(ORG_WORDS).any(),
            office=(pl.col("word").is_in(TITLE_WORDS) & (pl.col("position") > 0)).any(),
        )
    )
    agency = shipped_name_agency().select("name", seen=pl.col("n").cast(pl.Int64))
    candidates = (
        candidates.join(words, on="mention", how="left")
        .with_columns(name=pl.col("text").str.to_lowercase())
        .join(agency, on="name", how="left")
        .with_columns(seen=pl.col("seen").fill_null(0))
    )
    parts = pl.col("text").str.extract_groups(GIVEN_AND_SURNAME)
    first, last = parts.struct.field("1"), parts.struct.field("2")
    given = first.str.to_lowercase().is_in(_given_names().implode()) | first.str.contains(r"^[A-Z]{2}$|^(?:[A-Z]\.){2}$")
    given_named = candidates.filter(given.fill_null(False) & pl.col("no_org_word")).select("mention", "article_id", last=last)
    titled = pl.lit(r"\b(?:" + "|".join(SURNAME_TITLES) + r")\.?\s+") + pl.col("last").str.escape_regex() + pl.lit(r"\b")
    # each surname is looked for once per article: a long article naming one person many times is scanned once
    titled_names = (
        given_named.select("article_id", "last").unique()
        .join(bodies.select("article_id", "body"), on="article_id", how="left")
        .filter(pl.col("body").str.contains(titled))
        .select("article_id", "last")
    )  # fmt: skip
    called_mr = given_named.join(titled_names, on=["article_id", "last"], how="semi").get_column("mention")
    peer = pl.col("text").str.contains(PEER) & ~pl.col("office") & pl.col("last_is_name")
    # in a list or line-up, a separator follows ("S Perugini, M Castrogiovanni"), not a word ("O Globo said")
    listed = pl.col("after").str.contains(r"^[ \t]*(?:[,;(]|\n|$)").fill_null(False)
    initial = pl.col("text").str.contains(INITIAL_AND_SURNAME) & pl.col("last_is_name") & pl.col("no_org_word") & listed
    name_form = pl.col("text").str.contains(NAME_OF_TWO_OR_THREE) | pl.col("text").str.contains(r"^[A-Z][a-z'’-]+$") & (
        pl.col("seen") < RARE_NAME
    )
    role = pl.col("role_before") & name_form & ~pl.col("text").str.contains(r"\d") & pl.col("no_org_word") & pl.col("all_names")
    people = pl.concat([candidates.filter(peer | initial | role).get_column("mention"), called_mr])
    return frame.with_columns(
        label=pl.when(pl.col("mention").is_in(people.implode())).then(pl.lit("PERSON")).otherwise("label")
    ).drop("mention")


def _common_words(frame: pl.DataFrame, casing: pl.DataFrame) -> pl.DataFrame:
    org = pl.col("label") == "ORG"
    frame = _with_upper(frame, casing, last=pl.col("text").str.extract(r"(\S+)$"))
    # " 4's", " 4 show", " 4. " but not " 4.5", " 4%", " 10-0", " 4 Bury 1", " 1 ,", " 36" ending a line, " 20 percent"
    number = pl.col("after").str.extract(r"^( \d{1,2})(?:['’]s|[.,:;](?:\s|$)| (?:percent|per|pct|points|million|billion)\b| [a-z])")
    number = pl.when(pl.col("after").str.contains(r"^ \d{1,2} (?:percent|per|pct|points|million|billion)\b")).then(None).otherwise(number)
    numbered = org & (pl.col("last_upper") < NAME_WORD) & number.is_not_null()
    return frame.with_columns(
        end_char=pl.when(numbered).then(pl.col("end_char") + number.str.len_chars()).otherwise("end_char"),
        text=pl.when(numbered).then(pl.col("text") + number).otherwise("text"),
        canonical_name=pl.when(numbered)
        .then(pl.col("text") + number)
        .otherwise("canonical_name"),
    ).drop("last_upper")


def _written_lower(frame: pl.DataFrame, bodies: pl.DataFrame, casing: pl.DataFrame) -> pl.DataFrame:
    """A one-word "organisation" the news writes in lower case as often as not, that its own article
    also writes in lower case, is a common word there (``Committee chairman`` ... ``the committee``)."""
    one_word = (pl.col("label") == "ORG") & pl.col("text").str.contains(r"^[A-Z][a-z]+$")
    rows = (
        _with_upper(frame.filter(one_word), casing, word=pl.col("text"))
        .filter(pl.col("word_upper") < LOWER_WORD)
        .filter(~pl.col("before").str.contains(r"\S[ \t]+The[ \t]+$"))  # "in The Times": a title
        .select("row", "article_id", "text")
    )
    if rows.is_empty():
        return frame
    lower = (
        rows.join(bodies.select("article_id", "body"), on="article_id", how="left")
        .filter(pl.col("body").str.contains(pl.lit(r"\b") + pl.col("text").str.to_lowercase() + pl.lit(r"\b")))
        .get_column("row")
    )
    return frame.with_columns(label=pl.when(pl.col("row").is_in(lower.implode())).then(pl.lit("MISC")).otherwise("label"))


def _in_context(frame: pl.DataFrame) -> pl.DataFrame:
    org = pl.col("label") == "ORG"
    # every rule reads the text of organisations alone: null elsewhere, so string work skips other rows
    # (a rule's "org & ..." is false there whatever the rest gives)
    org_text = pl.when(org).then(pl.col("text"))
    last_word = org_text.str.extract(r"(\S+)$").str.to_lowercase()
    low = org_text.str.to_lowercase()
    venue = (
        org
        & (last_word.is_in(VENUE_LAST) | pl.any_horizontal(*(low.str.starts_with(w + " ") for w in VENUE_FIRST)))
        & ~pl.col("canonical_name").is_in(INSTITUTIONS)
        & ~pl.col("after").str.contains(r"^\s+\d")  # "Queen's Park 1 Forfar 4": a club in a results line
    )
    ordered = frame.sort("row", "start_char")
    same_article = pl.col("article_id").shift(1) == pl.col("article_id")
    next_same = pl.col("article_id").shift(-1) == pl.col("article_id")
    gap_before = pl.col("start_char") - pl.col("end_char").shift(1)
    gap_after = pl.col("start_char").shift(-1) - pl.col("end_char")
    # "Sony's PlayStation": the possessive right before the mention follows an organisation mention
    owned = (
        org
        & same_article
        & (pl.col("label").shift(1) == "ORG")
        & pl.col("before").str.contains(r"\S['’]s (?:new |latest )?$")
        & (gap_before <= 9)
        & ~last_word.is_in(ORG_HEADS + ORG_TAILS + COMPANY_SUFFIXES)
        & ~org_text.str.contains(r"[&-]|\bof\b")
    )
    # "such as The Leonard Cohen Story": a capitalised "The" inside a sentence opens a title (films, shows, books)
    titled = (
        org
        & pl.col("before").str.contains(r"[a-z,;:][ \t]+The[ \t]+$")
        & ~last_word.is_in(ORG_HEADS + ORG_TAILS + COMPANY_SUFFIXES)
    )
    # "Dyer (Ambrose 80)": a substitute and the minute he came on, in a line-up
    substitute = org & ~org_text.str.contains(" ") & pl.col("before").str.ends_with("(") & pl.col("after").str.contains(r"^ \d{1,3}\)")
    between_people = (
        org
        & ~org_text.str.contains(" ")
        & same_article
        & next_same
        & (pl.col("label").shift(1) == "PERSON")
        & (pl.col("label").shift(-1) == "PERSON")
        & (gap_before == 2)
        & pl.col("before").str.ends_with(", ")
        & pl.col("after").str.contains(r"^(?:, | \()")
        & (gap_after <= 2)
    )
    return ordered.with_columns(
        label=pl.when(venue)
        .then(pl.lit("LOCATION"))
        .when(owned | titled)
        .then(pl.lit("MISC"))
        .when(between_people | substitute)
        .then(pl.lit("PERSON"))
        .otherwise("label")
    )
