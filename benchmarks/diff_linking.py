"""Within-article linking against another commit's: the same output on real and perturbed input, and the time.

    python -m benchmarks.diff_linking [--ref main] [--rounds 2] [--repeat 0]

Loads ``transforms/entities/linking.py`` as it is at ``--ref`` (``git show``)
beside the working tree's, tags eng.testa and the 2,225 BBC articles once, and
gives both ``link_article`` the same input: the tagger's spans, then, in every
round after the first, perturbed ones (labels changed, spans dropped, random
token spans added) and the text with a snippet that trips a rule inserted
("Mr ", " (ABC)", ", also known as ...", an ALL-CAPS line, a credit line).
Prints how many article variants were compared and the first differences, and
exits 1 if any differ. ``--repeat N`` also times both on the tagger's spans,
alternating, best of N CPU seconds. For speed work on linking, whose output
depends on order (first-come aliases, longest names first).
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import re
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import polars as pl

from transforms.entities import linking
from transforms.entities.conll import as_articles, read_conll
from transforms.entities.crf import default_weights
from transforms.entities.tagger import predict_labels, spans_from_tags
from transforms.tokens import tokenize

try:  # as `python -m benchmarks.X` or as `python benchmarks/X.py`
    from benchmarks.bench_entities import news_articles
except ImportError:
    from bench_entities import news_articles

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
LABELS = ("PERSON", "ORG", "LOCATION", "MISC")
SNIPPETS = ("Mr ", "Prime Minister ", "The ", " (ABC)", ', also known as "Big Tom"', " Inc", " SpA", " manager", " shares",
            "Chelsea ", "the film ", '"El Gato" ', "PCs ", "USD 15 ", "\nAFTER LONDON VIOLENCE\n", " MPs", " Christmas ",
            "(With inputs from Reuters)\n")  # fmt: skip
Span = tuple[str, int, int]


def linking_at(ref: str) -> ModuleType:
    """``linking.py`` as it is at ``ref``, reading the working tree's lexicons."""
    source = subprocess.run(
        ["git", "show", f"{ref}:transforms/entities/linking.py"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    spec = importlib.util.spec_from_loader(f"linking_at_{ref}", loader=None)
    module = importlib.util.module_from_spec(spec)
    module.__file__ = linking.__file__  # its lexicons are found beside it
    sys.modules[spec.name] = module  # dataclasses look their module up
    exec(compile(source, f"{ref}:transforms/entities/linking.py", "exec"), module.__dict__)
    return module


def link(module: ModuleType, body: str, spans: list[Span], places: set[str], common: frozenset[str]) -> list[tuple]:
    mentions = [module.Mention(label, start, end, body[start:end]) for label, start, end in spans]
    return [(m.label, m.start, m.end, m.text, m.canonical, m.source) for m in module.link_article(body, mentions, places, common)]


def variants(body: str, spans: list[Span], tokens: list[tuple[int, int]], pick: random.Random) -> list[tuple[str, list[Span]]]:
    """The article with perturbed spans, and with a snippet inserted into its text."""
    changed = [(pick.choice(LABELS) if pick.random() < 0.2 else label, s, e) for label, s, e in spans if pick.random() > 0.1]
    for _ in range(pick.randint(0, 8) if tokens else 0):
        i = pick.randrange(len(tokens))
        changed.append((pick.choice(LABELS), tokens[i][0], tokens[min(len(tokens) - 1, i + pick.randint(0, 3))][1]))
    at, snippet = pick.randrange(len(body) + 1), pick.choice(SNIPPETS)
    moved = [(label, s + len(snippet) * (s >= at), e + len(snippet) * (e > at)) for label, s, e in spans if not s < at < e]
    moved += [(pick.choice(LABELS), at + m.start(), at + m.end()) for m in re.finditer(r"[A-Z][\w\"]*(?: [A-Z]\w*)*", snippet)]
    return [(body, changed), (body[:at] + snippet + body[at:], moved)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ref", default="main", help="commit to compare with")
    parser.add_argument("--rounds", type=int, default=2, help="1: the tagger's spans only; more: perturbed rounds")
    parser.add_argument("--repeat", type=int, default=0, help="also time both, best of N")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if not (SHARED / "conll2003" / "eng.testa").exists():
        parser.error(f"needs CoNLL-2003 and the BBC corpus under {SHARED} (../shared/data beside the repository)")
    other = linking_at(args.ref)
    weights = default_weights()
    places, common = weights.place_names, weights.common_words
    articles = pl.concat([
        as_articles(read_conll(SHARED / "conll2003" / "eng.testa")).select("article_id", "body"),
        news_articles(str(SHARED / "news" / "bbc" / "*" / "*.txt"), 10**6),
    ])  # fmt: skip
    tokens = tokenize(articles)
    spans_of: dict[str, list[Span]] = {}
    for article_id, label, start, end in spans_from_tags(predict_labels(tokens, weights)).iter_rows():
        spans_of.setdefault(article_id, []).append((label, start, end))
    tokens_of: dict[str, list[tuple[int, int]]] = {}
    for article_id, start, end in tokens.select("article_id", "start_char", "end_char").iter_rows():
        tokens_of.setdefault(article_id, []).append((start, end))
    pick = random.Random(args.seed)
    compared = differ = 0
    for round_ in range(args.rounds):
        for article_id, body in articles.iter_rows():
            spans = spans_of.get(article_id, [])
            cases = [(body, spans)] if round_ == 0 else variants(body, spans, tokens_of.get(article_id, []), pick)
            for text, case in cases:
                case = [span for span in case if span[1] < span[2]]
                theirs, ours = link(other, text, case, places, common), link(linking, text, case, places, common)
                compared += 1
                if theirs != ours:
                    differ += 1
                    if differ <= 5:
                        print(f"{article_id}: only at {args.ref}: {[m for m in theirs if m not in ours][:5]}; "
                              f"only here: {[m for m in ours if m not in theirs][:5]}")  # fmt: skip
    print(f"{compared} article variants compared with {args.ref}: {differ} differ")
    if args.repeat:
        docs = [(body, spans_of.get(article_id, [])) for article_id, body in articles.iter_rows()]
        best = {args.ref: float("inf"), "working tree": float("inf")}
        for _ in range(args.repeat):
            for name, module in ((args.ref, other), ("working tree", linking)):
                began = time.process_time()
                for body, spans in docs:
                    link(module, body, spans, places, common)
                best[name] = min(best[name], time.process_time() - began)
        print("linking CPU, best of", args.repeat, ", ".join(f"{name} {seconds:.3f}s" for name, seconds in best.items()))
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
