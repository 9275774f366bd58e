"""Precision of published KILL/WOUND/ARREST figures on a hand-checked sample of BBC + Reuters (evaluation/figures_handcheck.csv)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from evaluation.casualties import (
    HANDCHECK,
    HANDCHECK_HELDOUT,
    HANDCHECK_HELDOUT2,
    HANDCHECK_HELDOUT3,
    HANDCHECK_HELDOUT4,
    HANDCHECK_HELDOUT6,
    HANDCHECK_HELDOUT7,
    OTHER_NEWS,
    conll_articles,
    detokenise,
    handcheck,
    handcheck_report,
)

NEWS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "news"
CONLL = NEWS.parent / "conll2003"


def test_the_sample_holds_ids_offsets_and_labels_only():
    sample = pl.read_csv(HANDCHECK, schema_overrides={"source_id": pl.String, "error_class": pl.String})
    assert sample.columns == ["corpus", "source_id", "start_char", "end_char", "category", "value", "scope", "plausible", "label", "error_class"]
    assert sample.height == 200
    assert set(sample["label"]) == {"right", "wrong"}
    assert sample.filter(pl.col("label") == "wrong", pl.col("error_class").is_null()).is_empty()


def test_the_held_out_sample_holds_ids_offsets_and_labels_only_of_articles_outside_the_first():
    held_out = pl.read_csv(HANDCHECK_HELDOUT, schema_overrides={"source_id": pl.String, "error_class": pl.String})
    first = pl.read_csv(HANDCHECK, schema_overrides={"source_id": pl.String, "error_class": pl.String})
    assert held_out.columns == first.columns
    assert held_out.height == 100
    assert held_out.group_by("corpus").len().sort("corpus").rows() == [("bbc", 34), ("reuters", 66)]
    assert held_out.join(first, on="source_id", how="semi").is_empty()
    assert held_out.filter(pl.col("label") == "wrong", pl.col("error_class").is_null()).is_empty()
    assert held_out.filter(pl.col("label") == "right").height == 73


def test_the_third_sample_holds_ids_offsets_and_labels_only_of_articles_outside_the_first_two():
    third = pl.read_csv(HANDCHECK_HELDOUT2, schema_overrides={"source_id": pl.String, "error_class": pl.String})
    earlier = pl.concat([pl.read_csv(path, schema_overrides={"source_id": pl.String, "error_class": pl.String}) for path in (HANDCHECK, HANDCHECK_HELDOUT)])
    assert third.columns == earlier.columns
    assert third.group_by("corpus").len().sort("corpus").rows() == [("bbc", 15), ("reuters", 34)]
    assert third.join(earlier, on="source_id", how="semi").is_empty()
    assert third.filter(pl.col("label") == "wrong", pl.col("error_class").is_null()).is_empty()
    assert third.filter(pl.col("label") == "right").height == 34


def test_the_fourth_and_fifth_samples_hold_ids_offsets_and_labels_of_other_news_in_separate_articles():
    read = lambda path: pl.read_csv(path, schema_overrides={"source_id": pl.String, "error_class": pl.String})  # noqa: E731
    fourth, fifth = read(HANDCHECK_HELDOUT3), read(HANDCHECK_HELDOUT4)
    for sample in (fourth, fifth):
        assert sample.columns == ["corpus", "source_id", "outlet", "start_char", "end_char", "category", "value", "scope", "plausible", "label", "error_class"]
        assert sample.height == 100
        assert set(sample["corpus"]) <= set(OTHER_NEWS)
        assert sample.filter(pl.col("label") == "wrong", pl.col("error_class").is_null()).is_empty()
    assert fifth.join(fourth, on="source_id", how="semi").is_empty()
    # the fourth sample holds every BBC and Reuters figure of the other news: 20
    assert fourth.filter(pl.col("outlet").str.contains(r"bbc\.|reuters\.")).height == 20
    assert (fourth.filter(pl.col("label") == "right").height, fifth.filter(pl.col("label") == "right").height) == (71, 78)


@pytest.mark.slow
@pytest.mark.skipif(not NEWS.exists(), reason="BBC + Reuters not available (../shared)")
def test_hand_checked_precision_of_the_fifth_sample_held_out():
    result = handcheck(NEWS, HANDCHECK_HELDOUT4)
    assert result["needs_label"] == 0, "figures changed since they were labelled: relabel them"
    # 0.78 [0.69, 0.85] when labelled (session 5, after the last rule); the target is 0.90.
    assert result["precision_now"] >= 0.75


@pytest.mark.slow
@pytest.mark.skipif(not NEWS.exists(), reason="BBC + Reuters not available (../shared)")
def test_hand_checked_precision_of_published_casualty_figures():
    result = handcheck(NEWS)
    wrong = result["wrong_rows"]
    print(
        f"\nhand-checked precision: {result['precision_labelled']:.3f} as labelled ({result['labelled']} figures), "
        f"{result['precision_now']:.3f} today on the {result['still_published']} still published "
        f"({result['wrong_fixed']} wrong ones gone, {result['right_lost']} right ones lost, {result['needs_label']} to relabel)"
    )
    print(result["by_corpus"])
    print(wrong.group_by("error_class").len().sort("len", descending=True))
    assert result["needs_label"] == 0, "figures changed since they were labelled: relabel them"
    # The target is 0.90; this guards today's level (0.870 on this development sample; samples 2-4 are tuned on
    # too; the fifth, other news, is the held-out one: 0.78) against regressions.
    assert result["precision_now"] >= 0.85


@pytest.mark.slow
@pytest.mark.skipif(not NEWS.exists(), reason="BBC + Reuters not available (../shared)")
def test_no_bbc_incident_toll_of_a_million_or_more():
    from evaluation.casualties import summarise_figures
    from transforms.figures import extract_figures
    from transforms.schema import MENTIONS, empty

    bbc = sorted(str(path.relative_to(NEWS)) for path in (NEWS / "bbc").glob("*/*.txt"))
    from evaluation.casualties import news_articles

    articles = news_articles(NEWS / "bbc", [name.removeprefix("bbc/") for name in bbc] + bbc)
    figures = summarise_figures(extract_figures(articles.select("article_id", "body"), empty(MENTIONS)).with_row_index("figure_id").with_columns(pl.col("figure_id").cast(pl.String)))
    huge = figures.filter(pl.col("category").is_in(["KILL", "WOUND"]), pl.col("scope") == "incident", pl.col("value") >= 1_000_000)
    assert articles.height > 2000
    assert huge.select("text", "value").rows() == []


# --------------------------------------------------------------------------- sixth sample: CoNLL-2003's Reuters news (session 6)


def test_conll_tokens_are_detokenised_into_news_text():
    tokens = ["He", "said", ",", '"', "we", "do", "n't", "know", '"', "(", "AP", ")", ".", "Prices", "rose", "5", "%", "to", "$", "3", "."]
    assert detokenise(tokens) == "He said, \"we don't know\" (AP). Prices rose 5% to $3."
    assert detokenise(["Smith", "'s", "two", "sons", "were", "killed", ";", "police", "said", "so", ":", "yes", "!"]) == "Smith's two sons were killed; police said so: yes!"


def test_the_sixth_sample_holds_ids_offsets_and_labels_of_conll_documents():
    sixth = pl.read_csv(HANDCHECK_HELDOUT6, schema_overrides={"source_id": pl.String, "error_class": pl.String})
    assert sixth.columns == ["corpus", "source_id", "outlet", "start_char", "end_char", "category", "value", "scope", "plausible", "label", "error_class"]
    assert sixth.height == 100
    assert set(sixth["corpus"]) == {"conll"}
    assert sixth["source_id"].str.contains(r"^conll/eng\.(?:train|testa)/\d+$").all()
    assert sixth.filter(pl.col("label") == "wrong", pl.col("error_class").is_null()).is_empty()
    assert sixth.filter(pl.col("label") == "right").height == 77


@pytest.mark.slow
@pytest.mark.skipif(not CONLL.exists(), reason="CoNLL-2003 not available (../shared)")
def test_conll_documents_become_articles_with_their_headline_and_dateline_date():
    import datetime as dt

    articles = conll_articles(NEWS.parent)
    assert articles.height == 946 + 216
    first = articles.filter(pl.col("source_id") == "conll/eng.train/0").row(0, named=True)
    assert first["title"] == "EU rejects German call to boycott British lamb."
    # a byline before the dateline: "Peter Blackburn / BRUSSELS 1996-08-22"
    assert first["body"].split("\n")[:2] == ["Peter Blackburn", "BRUSSELS 1996-08-22"]
    assert first["published_date"] == dt.date(1996, 8, 22)


@pytest.mark.slow
@pytest.mark.skipif(not (NEWS.exists() and CONLL.exists()), reason="CoNLL-2003 not available (../shared)")
def test_hand_checked_precision_of_the_sixth_sample_held_out():
    result = handcheck(NEWS, HANDCHECK_HELDOUT6)
    print("\n" + handcheck_report("sixth sample (CoNLL-2003 Reuters 1996, held out)", HANDCHECK_HELDOUT6, result))
    assert result["needs_label"] == 0, "figures changed since they were labelled: relabel them"
    # 0.77 [0.68, 0.84] when labelled (session 6, drawn after the last rule); 0.848 once its classes were tuned on in
    # the second round; the target is 0.90.
    assert result["precision_now"] >= 0.83


# --------------------------------------------------------------------------- seventh sample: the other CoNLL documents


def test_the_seventh_sample_holds_ids_offsets_and_labels_of_conll_documents_not_in_the_sixth():
    sixth = pl.read_csv(HANDCHECK_HELDOUT6, schema_overrides={"source_id": pl.String, "error_class": pl.String})
    seventh = pl.read_csv(HANDCHECK_HELDOUT7, schema_overrides={"source_id": pl.String, "error_class": pl.String})
    assert seventh.columns == sixth.columns
    # every published figure of the documents without one in the sixth sample: 64 (fewer than the 100 asked for)
    assert seventh.height == 64
    assert set(seventh["corpus"]) == {"conll"}
    assert seventh.join(sixth, on="source_id", how="semi").is_empty()
    assert seventh.filter(pl.col("label") == "wrong", pl.col("error_class").is_null()).is_empty()
    assert seventh.filter(pl.col("label") == "right").height == 48


@pytest.mark.slow
@pytest.mark.skipif(not (NEWS.exists() and CONLL.exists()), reason="CoNLL-2003 not available (../shared)")
def test_hand_checked_precision_of_the_seventh_sample_held_out():
    result = handcheck(NEWS, HANDCHECK_HELDOUT7)
    print("\n" + handcheck_report("seventh sample (CoNLL-2003 documents not in the sixth, held out)", HANDCHECK_HELDOUT7, result))
    assert result["needs_label"] == 0, "figures changed since they were labelled: relabel them"
    # 0.75 [0.63, 0.84] when labelled (session 6's second round, drawn after its last rule); the target is 0.90.
    assert result["precision_now"] >= 0.73
