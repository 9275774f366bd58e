"""Document context: a second tagging pass that reads the first pass's labels elsewhere in the article.

Non-local features after Ratinov & Roth 2009 (two-stage prediction) and
Krishnan & Manning 2006. The first pass (``crf.py``) tags every token. For each
capitalised token the second pass then looks up the kind (PER, ORG, LOC, MISC
or O) the first pass gave most often to the same word written with a capital
elsewhere in the article, the title included: ``dl``; the same, where the
token's case says nothing (first word of a sentence, ALL-CAPS headline):
``dlf``; ``dl`` beside what the first pass said here: ``dlk``; and the
neighbours' ``dl``. "Jordan" opening a sentence reads as the person the rest
of the article names; "KOHL" in a headline as the person of the body.

The second pass adds one weight row per value of these templates to the first
pass's emission scores; the tagger decodes again with the first pass's transitions: a
few hundred weights, no second feature set. The weights are fitted
(``train.py``) with the first pass held fixed, on first-pass output produced by
cross-validation on eng.train (each document tagged by a model that never saw
it), not on gold labels, so they learn how far to trust those labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from transforms.entities.features import key_groups

STATE_FILE = "ner_context.parquet"
SECOND_TEMPLATES: tuple[str, ...] = ("dl", "dlk", "dlf", "dl-1", "dl+1")
KINDS: tuple[str, ...] = ("O", "PER", "ORG", "LOC", "MISC")


def kind_codes(labels: tuple[str, ...]) -> np.ndarray:
    """Index in KINDS of each BIO label ("B-PER" -> 1)."""
    return np.array([KINDS.index(label[2:] if label != "O" else "O") for label in labels], np.int64)


def document_labels(frame: pl.DataFrame, kinds: np.ndarray) -> dict[str, pl.Series]:
    """Each of ``SECOND_TEMPLATES`` per token of ``frame`` (``features.context_features``).

    ``kinds``: each token's first-pass kind (index in KINDS). For a capitalised
    token, ``dl`` is the kind most of the other capitalised occurrences of its
    lower-cased word in the article were given, with "~" when they disagree;
    null when there are none.
    """
    key = frame["doc_word"].to_numpy()
    upper = frame["starts_upper"].to_numpy()
    group, n_groups = key_groups(key)
    n_kinds = len(KINDS)
    votes = np.bincount(group * n_kinds + kinds, weights=upper, minlength=n_groups * n_kinds)
    others = votes.reshape(-1, n_kinds)[group]
    others[np.arange(len(key)), kinds] -= upper  # not the token's own vote
    total = others.sum(axis=1)
    best = others.argmax(axis=1)
    unanimous = others[np.arange(len(key)), best] == total
    # value codes: kind (0-4), kind + 5 when the others disagree, 10: no value
    code = np.where(unanimous, best, best + n_kinds)
    code[(total == 0) | ~upper] = 2 * n_kinds
    values = pl.Series([*KINDS, *(f"{k}~" for k in KINDS), None], dtype=pl.String)
    dl = values.gather(code)
    flag = frame["is_first"].to_numpy() | frame["caps_line"].to_numpy()
    seq = frame["seq"].to_numpy()
    none = 2 * n_kinds
    return {
        "dl": dl,
        "dlk": pl.Series([*(f"{a}|{b}" for a in KINDS for b in (*KINDS, *(f"{k}~" for k in KINDS))), None], dtype=pl.String).gather(
            np.where(code == none, len(KINDS) * none, kinds * none + code)),
        "dlf": values.gather(np.where(flag, code, none)),
        "dl-1": values.gather(_near(code, seq, -1, none)),
        "dl+1": values.gather(_near(code, seq, 1, none)),
    }


def _near(values: np.ndarray, seq: np.ndarray, k: int, edge: int) -> np.ndarray:
    out = np.full_like(values, edge)
    if k > 0:
        same = seq[k:] == seq[:-k]
        out[:-k][same] = values[k:][same]
    else:
        same = seq[:k] == seq[-k:]
        out[-k:][same] = values[:k][same]
    return out


@dataclass(frozen=True)
class SecondPass:
    """Weights added to the first pass's emission scores where a document-context template fires."""

    vocab: dict[str, pl.Series]  # template -> values (row i of its block)
    blocks: dict[str, np.ndarray]  # template -> (n_values + 1, labels) float32, last row zeros

    @classmethod
    def load(cls, model_dir: Path, labels: tuple[str, ...]) -> SecondPass | None:
        """The exported second pass in ``model_dir`` (columns: template, value, one per label), or None."""
        if not (model_dir / STATE_FILE).exists():
            return None
        state = pl.read_parquet(model_dir / STATE_FILE)
        vocab, blocks = {}, {}
        for t in SECOND_TEMPLATES:
            rows = state.filter(pl.col("template") == t)
            vocab[t] = rows["value"]
            blocks[t] = np.vstack([rows.select(labels).to_numpy().astype(np.float32), np.zeros((1, len(labels)), np.float32)])
        return cls(vocab, blocks)

    def rows(self, features: dict[str, pl.Series]) -> dict[str, np.ndarray]:
        """Block row of each token's value of each template (the zero row when null or unseen)."""
        return {
            t: values.cast(pl.Enum(self.vocab[t]), strict=False).to_physical().cast(pl.Int64)
            .fill_null(self.vocab[t].len()).to_numpy()
            for t, values in features.items()
        }  # fmt: skip

    def emissions(self, frame: pl.DataFrame, scores: np.ndarray, labels: tuple[str, ...], best: np.ndarray) -> np.ndarray:
        """The first pass's ``scores`` plus the weights of the templates that fire (from its labels ``best``)."""
        out = scores.copy()
        for t, rows in self.rows(document_labels(frame, kind_codes(labels)[best])).items():
            hit = np.flatnonzero(rows != len(self.blocks[t]) - 1)  # most tokens have no value
            out[hit] += self.blocks[t][rows[hit]]
        return out
