"""CoNLL-2003 files as articles with gold character spans.

Used to train the tagger and to evaluate the pipeline. Each ``-DOCSTART-``
document becomes one article: tokens joined by single spaces, sentences by
newlines, so every gold token maps to an exact character span of the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

CONLL_TO_LABEL = {"PER": "PERSON", "ORG": "ORG", "LOC": "LOCATION", "MISC": "MISC"}


@dataclass
class ConllDocument:
    doc_id: str
    tokens: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)  # IOB1 as in the file
    starts: list[int] = field(default_factory=list)  # char offset of each token in text
    sentence_ids: list[int] = field(default_factory=list)
    text: str = ""


def read_conll(path: Path) -> list[ConllDocument]:
    """Parse a CoNLL-2003 file (``WORD POS CHUNK NER`` per line) into documents."""
    docs: list[ConllDocument] = []
    sentences: list[list[tuple[str, str]]] = []
    sentence: list[tuple[str, str]] = []

    def close_document() -> None:
        if sentence:
            sentences.append(list(sentence))
            sentence.clear()
        if not sentences:
            return
        doc = ConllDocument(doc_id=f"{Path(path).name}-{len(docs):04d}")
        lines: list[str] = []
        offset = 0
        for sentence_id, sent in enumerate(sentences):
            words = []
            for word, tag in sent:
                doc.tokens.append(word)
                doc.tags.append(tag)
                doc.sentence_ids.append(sentence_id)
                doc.starts.append(offset + sum(len(w) + 1 for w in words))
                words.append(word)
            line = " ".join(words)
            lines.append(line)
            offset += len(line) + 1
        doc.text = "\n".join(lines)
        docs.append(doc)
        sentences.clear()

    with open(path, encoding="utf-8") as handle:
        for raw in handle:
            parts = raw.split()
            if not parts:
                if sentence:
                    sentences.append(list(sentence))
                    sentence.clear()
            elif parts[0] == "-DOCSTART-":
                close_document()
            else:
                sentence.append((parts[0], parts[-1]))
    close_document()
    return docs


def iob1_spans(tags: list[str], sentence_ids: list[int] | None = None) -> list[tuple[int, int, str]]:
    """Entity spans ``(first_token, last_token_exclusive, TYPE)`` from IOB1 (or IOB2) tags.

    An entity never continues across a sentence boundary.
    """
    spans: list[tuple[int, int, str]] = []
    current: list | None = None
    for i, tag in enumerate(tags):
        if sentence_ids is not None and i > 0 and sentence_ids[i] != sentence_ids[i - 1]:
            current = None
        if tag == "O":
            current = None
            continue
        prefix, kind = tag.split("-", 1)
        if current is not None and current[2] == kind and prefix == "I":
            current[1] = i + 1
        else:
            current = [i, i + 1, kind]
            spans.append(current)
    return [tuple(s) for s in spans]


def gold_mentions(docs: list[ConllDocument]) -> pl.DataFrame:
    """Gold entity spans as ``article_id, label, start_char, end_char`` (MISC included)."""
    rows = []
    for doc in docs:
        for first, last, kind in iob1_spans(doc.tags, doc.sentence_ids):
            start = doc.starts[first]
            end = doc.starts[last - 1] + len(doc.tokens[last - 1])
            rows.append((doc.doc_id, CONLL_TO_LABEL[kind], start, end))
    return pl.DataFrame(
        rows,
        schema={"article_id": pl.String, "label": pl.String, "start_char": pl.Int64, "end_char": pl.Int64},
        orient="row",
    )


def as_articles(docs: list[ConllDocument]) -> pl.DataFrame:
    return pl.DataFrame({"article_id": [d.doc_id for d in docs], "body": [d.text for d in docs]})
