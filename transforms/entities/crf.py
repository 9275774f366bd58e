"""Linear-chain CRF tagging without per-token Python: weights as arrays, Viterbi in numpy.

The weights are trained with python-crfsuite (``train.py``) and exported to
Parquet: one row per (template, value) with one weight per label, plus the
label-to-label transition matrix. Tagging joins each template column against
its vocabulary and adds the weight rows; Viterbi then runs over all lines of a
batch at once, one numpy step per token position.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
import polars as pl

from transforms.entities.features import TEMPLATES, Lexicons

MODEL_DIR = Path(__file__).resolve().parents[1] / "models"


@dataclass(frozen=True)
class CrfWeights:
    labels: tuple[str, ...]  # "O", "B-PER", "I-PER", ...
    transitions: np.ndarray  # (L, L) float32, from-label x to-label
    vocab: dict[str, pl.Series]  # template -> feature values (row i of its weight block)
    blocks: dict[str, np.ndarray]  # template -> (n_values + 1, L) float32, last row zeros
    lexicons: Lexicons

    @classmethod
    def load(cls, model_dir: Path = MODEL_DIR) -> CrfWeights:
        state = pl.read_parquet(model_dir / "ner_state.parquet")
        trans = pl.read_parquet(model_dir / "ner_transitions.parquet")
        labels = tuple(trans["label"].to_list())
        vocab: dict[str, pl.Series] = {}
        blocks: dict[str, np.ndarray] = {}
        for template in TEMPLATES:
            rows = state.filter(pl.col("template") == template)
            vocab[template] = rows["value"]
            weights = rows.select(labels).to_numpy().astype(np.float32)
            blocks[template] = np.vstack([weights, np.zeros((1, len(labels)), np.float32)])
        lexicons = Lexicons(
            gazetteer=pl.read_parquet(model_dir / "gazetteer.parquet"),
            casing=pl.read_parquet(model_dir / "casing.parquet"),
        )
        return cls(labels, trans.select(labels).to_numpy().astype(np.float32), vocab, blocks, lexicons)

    @cached_property
    def place_names(self) -> set[str]:
        """Lower-cased gazetteer names, for telling a place from a misspelling."""
        return set(self.lexicons.gazetteer["key"].to_list())

    def emissions(self, features: pl.DataFrame) -> np.ndarray:
        """(tokens, labels) sum of state-feature weights."""
        index = features.select(
            pl.col(t)
            .replace_strict(
                self.vocab[t],
                pl.Series(np.arange(self.vocab[t].len())),
                default=self.vocab[t].len(),
                return_dtype=pl.Int64,
            )
            .alias(t)
            for t in TEMPLATES
        )
        scores = np.zeros((features.height, len(self.labels)), np.float32)
        for t in TEMPLATES:
            scores += self.blocks[t][index[t].to_numpy()]
        return scores


@lru_cache(maxsize=1)
def default_weights() -> CrfWeights:
    return CrfWeights.load()


def viterbi(scores: np.ndarray, seq: np.ndarray, transitions: np.ndarray) -> np.ndarray:
    """Best label index per token; ``seq`` numbers the sequences, tokens of one sequence adjacent."""
    n, n_labels = scores.shape
    if n == 0:
        return np.zeros(0, np.int64)
    starts = np.flatnonzero(np.r_[True, seq[1:] != seq[:-1]])
    lengths = np.diff(np.r_[starts, n])
    order = np.argsort(-lengths, kind="stable")
    starts, lengths = starts[order], lengths[order]
    # active[t]: how many sequences (a prefix of the length-sorted order) reach position t
    active = np.searchsorted(-lengths, -np.arange(lengths[0]), side="left")
    score = scores[starts].copy()
    final = np.empty_like(score)
    back: list[np.ndarray] = []
    for t in range(1, lengths[0]):
        k = active[t]
        ending = slice(k, active[t - 1])
        final[ending] = score[ending]
        cand = score[:k, :, None] + transitions[None, :, :]
        best = cand.argmax(axis=1)
        back.append(best)
        score = np.take_along_axis(cand, best[:, None, :], axis=1)[:, 0, :] + scores[starts[:k] + t]
    final[: active[lengths[0] - 1]] = score
    labels = np.empty(n, np.int64)
    current = final.argmax(axis=1)
    for t in range(lengths[0] - 1, -1, -1):
        k = active[t]
        labels[starts[:k] + t] = current[:k]
        if t > 0:
            current[:k] = back[t - 1][np.arange(k), current[:k]]
    return labels
