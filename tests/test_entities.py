from pathlib import Path

import polars as pl
import pytest

from transforms.entities import extract_mentions
from transforms.ids import entity_id
from transforms.schema import MENTIONS

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = REPO / "seeds" / "000_bd22b0fa7cd20e9b.txt"


def mentions_of(**bodies: str) -> pl.DataFrame:
    articles = pl.DataFrame({"article_id": list(bodies), "body": list(bodies.values())})
    found = extract_mentions(articles)
    assert found.schema == MENTIONS
    for article_id, text, start, end in found.select("article_id", "text", "start_char", "end_char").iter_rows():
        assert bodies[article_id][start:end] == text
    spans = found.sort("article_id", "start_char").select("article_id", "start_char", "end_char").rows()
    for (a1, _, e1), (a2, s2, _) in zip(spans, spans[1:]):
        assert a1 != a2 or e1 <= s2, "mentions overlap"
    return found


def rows(found: pl.DataFrame) -> list[tuple]:
    return found.select("label", "text", "start_char", "end_char", "canonical_name").rows()


def test_seed_article_entities_and_aliases():
    body = SEED.read_text(encoding="utf-8").split("\n\n", 1)[1]
    found = mentions_of(seed=body)
    aliases = {
        (label, canonical): set(texts)
        for label, canonical, texts in found.group_by("label", "canonical_name").agg(pl.col("text").unique()).rows()
    }
    assert {"El Mencho", "Oseguera", "Osegeura", "Nemesio Oseguera Cervantes"} <= aliases[("PERSON", "Nemesio Oseguera Cervantes")]
    assert aliases[("PERSON", "Karoline Leavitt")] == {"Karoline Leavitt", "Leavitt"}
    assert aliases[("PERSON", "Donald Trump")] == {"Donald Trump", "Trump"}
    assert aliases[("PERSON", "Pablo Lemus Navarro")] == {"Pablo Lemus Navarro", "Lemus"}
    assert aliases[("ORG", "Jalisco New Generation Cartel")] == {"Jalisco New Generation Cartel", "CJNG"}
    orgs = {c for label, c in aliases if label == "ORG"}
    assert {"White House", "US Drug Enforcement Agency", "Secretariat of National Defence", "CNN",
            "Justice Department", "ANI"} <= orgs  # fmt: skip
    places = set(found.filter(pl.col("label") == "LOCATION")["text"])
    assert {"Tapalpa", "Talpalpa", "Jalisco", "Mexico", "Mexico City", "Michoacan", "Guanajuato", "Colima",
            "Veracruz", "United States"} <= places  # fmt: skip
    people = found.filter(pl.col("canonical_name") == "Nemesio Oseguera Cervantes")
    assert people["entity_id"].unique().to_list() == [
        pl.select(entity_id(pl.lit("PERSON"), pl.lit("Nemesio Oseguera Cervantes"))).item()
    ]


def test_acronyms_defined_in_brackets_or_with_or_link_to_the_long_form():
    body = (
        "The North Atlantic Treaty Organization (NATO) met in Brussels. NATO officials said the Islamic "
        "Revolutionary Guard Corps, or IRGC, had fired missiles. IRGC commanders denied it."
    )
    assert rows(mentions_of(a=body)) == [
        ("ORG", "North Atlantic Treaty Organization", 4, 38, "North Atlantic Treaty Organization"),
        ("ORG", "NATO", 40, 44, "North Atlantic Treaty Organization"),
        ("LOCATION", "Brussels", 53, 61, "Brussels"),
        ("ORG", "NATO", 63, 67, "North Atlantic Treaty Organization"),
        ("ORG", "Islamic Revolutionary Guard Corps", 87, 120, "Islamic Revolutionary Guard Corps"),
        ("ORG", "IRGC", 125, 129, "Islamic Revolutionary Guard Corps"),
        ("ORG", "IRGC", 151, 155, "Islamic Revolutionary Guard Corps"),
    ]


def test_nickname_after_also_known_as_links_even_with_spaces_inside_quotes():
    body = 'Police arrested Joaquin Guzman, also known as " El Chapo ", in Sinaloa. El Chapo was taken to Mexico City.'
    assert rows(mentions_of(a=body)) == [
        ("PERSON", "Joaquin Guzman", 16, 30, "Joaquin Guzman"),
        ("PERSON", "El Chapo", 48, 56, "Joaquin Guzman"),
        ("LOCATION", "Sinaloa", 63, 70, "Sinaloa"),
        ("PERSON", "El Chapo", 72, 80, "Joaquin Guzman"),
        ("LOCATION", "Mexico City", 94, 105, "Mexico City"),
    ]


def test_full_name_with_quoted_nickname_inside_is_one_person():
    body = "Ismael 'El Mayo' Zambada met Joaquin \"El Chapo\" Guzman in Culiacan. Zambada denied it."
    assert rows(mentions_of(a=body)) == [
        ("PERSON", "Ismael 'El Mayo' Zambada", 0, 24, "Ismael Zambada"),
        ("PERSON", 'Joaquin "El Chapo" Guzman', 29, 54, "Joaquin Guzman"),
        ("LOCATION", "Culiacan", 58, 66, "Culiacan"),
        ("PERSON", "Zambada", 68, 75, "Ismael Zambada"),
    ]


def test_close_misspelling_links_to_the_person_already_named():
    body = (
        "Rebel leader Ahmed Shah Massoud said on Monday his forces had retaken the town. Massoud told Reuters "
        "the Taleban had fled. Government officials said Masoud was lying."
    )
    found = mentions_of(a=body).filter(pl.col("label") == "PERSON")
    assert rows(found) == [
        ("PERSON", "Ahmed Shah Massoud", 13, 31, "Ahmed Shah Massoud"),
        ("PERSON", "Massoud", 80, 87, "Ahmed Shah Massoud"),
        ("PERSON", "Masoud", 149, 155, "Ahmed Shah Massoud"),
    ]


def test_shared_surname_does_not_merge_two_people():
    body = "John Smith and Mary Smith met in London on Tuesday. Smith said the talks went well."
    found = mentions_of(a=body)
    assert rows(found) == [
        ("PERSON", "John Smith", 0, 10, "John Smith"),
        ("PERSON", "Mary Smith", 15, 25, "Mary Smith"),
        ("LOCATION", "London", 33, 39, "London"),
        ("PERSON", "Smith", 52, 57, "Smith"),
    ]
    assert found["entity_id"].n_unique() == 4


def test_all_caps_headline_names_link_to_the_body():
    body = "PRESIDENT TRUMP MEETS MERKEL IN BERLIN\nUS President Donald Trump met German Chancellor Angela Merkel in Berlin on Friday."
    found = mentions_of(a=body)
    assert rows(found.filter(pl.col("start_char") < 38)) == [
        ("PERSON", "TRUMP", 10, 15, "Donald Trump"),
        ("PERSON", "MERKEL", 22, 28, "Angela Merkel"),
        ("LOCATION", "BERLIN", 32, 38, "BERLIN"),
    ]
    berlin = found.filter(pl.col("text").str.to_lowercase() == "berlin")["entity_id"]
    assert berlin.n_unique() == 1  # entity ids ignore case


def test_empty_batch_and_empty_body():
    assert extract_mentions(pl.DataFrame(schema={"article_id": pl.String, "body": pl.String})).schema == MENTIONS
    assert mentions_of(a="", b="nothing to see here").height == 0


@pytest.mark.skipif(not (SHARED / "data" / "conll2003" / "eng.testa").exists(), reason="needs ../shared CoNLL data")
def test_dev_set_micro_f1_stays_above_the_bar():
    from evaluation.ner import evaluate

    result = evaluate(SHARED / "data" / "conll2003" / "eng.testa", mode="direct")
    assert result["scores"]["micro"]["f1"] >= 0.91


def test_country_short_forms_are_the_country_they_abbreviate():
    body = "US President Donald Trump met UK officials. The US and the United States are one. U.S. troops left."
    found = mentions_of(a=body).filter(pl.col("label") == "LOCATION")
    assert rows(found) == [
        ("LOCATION", "US", 0, 2, "United States"),
        ("LOCATION", "UK", 30, 32, "United Kingdom"),
        ("LOCATION", "US", 48, 50, "United States"),
        ("LOCATION", "United States", 59, 72, "United States"),
        ("LOCATION", "U.S.", 82, 86, "United States"),
    ]
    assert found["entity_id"].n_unique() == 2


def test_capitals_in_brackets_after_a_name_are_not_its_acronym_unless_they_are_its_initials():
    body = "Jane Quigley ( USA ) beat Natalia Karimova ( Russia ) in Atlanta.\nOfficials of the World Health Organization (WHO) met."
    assert rows(mentions_of(a=body)) == [
        ("PERSON", "Jane Quigley", 0, 12, "Jane Quigley"),
        ("LOCATION", "USA", 15, 18, "United States"),
        ("PERSON", "Natalia Karimova", 26, 42, "Natalia Karimova"),
        ("LOCATION", "Russia", 45, 51, "Russia"),
        ("LOCATION", "Atlanta", 57, 64, "Atlanta"),
        ("ORG", "World Health Organization", 83, 108, "World Health Organization"),
        ("ORG", "WHO", 110, 113, "World Health Organization"),
    ]


def test_a_bracketed_name_ending_the_last_line_of_a_results_list_is_not_a_source_credit():
    body = "Results of the 3,000 metres:\n1. Jane Quigley ( United States )\n2. Rasa Mazeikyte ( Lithuania )"
    found = mentions_of(a=body)
    assert found.filter(pl.col("text") == "Lithuania")["label"].to_list() == ["LOCATION"]
    credited = mentions_of(a="Police said three people died.\n\n(With inputs from Reuters)")
    assert rows(credited.filter(pl.col("label") == "ORG")) == [("ORG", "Reuters", 50, 57, "Reuters")]


def test_a_place_the_tagger_keeps_calling_a_place_is_not_short_for_a_mistagged_person():
    body = (
        "Yeltsin endorses Lebed Chechnya peace plan.\nLebed said peace in Chechnya was near. "
        "Troops left Chechnya on Friday."
    )
    labels = mentions_of(a=body).filter(pl.col("text") == "Chechnya")["label"].to_list()
    assert labels and set(labels) == {"LOCATION"}


@pytest.mark.slow  # builds crfsuite training features for a whole CoNLL slice: about 6 s of CPU
def test_tagging_scores_equal_the_scores_of_the_training_features():
    """The per-distinct-word scoring path (crf.emissions) and the string features crfsuite was trained on agree."""
    import numpy as np

    from transforms.entities.crf import default_weights
    from transforms.entities.features import TEMPLATES, context_features, token_features
    from transforms.tokens import tokenize

    bodies = {
        "seed": SEED.read_text(encoding="utf-8").split("\n\n", 1)[1],
        "caps": "PRESIDENT TRUMP MEETS MERKEL IN BERLIN\nUS President Donald Trump met Angela Merkel in Berlin.",
        "pipes": "A | B || C. Dr. Smith went to the U.S. Department of State.",
    }
    tokens = tokenize(pl.DataFrame({"article_id": list(bodies), "body": list(bodies.values())}))
    weights = default_weights()
    fast = weights.emissions(*context_features(tokens, weights.lexicons))
    strings = token_features(tokens, weights.lexicons)
    slow = np.zeros_like(fast)
    for t in TEMPLATES:
        for i, value in enumerate(strings[t].to_list()):
            hit = weights.vocab[t].index_of(value) if value is not None else None
            if hit is not None:
                slow[i] += weights.blocks[t][hit]
    np.testing.assert_allclose(fast, slow, atol=1e-4)


def test_a_company_suffix_makes_an_organisation_and_the_name_without_it_links_to_it():
    body = "Shares of Pirelli SpA rose on Friday. Pirelli said the cables unit would grow."
    assert rows(mentions_of(a=body)) == [
        ("ORG", "Pirelli SpA", 10, 21, "Pirelli SpA"),
        ("ORG", "Pirelli", 38, 45, "Pirelli SpA"),
    ]


def test_a_place_named_only_in_an_all_caps_headline_is_a_location():
    body = "SOCCER - ROTOR FANS LOCKED OUT AFTER VOLGOGRAD VIOLENCE .\nMOSCOW 1996-08-30\nFans were locked out."
    found = mentions_of(a=body)
    assert ("LOCATION", "VOLGOGRAD", 37, 46, "VOLGOGRAD") in rows(found)


def test_two_companies_sharing_a_name_leave_the_bare_name_unlinked():
    body = "Pirelli SpA and Pirelli Inc agreed. Pirelli said so."
    found = mentions_of(a=body)
    # "Pirelli" could be short for either company, so it stays an entity of its own
    assert found.select("text", "start_char", "end_char", "canonical_name").rows() == [
        ("Pirelli SpA", 0, 11, "Pirelli SpA"),
        ("Pirelli Inc", 16, 27, "Pirelli Inc"),
        ("Pirelli", 36, 43, "Pirelli"),
    ]


def test_misc_spans_are_returned_only_on_request_so_later_stages_can_skip_names_inside_them():
    articles = pl.DataFrame({"article_id": ["a"], "body": ["Agassi lost at the U.S. Open on Friday. Germany beat Italy."]})
    with_misc = extract_mentions(articles, keep_misc=True)
    assert with_misc.filter(pl.col("label") == "MISC").select("text", "start_char", "end_char").rows() == [("U.S. Open", 19, 28)]
    assert with_misc.filter(pl.col("label") != "MISC").equals(extract_mentions(articles))


def test_a_bare_legal_suffix_links_nothing_and_no_mention_is_empty():
    body = ("WASHINGTON, April 13 - The Commodity Credit Corporation , Inc said it accepted bids. "
            "NEW YORK, March 3 - Hartmarx Corp said its unit, Kuppenheimer Manufacturing Co , Inc , will close "
            "two plants. The unit , Inc said sales rose.")
    mentions = extract_mentions(pl.DataFrame({"article_id": ["a"], "body": [body]}))
    assert mentions.height > 0
    assert mentions.filter(pl.col("end_char") <= pl.col("start_char")).height == 0
    assert all(body[s:e] == t and t.strip() for s, e, t in mentions.select("start_char", "end_char", "text").rows())


def test_line_and_document_features_equal_their_window_and_group_by_definitions():
    """caps_line, dc and gz are computed by running sums, sorting and row numbers; they equal
    the plain polars definitions (a sum over the line, a group-by and join per article and word)."""
    from transforms.entities.crf import default_weights
    from transforms.entities.features import _casing_class, _gazetteer_tags, context_features
    from transforms.tokens import tokenize

    bodies = {
        "seed": SEED.read_text(encoding="utf-8").split("\n\n", 1)[1],
        "caps": "PRESIDENT TRUMP MEETS MERKEL IN BERLIN\nUS President Donald Trump met Angela Merkel in Berlin. trump\n1999",
        "one": "Paris",
        "empty": "",
    }
    tokens = tokenize(pl.DataFrame({"article_id": list(bodies), "body": list(bodies.values())}))
    lex = default_weights().lexicons
    frame, _ = context_features(tokens, lex)
    caps = (pl.col("has_lower").sum().over("seq") == 0) & (pl.col("has_upper").sum().over("seq") >= 1)
    assert frame["caps_line"].equals(frame.select(caps.alias("caps_line"))["caps_line"])
    doc_casing = (
        frame.filter("is_evidence")
        .group_by("article_id", "low")
        .agg(share=pl.col("starts_upper").mean())
        .select("article_id", "low", dc=_casing_class(pl.col("share")))
    )
    expected = frame.select("article_id", "low").join(doc_casing, on=["article_id", "low"], how="left", maintain_order="left")
    assert frame["dc"].equals(expected["dc"])
    assert frame["dc"].null_count() < frame.height
    rows = frame.with_row_index("row").with_columns(pl.col("row").cast(pl.Int64))
    tags = rows.select("row").join(_gazetteer_tags(rows.lazy(), lex).collect(), on="row", how="left", maintain_order="left")
    assert frame["gz"].equals(tags["gz"])
    assert frame["gz"].null_count() < frame.height
