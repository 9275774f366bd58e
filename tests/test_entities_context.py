"""The document-context second pass (transforms/entities/context.py) and its training (train.py)."""

from __future__ import annotations

import itertools

import numpy as np
import polars as pl

from transforms.entities.context import KINDS, SecondPass, document_labels
from transforms.entities.crf import default_weights
from transforms.entities.features import context_features
from transforms.entities.train import _log_marginals
from transforms.tokens import tokenize

BODY = "JORDAN WINS\nJordan won . Jordan said that Jordan was happy ."


def _frame() -> pl.DataFrame:
    tokens = tokenize(pl.DataFrame({"article_id": ["a"], "body": [BODY]}))
    frame, _ = context_features(tokens, default_weights().lexicons)
    return frame


def test_a_capitalised_word_reads_the_kind_its_other_capitalised_occurrences_were_given():
    frame = _frame()
    assert frame["token"].to_list() == ["JORDAN", "WINS", "Jordan", "won", ".", "Jordan", "said", "that", "Jordan", "was", "happy", "."]
    per, loc, o = KINDS.index("PER"), KINDS.index("LOC"), KINDS.index("O")
    # the first pass read the headline's JORDAN as a place and the body's three as a person
    kinds = np.array([loc, o, per, o, o, per, o, o, per, o, o, o])
    found = document_labels(frame, kinds)
    # the headline takes the body's reading; each body Jordan sees the other three (one place, two persons);
    # WINS is written once
    assert found["dl"].to_list() == ["PER", None, "PER~", None, None, "PER~", None, None, "PER~", None, None, None]
    # dlf: only where the case says nothing (ALL-CAPS headline, first word of a sentence)
    assert found["dlf"].to_list() == ["PER", None, "PER~", None, None, "PER~", None, None, None, None, None, None]
    assert found["dlk"].to_list()[:3] == ["LOC|PER", None, "PER|PER~"]
    assert found["dl+1"].to_list()[:3] == [None, None, None]
    assert found["dl-1"].to_list()[:3] == [None, "PER", None]


def test_second_pass_adds_its_weights_only_where_a_template_fires():
    frame = _frame()
    labels = ("O", "B-PER", "I-PER")
    vocab = {t: pl.Series([], dtype=pl.String) for t in ("dl", "dlk", "dlf", "dl-1", "dl+1")}
    vocab["dl"] = pl.Series(["PER"])
    blocks = {t: np.zeros((len(v) + 1, 3), np.float32) for t, v in vocab.items()}
    blocks["dl"][0] = [0.0, 2.0, 0.0]
    second = SecondPass(vocab, blocks)
    kinds_of = np.zeros(frame.height, np.int64)  # every token O, but the body's Jordans B-PER
    kinds_of[[2, 5, 8]] = 1
    scores = np.zeros((frame.height, 3), np.float32)
    out = second.emissions(frame, scores, labels, kinds_of)
    # the headline's JORDAN: all other capitalised Jordans are persons (dl=PER)
    assert out[:, 1].tolist() == [2.0] + [0.0] * (frame.height - 1)


def test_log_marginals_equal_the_sums_over_every_path():
    rng = np.random.default_rng(1)
    transitions = rng.normal(size=(3, 3))
    seq = np.array([0, 0, 0, 1, 2, 2, 2, 2, 3, 3])
    scores = rng.normal(size=(len(seq), 3))
    log_z, marginals = _log_marginals(scores, seq, transitions)
    total = 0.0
    for line in np.unique(seq):
        at = np.flatnonzero(seq == line)
        z, expected = 0.0, np.zeros((len(at), 3))
        for path in itertools.product(range(3), repeat=len(at)):
            weight = np.exp(scores[at, path].sum() + sum(transitions[a, b] for a, b in zip(path, path[1:])))
            z += weight
            expected[np.arange(len(at)), path] += weight
        total += np.log(z)
        assert np.allclose(marginals[at], expected / z)
    assert np.isclose(log_z, total)
