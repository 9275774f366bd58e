"""Tagger features as polars expressions over the token frame.

Each feature template is one string column (null when it does not fire). The
same definitions feed training (``train.py``, strings for crfsuite) and tagging
(``crf.py``, weight-row indices), so the model always sees the features it was
trained on; ``tests/test_entities.py`` checks that both paths score alike.

Most templates depend on the token string alone (``WORD_TEMPLATES``) or on a
neighbour's (``NEIGHBOURS``): they are computed once per distinct token of a
batch (``word_features``), not once per token. A news batch has about five
tokens per distinct token.

Context is the line: a headline, a dateline, a sentence of CoNLL text or a
paragraph of an article. Document-level templates (``dc*``) look at how the
same word is written elsewhere in the article (non-local features, after
Ratinov & Roth 2009), which is what rescues ALL-CAPS headlines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import polars as pl

from transforms.entities.clusters import EMPTY as CLUSTERS_EMPTY
from transforms.entities.clusters import word_form
from transforms.entities.gazetteer import LEXICON_DIR, MAX_NGRAM, PERSON_NAMES_EMPTY
from transforms.tokens import ENGINE

# Words that end organisation names (Cartel, Agency, Ministry): a feature, so
# the tagger can carry what it learnt from "Ministry" to "Cartel".
ORG_HEADS = pl.read_csv(LEXICON_DIR / "org_heads.csv")["word"]
# Legal suffixes (Ltd, plc, SpA): the words before one are a company.
COMPANY_SUFFIXES = pl.read_csv(LEXICON_DIR / "company_suffixes.csv")["word"]
# A full stop after these does not end a sentence.
ABBREVIATIONS = pl.read_csv(LEXICON_DIR / "abbreviations.csv")["word"]
_STOPS = pl.Series([".", "!", "?"])
_QUOTES = pl.Series(['"', "'", "”", "’"])

TEMPLATES: tuple[str, ...] = (
    "bias",
    "w", "w-1", "w+1", "w-2", "w+2",
    "b-1", "b+1",
    "sh", "sh-1", "sh+1", "sh3",
    "p2", "p3", "s2", "s3", "s4",
    "first", "cl", "tc", "dc", "dcs",
    "gz", "gz-1", "gz+1",
    "oh", "oh+1", "oh+2",
    "cs+1", "cs+2",
    "c1", "c2", "c3", "c1-1", "c1+1", "c2-1", "c2+1", "c3-1", "c3+1",
    "c2-2", "c2+2", "cb-1", "cb+1",
    "pn", "pn-1", "pn+1",
)  # fmt: skip

# Templates that are a column of the distinct-token table (``word_features``) as it is.
WORD_TEMPLATES: tuple[str, ...] = ("w", "sh", "p2", "p3", "s2", "s3", "s4", "tc", "oh", "c1", "c2", "c3", "pn")
# Columns of the distinct-token table that only neighbours' templates read.
NEIGHBOUR_ONLY: tuple[str, ...] = ("cs",)
# A neighbour's value: template -> (column, offset on the line, value past the line's ends).
NEIGHBOURS: dict[str, tuple[str, int, str | None]] = {
    "w-1": ("w", -1, "<s>"), "w+1": ("w", 1, "</s>"), "w-2": ("w", -2, "<s>"), "w+2": ("w", 2, "</s>"),
    "sh-1": ("sh", -1, "<s>"), "sh+1": ("sh", 1, "</s>"),
    "gz-1": ("gz", -1, None), "gz+1": ("gz", 1, None),
    "oh+1": ("oh", 1, None), "oh+2": ("oh", 2, None),
    "cs+1": ("cs", 1, None), "cs+2": ("cs", 2, None),
    "c1-1": ("c1", -1, "<s>"), "c1+1": ("c1", 1, "</s>"),
    "c2-1": ("c2", -1, None), "c2+1": ("c2", 1, None),
    "c3-1": ("c3", -1, None), "c3+1": ("c3", 1, None),
    "c2-2": ("c2", -2, "<s>"), "c2+2": ("c2", 2, "</s>"),
    "pn-1": ("pn", -1, None), "pn+1": ("pn", 1, None),
}  # fmt: skip
# A word column that fires only where a token flag holds: template -> (column, flag).
GATED: dict[str, tuple[str, str]] = {"first": ("sh", "is_first"), "cl": ("cl", "caps_line")}
# Word bigrams: template -> ((column, offset, edge), (column, offset, edge)), values joined by "|".
PAIRS: dict[str, tuple[tuple[str, int, str | None], tuple[str, int, str | None]]] = {
    "b-1": (("w", -1, "<s>"), ("w", 0, None)),
    "b+1": (("w", 0, None), ("w", 1, "</s>")),
    # cluster bigrams: what kind of word stands beside what kind of word
    "cb-1": (("c2", -1, "<s>"), ("c2", 0, None)),
    "cb+1": (("c2", 0, None), ("c2", 1, "</s>")),
}
# Other templates that need the token in its context: built per token (``context_features``).
CONTEXT_TEMPLATES: tuple[str, ...] = ("sh3", "dc", "dcs", "gz")


@dataclass(frozen=True)
class Lexicons:
    """Data the features join against; saved with the weights."""

    gazetteer: pl.DataFrame  # key (lower-cased tokens joined by " "), kind, n
    casing: pl.DataFrame  # word (lower-cased form), casing (T | L | M) in the training text
    clusters: pl.DataFrame = field(default_factory=lambda: CLUSTERS_EMPTY)  # word (as ``w``), c1, c2, c3
    person_names: pl.DataFrame = field(default_factory=lambda: PERSON_NAMES_EMPTY)  # word (lower case), pn

    @cached_property
    def gazetteer_first_words(self) -> pl.Series:
        return self.gazetteer["key"].str.extract(r"^(\S+)").unique()


def _near(expr: pl.Expr, k: int, edge: str | None) -> pl.Expr:
    """Value ``k`` tokens later (negative: earlier) on the same line, else ``edge``."""
    same_line = pl.col("seq").shift(-k) == pl.col("seq")
    return pl.when(same_line).then(expr.shift(-k)).otherwise(pl.lit(edge, dtype=pl.String))


def _casing_class(share: pl.Expr) -> pl.Expr:
    return pl.when(share >= 0.99).then(pl.lit("T")).when(share <= 0.01).then(pl.lit("L")).otherwise(pl.lit("M"))


def word_features(
    tokens: pl.DataFrame,
    casing: pl.DataFrame | None,
    clusters: pl.DataFrame = CLUSTERS_EMPTY,
    person_names: pl.DataFrame = PERSON_NAMES_EMPTY,
) -> pl.DataFrame:
    """One row per distinct ``token`` (row number ``word_id``): everything that depends on it alone.

    Without a casing lexicon (while building one) the columns that need it are left out.
    """
    token = pl.col("token")
    low = pl.col("low")
    words = (
        tokens.lazy()
        .select(token.unique())
        .with_columns(low=token.str.to_lowercase())
        .with_columns(
            starts_upper=token.str.contains(r"^\p{Lu}"),
            has_lower=token.str.contains(r"\p{Ll}"),
            has_upper=token.str.contains(r"\p{Lu}"),
            is_word=token.str.contains(r"^\p{L}"),
            is_stop=token.is_in(_STOPS.implode()),
            is_quote=token.is_in(_QUOTES.implode()),
            # after an abbreviation or an initial a full stop does not end the sentence
            keeps_sentence=low.is_in(ABBREVIATIONS.implode()) | token.str.contains(r"^\p{Lu}$"),
            can_open=token.str.contains(r"^[\p{Lu}\d\"'“‘]"),
        )
    )
    if casing is not None:
        words = (
            words.join(casing.lazy(), left_on="low", right_on="word", how="left")
            .with_columns(
                # U.S. and US are one word; digits are all alike.
                w=word_form(token),
                sh=token.str.replace_all(r"\p{Lu}+", "X").str.replace_all(r"\p{Ll}+", "x").str.replace_all(r"\d+", "d"),
                oh=pl.when(pl.col("starts_upper") & low.is_in(ORG_HEADS.implode())).then(pl.lit("1")),
                cs=pl.when(low.str.strip_chars(".").is_in(COMPANY_SUFFIXES.implode())).then(pl.lit("1")),
                tc=pl.col("casing"),
                cl=pl.concat_str([pl.lit("C|"), pl.col("casing").fill_null("?")]),
            )
            .join(clusters.lazy(), left_on="w", right_on="word", how="left")
            .join(person_names.lazy(), left_on="low", right_on="word", how="left")
            # a census name only where the word is capitalised: "Will", not "will"
            .with_columns(pn=pl.when(pl.col("starts_upper")).then(pl.col("pn")))
            .with_columns(
                p2=pl.col("w").str.head(2),
                p3=pl.col("w").str.head(3),
                s2=pl.col("w").str.tail(2),
                s3=pl.col("w").str.tail(3),
                s4=pl.col("w").str.tail(4),
            )
        )
    return words.with_row_index("word_id").collect(engine=ENGINE)


_TOKEN_FLAGS = ("low", "starts_upper", "has_lower", "has_upper", "is_word", "is_stop", "is_quote", "keeps_sentence", "can_open")


def _line_total(flag: pl.Expr) -> pl.Expr:
    """``flag.sum().over("seq")`` without hashing ``seq``: its rows are adjacent and in order, so the
    line's total is the running sum at its last row less the running sum before its first row."""
    values = flag.cast(pl.Int64)
    running = values.cum_sum()
    seq = pl.col("seq")
    last = (seq != seq.shift(-1)).fill_null(True)
    first = (seq != seq.shift(1)).fill_null(True)
    return pl.when(last).then(running).backward_fill() - pl.when(first).then(running - values).forward_fill()


def sentences(tokens: pl.DataFrame, words: pl.DataFrame) -> pl.LazyFrame:
    """The tokens with ``word_id``, ``seq``, ``is_first``, ``caps_line`` and ``is_evidence``.

    ``seq`` numbers the sentences of all articles consecutively. A sentence
    ends at a line break, or at . ! ? (perhaps then a closing quote) followed by
    a capital, unless the stop ends an abbreviation or an initial. The tagger
    was trained on one sentence per line, so it sees the same here.

    ``is_evidence``: the word's case says something about it. The first token
    of a line and every token of an ALL-CAPS line are capitalised whatever
    they are, so they are not evidence.
    """
    flag = pl.col
    after_stop = flag("is_stop").shift(1) & ~flag("keeps_sentence").shift(2)
    after_quoted_stop = flag("is_quote").shift(1) & flag("is_stop").shift(2)
    sentence_start = (after_stop | after_quoted_stop) & flag("can_open")
    new_seq = (
        (pl.col("article_id").rle_id().diff() != 0)
        | (pl.col("line") != pl.col("line").shift(1))
        | sentence_start.fill_null(False)
    )
    return (
        tokens.lazy()
        .join(words.lazy().select("token", "word_id", *_TOKEN_FLAGS), on="token", how="left", maintain_order="left")
        .with_columns(seq=new_seq.fill_null(True).cum_sum().cast(pl.Int64))
        .with_columns(
            is_first=pl.col("seq") != pl.col("seq").shift(1).fill_null(-1),
            caps_line=(_line_total(pl.col("has_lower")) == 0) & (_line_total(pl.col("has_upper")) >= 1),
        )
        .with_columns(is_evidence=~pl.col("is_first") & ~pl.col("caps_line") & pl.col("is_word"))
    )


def casing_lexicon(tokens: pl.DataFrame, min_count: int = 2) -> pl.DataFrame:
    """How each word is usually written in running text: T(itle), L(ower) or M(ixed)."""
    return (
        sentences(tokens, word_features(tokens, None))
        .filter("is_evidence")
        .group_by("low")
        .agg(share=pl.col("starts_upper").mean(), n=pl.len())
        .filter(pl.col("n") >= min_count)
        .select(pl.col("low").alias("word"), _casing_class(pl.col("share")).alias("casing"))
        .sort("word")
        .collect(engine=ENGINE)
    )


def _gazetteer_tags(frame: pl.LazyFrame, lex: Lexicons) -> pl.LazyFrame:
    """``row``, ``gz``: B-KIND / I-KIND for tokens inside a capitalised gazetteer match.

    A match runs within one line, its first and last tokens capitalised. Where
    matches overlap the longest wins, then the one starting at the token.
    """
    ahead = range(1, MAX_NGRAM)
    starts = (
        frame.select("row", "seq", "low", "starts_upper")
        .with_columns(
            *[pl.col("low").shift(-k).alias(f"low{k}") for k in ahead],
            *[((pl.col("seq").shift(-k) == pl.col("seq")) & pl.col("starts_upper").shift(-k)).alias(f"up{k}") for k in ahead],
        )
        .filter(pl.col("starts_upper") & pl.col("low").is_in(lex.gazetteer_first_words.implode()))
    )
    grams = []
    for n in range(1, MAX_NGRAM + 1):
        key = pl.concat_str(["low", *[f"low{k}" for k in range(1, n)]], separator=" ")
        ends_capitalised = pl.col("starts_upper") if n == 1 else pl.col(f"up{n - 1}")
        grams.append(starts.filter(ends_capitalised).select("row", key=key, n=pl.lit(n, pl.Int8)))
    matches = pl.concat(grams).join(lex.gazetteer.lazy().select("key", "kind"), on="key")
    covered = (
        matches.with_columns(j=pl.int_ranges(0, pl.col("n").cast(pl.Int64)))
        .explode("j")
        .select(
            (pl.col("row") + pl.col("j")).alias("row"),
            "n",
            "j",
            gz=pl.concat_str([pl.when(pl.col("j") == 0).then(pl.lit("B-")).otherwise(pl.lit("I-")), "kind"]),
        )
    )
    return covered.sort("row", pl.col("n"), "j", descending=[False, True, False]).unique("row", keep="first").select(
        pl.col("row").cast(pl.Int64), "gz"
    )


_CASING_CLASSES = pl.Series(["T", "L", "M", None], dtype=pl.String)


def key_groups(key: np.ndarray) -> tuple[np.ndarray, int]:
    """(each row's group, 0 .. n_groups - 1, in the order of the keys; n_groups) of integer keys: a group-by
    by sorting, for ``np.bincount`` sums per key and a join back by indexing."""
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    new = np.empty(len(key), bool)
    new[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
    group = np.empty(len(key), np.int64)
    group[order] = np.cumsum(new) - 1
    return group, int(new.sum())


def _doc_casing(key: np.ndarray, evidence: np.ndarray, upper: np.ndarray) -> pl.Series:
    """Per row, ``_casing_class`` of the share of capitalised rows among the evidence rows of its
    ``key`` (null when the key has none)."""
    group, n_groups = key_groups(key)
    n_evidence = np.bincount(group, weights=evidence, minlength=n_groups)
    n_upper = np.bincount(group, weights=evidence & upper, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = n_upper / n_evidence  # as polars' mean of a boolean column: count / count in float64
    code = np.where(n_evidence == 0, 3, np.where(share >= 0.99, 0, np.where(share <= 0.01, 1, 2)))
    return _CASING_CLASSES.gather(code[group]).alias("dc")


def context_features(tokens: pl.DataFrame, lex: Lexicons) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(tokens with ``seq``, ``word_id``, flags, ``sh``, CONTEXT_TEMPLATES and ``doc_word``, one integer per
    (article, lower-cased word), for ``context.py``; the distinct-token table)."""
    words = word_features(tokens, lex.casing, lex.clusters, lex.person_names)
    frame = sentences(tokens, words).with_row_index("row").with_columns(pl.col("row").cast(pl.Int64)).collect(engine=ENGINE)
    word_id = frame["word_id"].to_numpy()
    # How the article writes the word where its case is evidence (null when it never is),
    # keyed by one integer per (article, lower-cased word).
    low_id = words.select(pl.col("low").rank("dense").cast(pl.Int64))["low"].to_numpy()
    key = frame.select(pl.col("article_id").rle_id().cast(pl.Int64))["article_id"].to_numpy() * (len(low_id) + 1)
    key += low_id[word_id]
    dc = _doc_casing(key, frame["is_evidence"].to_numpy(), frame["starts_upper"].to_numpy())
    # gazetteer tags of the few tokens inside a match, put in place by row number
    tags = _gazetteer_tags(frame.lazy(), lex).collect(engine=ENGINE)
    at = np.full(frame.height, tags.height, np.int64)
    at[tags["row"].to_numpy()] = np.arange(tags.height)
    gz = pl.concat([tags["gz"], pl.Series([None], dtype=pl.String)]).gather(at)
    frame = (
        frame.lazy()
        .with_columns(dc=dc, gz=gz, sh=words["sh"].gather(word_id), doc_word=key)
        .with_columns(
            **{
                "sh3": pl.concat_str(
                    [_near(pl.col("sh"), -1, "<s>"), pl.col("sh"), _near(pl.col("sh"), 1, "</s>")], separator="|"
                ),
                "dcs": pl.concat_str([pl.col("dc"), pl.col("sh")], separator="|"),
            }
        )
        .drop("row")
    )
    return frame.collect(engine=ENGINE), words


def token_features(tokens: pl.DataFrame, lex: Lexicons) -> pl.DataFrame:
    """The token frame (with ``seq``) plus one string column per name in TEMPLATES (for training)."""
    frame, words = context_features(tokens, lex)
    word_id = pl.col("word_id")
    columns = {t: pl.lit(words[t]).gather(word_id) for t in WORD_TEMPLATES}
    columns["bias"] = pl.lit("1")
    for t, (column, flag) in GATED.items():
        columns[t] = pl.when(flag).then(pl.lit(words[column]).gather(word_id))
    for column in NEIGHBOUR_ONLY:
        columns[column] = pl.lit(words[column]).gather(word_id)
    # the neighbours' templates read these
    frame = frame.with_columns(**{c: columns[c] for c, _, _ in NEIGHBOURS.values() if c in columns})
    for t, (column, k, edge) in NEIGHBOURS.items():
        columns[t] = _near(pl.col(column), k, edge)
    for t, parts in PAIRS.items():
        columns[t] = pl.concat_str([_near(pl.col(c), k, e) if k else pl.col(c) for c, k, e in parts], separator="|")
    return frame.with_columns(**{t: e for t, e in columns.items() if t in TEMPLATES and t not in CONTEXT_TEMPLATES}).select(
        *tokens.columns, "seq", *TEMPLATES
    )
