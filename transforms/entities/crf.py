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

from transforms.entities.clusters import CLUSTERS_PATH, load_clusters
from transforms.entities.context import SecondPass
from transforms.entities.gazetteer import PERSON_NAMES_EMPTY, PERSON_NAMES_FILE
from transforms.entities.features import (
    CONTEXT_TEMPLATES, GATED, NEIGHBOURS, PAIRS, TEMPLATES, WORD_TEMPLATES, Lexicons,
)  # fmt: skip

MODEL_DIR = Path(__file__).resolve().parents[1] / "models"


def _load_crf(
    model_dir: Path, prefix: str, templates: tuple[str, ...]
) -> tuple[tuple[str, ...], np.ndarray, dict[str, pl.Series], dict[str, np.ndarray]]:
    """(labels, transitions, vocabulary and weight block per template) of an exported CRF."""
    state = pl.read_parquet(model_dir / f"{prefix}_state.parquet")
    trans = pl.read_parquet(model_dir / f"{prefix}_transitions.parquet")
    labels = tuple(trans["label"].to_list())
    vocab: dict[str, pl.Series] = {}
    blocks: dict[str, np.ndarray] = {}
    for template in templates:
        rows = state.filter(pl.col("template") == template)
        vocab[template] = rows["value"]
        weights = rows.select(labels).to_numpy().astype(np.float32)
        blocks[template] = np.vstack([weights, np.zeros((1, len(labels)), np.float32)])
    return labels, trans.select(labels).to_numpy().astype(np.float32), vocab, blocks


@dataclass(frozen=True)
class CrfWeights:
    labels: tuple[str, ...]  # "O", "B-PER", "I-PER", ...
    transitions: np.ndarray  # (L, L) float32, from-label x to-label
    vocab: dict[str, pl.Series]  # template -> feature values (row i of its weight block)
    blocks: dict[str, np.ndarray]  # template -> (n_values + 1, L) float32, last row zeros
    lexicons: Lexicons
    second: SecondPass | None = None  # document context (``context.py``), when the model has one

    @classmethod
    def load(cls, model_dir: Path = MODEL_DIR) -> CrfWeights:
        labels, transitions, vocab, blocks = _load_crf(model_dir, "ner", TEMPLATES)
        lexicons = Lexicons(
            gazetteer=pl.read_parquet(model_dir / "gazetteer.parquet"),
            casing=pl.read_parquet(model_dir / "casing.parquet"),
            clusters=load_clusters(model_dir / CLUSTERS_PATH.name),
            person_names=pl.read_parquet(model_dir / PERSON_NAMES_FILE) if (model_dir / PERSON_NAMES_FILE).exists() else PERSON_NAMES_EMPTY,
        )
        return cls(labels, transitions, vocab, blocks, lexicons, SecondPass.load(model_dir, labels))

    @cached_property
    def place_names(self) -> set[str]:
        """Lower-cased gazetteer names, for telling a place from a misspelling."""
        return set(self.lexicons.gazetteer["key"].to_list())

    @cached_property
    def common_words(self) -> frozenset[str]:
        """Lower-cased words the training text writes in lower case, at least sometimes (casing L or M)."""
        casing = self.lexicons.casing
        return frozenset(casing.filter(pl.col("casing") != "T")["word"].to_list())

    @cached_property
    def _enums(self) -> dict[str, pl.Enum]:
        # a value's physical code in the Enum of a template's vocabulary is its weight-block row
        return {t: pl.Enum(values) for t, values in self.vocab.items()}

    def _rows(self, template: str, values: pl.Series) -> np.ndarray:
        """Weight-block row of each value of ``template`` (the zero row when unseen or null)."""
        unseen = self.vocab[template].len()
        if 2 * values.null_count() > len(values):  # mostly null (gz): look up the others only
            at = np.flatnonzero(values.is_not_null().to_numpy())
            rows = np.full(len(values), unseen, np.int64)
            rows[at] = self._rows(template, values.gather(at))
            return rows
        codes = values.cast(self._enums[template], strict=False).to_physical()
        return codes.fill_null(unseen).cast(pl.Int64).to_numpy()

    def _rows_of(self, frame: pl.DataFrame, columns: dict[str, str]) -> dict[str, np.ndarray]:
        """Weight-block rows of many templates at once (template -> the ``frame`` column it reads): one
        polars query for all, rather than a few Series calls per template."""
        key = tuple(columns.items())
        if key not in self._row_exprs:
            # built once per set of columns: building one costs about as much as running it, as each
            # carries its template's whole vocabulary as an Enum
            self._row_exprs[key] = [
                pl.col(column).cast(self._enums[t], strict=False).to_physical().cast(pl.Int64).fill_null(self.vocab[t].len()).alias(t)
                for t, column in key
            ]
        rows = frame.select(self._row_exprs[key])
        return {t: rows[t].to_numpy() for t in columns}

    @cached_property
    def _row_exprs(self) -> dict[tuple[tuple[str, str], ...], list[pl.Expr]]:
        return {}

    @cached_property
    def _pair_codes(self) -> dict[str, tuple[pl.Enum, pl.Enum, np.ndarray, np.ndarray]]:
        """For each PAIRS template: the strings that stand left and right of the "|" in its values (as
        Enums), and its values as sorted integer codes ``left * n_rights + right`` with their weight rows."""
        tables = {}
        for t in PAIRS:
            splits = []
            for row, value in enumerate(self.vocab[t].to_list()):
                pieces = value.split("|")  # a word may itself be "|": try every cut
                splits += [("|".join(pieces[:cut]), "|".join(pieces[cut:]), row) for cut in range(1, len(pieces))]
            lefts = sorted({left for left, _, _ in splits})
            rights = sorted({right for _, right, _ in splits})
            left_at = {v: i for i, v in enumerate(lefts)}
            right_at = {v: i for i, v in enumerate(rights)}
            codes = np.array([left_at[a] * len(rights) + right_at[b] for a, b, _ in splits], np.int64)
            rows = np.array([row for _, _, row in splits], np.int64)
            order = np.argsort(codes, kind="stable")
            tables[t] = (pl.Enum(lefts), pl.Enum(rights), codes[order], rows[order])
        return tables

    def _pair_rows(self, frame: pl.DataFrame, words: pl.DataFrame, neighbour: dict[int, np.ndarray] | None = None) -> dict[str, np.ndarray]:
        """Rows of the PAIRS templates ("b-1": the previous word and this one), looked up by integer code:
        each distinct word's index among the strings that may stand on each side, never a string per token.
        ``neighbour``: offset -> ``_shifted(word_id, seq, offset, words.height)``, filled as needed."""
        sides = words.select(self._side_exprs)
        word_id, seq = frame["word_id"].to_numpy(), frame["seq"].to_numpy()
        neighbour = {} if neighbour is None else neighbour
        out = {}
        for t, parts in PAIRS.items():
            index = []
            for side, (_, k, edge) in enumerate(parts):
                # per distinct word, then one value for the line's edge: its index on that side, -1 if none
                per_word = np.append(sides[f"{t}{side}"].to_numpy(), self._pair_edges[t][side])
                if k and k not in neighbour:
                    neighbour[k] = _shifted(word_id, seq, k, words.height)
                index.append(per_word[neighbour[k] if k else word_id])
            rows = np.full(len(word_id), self.vocab[t].len(), np.int64)
            # only tokens with a string on both sides can hold a pair of the vocabulary
            both = np.flatnonzero((index[0] >= 0) & (index[1] >= 0))
            rows[both] = self._pair_tables[t][index[0][both] * len(self._pair_codes[t][1].categories) + index[1][both]]
            out[t] = rows
        return out

    @cached_property
    def _pair_tables(self) -> dict[str, np.ndarray]:
        """For each PAIRS template, the weight row of every code ``left * n_rights + right`` (the zero row
        when no value has that pair): one array read per token, where a binary search over the sorted codes
        costs a mispredicted branch per step. At most a few million small integers per template."""
        tables = {}
        for t, (lefts, rights, codes, code_rows) in self._pair_codes.items():
            unseen = self.vocab[t].len()
            table = np.full(len(lefts.categories) * len(rights.categories), unseen, np.min_scalar_type(unseen))
            table[codes[::-1]] = code_rows[::-1]  # should a code repeat, its first row wins, as a search finds it
            tables[t] = table
        return tables

    @cached_property
    def _side_exprs(self) -> list[pl.Expr]:
        """Each PAIRS template's index of each distinct word on either side (-1: none), as expressions built once."""
        return [
            pl.col(PAIRS[t][side][0]).cast(self._pair_codes[t][side], strict=False).to_physical().cast(pl.Int64)
            .fill_null(-1).alias(f"{t}{side}")
            for t in PAIRS for side in (0, 1)
        ]  # fmt: skip

    @cached_property
    def _pair_edges(self) -> dict[str, tuple[int, int]]:
        """Index of each PAIRS template's edge value ("<s>") on each side, -1 if none."""
        def index(enum: pl.Enum, edge: str | None) -> int:
            code = pl.Series([edge], dtype=pl.String).cast(enum, strict=False).to_physical()[0]
            return -1 if code is None else int(code)

        return {t: (index(codes[0], parts[0][2]), index(codes[1], parts[1][2]))
                for t, parts in PAIRS.items() for codes in [self._pair_codes[t]]}

    @cached_property
    def _edge_rows(self) -> dict[str, int]:
        """Row of the bias, and of each NEIGHBOURS template's value past the line's ends."""
        edges = {t: self._rows(t, pl.Series([edge], dtype=pl.String))[0] for t, (_, _, edge) in NEIGHBOURS.items()}
        return {**edges, "bias": self._rows("bias", pl.Series(["1"]))[0]}

    def emissions(self, frame: pl.DataFrame, words: pl.DataFrame) -> np.ndarray:
        """(tokens, labels) sum of state-feature weights, from ``features.context_features``.

        Templates of the token alone are summed once per distinct token, and so
        are a neighbour's templates, per offset: "w-1" and "sh-1" both read the
        previous token, so their rows are added up once and shifted along the
        line once.
        """
        word_id = frame["word_id"].to_numpy()
        seq = frame["seq"].to_numpy()
        in_words = {t: c for t, (c, _, _) in NEIGHBOURS.items() if c in words.columns}
        in_frame = {t: c for t, (c, _, _) in NEIGHBOURS.items() if c not in words.columns}
        word_rows = self._rows_of(
            words, {**{t: t for t in WORD_TEMPLATES}, **in_words, **{t: c for t, (c, _) in GATED.items()}}
        )
        frame_rows = self._rows_of(frame, {**in_frame, **{t: t for t in CONTEXT_TEMPLATES}})
        per_word = self.blocks["bias"][self._edge_rows["bias"]] + sum(
            self.blocks[t][word_rows[t]] for t in WORD_TEMPLATES
        )
        # (weight rows, row of each token, whether the rows may be sparse), summed in this order
        terms: list[tuple[np.ndarray, np.ndarray, bool]] = [(per_word, word_id, False)]
        by_offset: dict[int, list[str]] = {}
        neighbour: dict[int, np.ndarray] = {}  # offset -> each token's neighbour's word_id (or the edge row)
        for t, (column, k, _) in NEIGHBOURS.items():
            if t in in_words:
                by_offset.setdefault(k, []).append(t)
            else:  # a column of the token in context (gz)
                terms.append((self.blocks[t], _shifted(frame_rows[t], seq, k, self.vocab[t].len()), True))
        for k, templates in by_offset.items():
            # one row per distinct token, then one for "past the end of the line"
            shifted = np.zeros((words.height + 1, len(self.labels)), np.float32)
            for t in templates:
                shifted[:-1] += self.blocks[t][word_rows[t]]
                shifted[-1] += self.blocks[t][self._edge_rows[t]]
            neighbour[k] = _shifted(word_id, seq, k, words.height)
            terms.append((shifted, neighbour[k], False))
        for t, (column, flag) in GATED.items():
            rows = word_rows[t][word_id]
            rows[~frame[flag].to_numpy()] = self.vocab[t].len()
            terms.append((self.blocks[t], rows, True))
        for t in CONTEXT_TEMPLATES:
            terms.append((self.blocks[t], frame_rows[t], True))
        for t, rows in self._pair_rows(frame, words, neighbour).items():
            terms.append((self.blocks[t], rows, True))
        return _sum_rows(terms, len(word_id), len(self.labels))


# Tokens per step of ``_add_dense``: a step's scores stay in the CPU cache while all its terms are added.
CHUNK = 4096


def _sum_rows(terms: list[tuple[np.ndarray, np.ndarray, bool]], n: int, n_labels: int) -> np.ndarray:
    """sum(block[rows] for block, rows, _ in terms): each token's terms added in order, in float32.

    A term whose rows may be sparse (the block's last row is the zero row of
    "not seen") and mostly are adds only its other rows; runs of the other
    terms are added chunk by chunk (``_add_dense``).
    """
    scores = np.empty((n, n_labels), np.float32)
    dense: list[tuple[np.ndarray, np.ndarray]] = []
    unset = True
    for block, rows, sparse in terms:
        if sparse:
            hit = np.flatnonzero(rows != len(block) - 1)
            if 4 * len(hit) < len(rows):
                unset = _add_dense(scores, dense, unset)
                dense = []
                scores[hit] += block[rows[hit]]
                continue
        dense.append((block, rows))
    _add_dense(scores, dense, unset)
    return scores


def _add_dense(scores: np.ndarray, terms: list[tuple[np.ndarray, np.ndarray]], unset: bool) -> bool:
    """scores += each term's rows in turn (``unset``: the first term sets them), a chunk of tokens
    at a time rather than one pass over all tokens per term. Returns whether ``scores`` is still unset."""
    if not terms:
        return unset
    n = len(scores)
    buffer = np.empty((min(CHUNK, n), scores.shape[1]), np.float32)
    for start in range(0, n, CHUNK):
        end = min(start + CHUNK, n)
        out, tmp = scores[start:end], buffer[: end - start]
        for i, (block, rows) in enumerate(terms):
            if i == 0 and unset:
                np.take(block, rows[start:end], axis=0, out=out)
            else:
                np.take(block, rows[start:end], axis=0, out=tmp)
                out += tmp
    return False


def _shifted(values: np.ndarray, seq: np.ndarray, k: int, edge: int) -> np.ndarray:
    """``values`` of the token ``k`` later (negative: earlier) on the same line, else ``edge``."""
    out = np.full_like(values, edge)
    n, step = len(values), abs(k)
    if step >= n:
        return out
    if k > 0:
        same = seq[k:] == seq[:-k]
        out[:-k][same] = values[k:][same]
    else:
        same = seq[:-step] == seq[step:]
        out[step:][same] = values[:-step][same]
    return out


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
    # buffers for the step's candidate scores and comparisons, sized for the most sequences
    cand_buffer = np.empty_like(score)
    better_buffer = np.empty(score.shape, bool)
    for t in range(1, lengths[0]):
        k = active[t]
        ending = slice(k, active[t - 1])
        final[ending] = score[ending]
        # best previous label for each label: a running max over the few labels beats
        # argmax over a strided (sequences, from, to) cube
        previous = score[:k]
        best = previous[:, :1] + transitions[0]
        arg = np.zeros((k, n_labels), np.int16)
        cand, better = cand_buffer[:k], better_buffer[:k]
        for label in range(1, n_labels):
            np.add(previous[:, label : label + 1], transitions[label], out=cand)
            np.greater(cand, best, out=better)  # strict: ties keep the lower label, as argmax does
            np.maximum(best, cand, out=best)
            np.copyto(arg, label, where=better)
        back.append(arg)
        score = np.add(best, scores[starts[:k] + t], out=best)
    final[: active[lengths[0] - 1]] = score
    labels = np.empty(n, np.int64)
    current = final.argmax(axis=1)
    for t in range(lengths[0] - 1, -1, -1):
        k = active[t]
        labels[starts[:k] + t] = current[:k]
        if t > 0:
            current[:k] = back[t - 1][np.arange(k), current[:k]]
    return labels
