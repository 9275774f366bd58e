"""One person per person, and what is not a person: titles, calendar names, clubs, companies, awards, aliases."""

import polars as pl

from transforms.entities import extract_mentions, link_across_articles
from transforms.entities.across import link_aliases_across_articles


def found(**bodies: str) -> list[tuple]:
    articles = pl.DataFrame({"article_id": list(bodies), "body": list(bodies.values())})
    return link_across_articles(extract_mentions(articles)).select("article_id", "label", "text", "canonical_name").rows()


def test_a_title_is_not_part_of_the_name_and_the_surname_links_to_the_only_full_name():
    body = "Prime Minister Tony Blair spoke in Leeds. Mr Blair said Dr Reid agreed with Ms Kelly."
    people = [(text, canonical) for _, label, text, canonical in found(a=body) if label == "PERSON"]
    assert people[:2] == [("Tony Blair", "Tony Blair"), ("Blair", "Tony Blair")]
    assert ("Reid", "Reid") in people and ("Kelly", "Kelly") in people
    assert not [text for text, _ in people if text.split()[0] in ("Mr", "Dr", "Ms", "Prime")]


def test_days_months_and_holidays_are_no_entity():
    texts = [text for _, _, text, _ in found(a="Christmas and Easter sales fell in January, Tesco said on Monday.")]
    assert not {"Christmas", "Easter", "January", "Monday"} & set(texts)


def test_a_club_followed_by_manager_or_a_collective_plural_is_an_organisation_throughout_the_article():
    body = "Chelsea manager Jose Mourinho was pleased. Chelsea have won eight in a row, and Chelsea lead the table."
    rows = found(a=body)
    assert {label for _, label, text, _ in rows if text == "Chelsea"} == {"ORG"}
    assert ("a", "PERSON", "Jose Mourinho", "Jose Mourinho") in rows


def test_an_award_named_like_a_person_is_not_kept():
    rows = found(a="Imelda Staunton won an Oscar. She is an Oscar nominee again, said Mike Leigh.")
    assert [text for _, label, text, _ in rows if label == "PERSON"] == ["Imelda Staunton", "Mike Leigh"]
    assert "Oscar" not in [text for *_, text, _ in [(r[0], r[1], r[2], r[3]) for r in rows]]


def test_a_nickname_defined_in_one_article_names_the_same_person_in_another():
    rows = found(
        a='Police arrested Nemesio "El Mencho" Oseguera Cervantes in Jalisco.',
        b="El Mencho was reported dead on Sunday.",
    )
    assert ("b", "PERSON", "El Mencho", "Nemesio Oseguera Cervantes") in rows


def test_an_alias_of_two_entities_in_a_batch_links_to_neither():
    mentions = pl.DataFrame(
        {
            "article_id": ["a", "b", "c"],
            "label": ["ORG", "ORG", "ORG"],
            "text": ["PP", "PP", "PP"],
            "canonical_name": ["Partido Popular", "Pirelli Pneumatici", "PP"],
        }
    )
    assert link_aliases_across_articles(mentions)["canonical_name"].to_list() == [
        "Partido Popular", "Pirelli Pneumatici", "PP",
    ]  # fmt: skip


def linked(body: str, *spans: tuple[str, str]) -> list[tuple[str, str]]:
    """``link_article`` on tagger spans given as (label, text), each at its first place in ``body``."""
    from transforms.entities.linking import Mention, link_article

    mentions = [Mention(label, body.index(text), body.index(text) + len(text), text) for label, text in spans]
    return [(m.label, m.text) for m in link_article(body, mentions, set())]


def test_a_name_right_after_a_word_for_a_work_or_product_is_no_person_or_organisation():
    body = "Imelda Staunton stars in the film Vera Drake. Vera Drake opens on Friday, as does the album Hopes."
    assert linked(body, ("PERSON", "Imelda Staunton"), ("PERSON", "Vera Drake"), ("ORG", "Hopes")) == [
        ("PERSON", "Imelda Staunton")]


def test_a_person_right_after_a_word_for_a_company_or_band_is_an_organisation():
    body = "Brewer Heineken said sales rose, and accountancy firm Deloitte agreed, as did the band Snow Patrol."
    spans = [("PERSON", "Brewer Heineken"), ("PERSON", "Deloitte"), ("PERSON", "Snow Patrol")]
    assert linked(body, *spans) == [("ORG", "Heineken"), ("ORG", "Deloitte"), ("ORG", "Snow Patrol")]


def test_a_person_named_the_something_or_an_acronym_the_article_writes_in_the_plural_is_not_kept():
    body = "Fans queued to see The Grudge. PCs are cheaper, so a PC costs less, the BBC said."
    assert linked(body, ("PERSON", "Grudge"), ("ORG", "PC"), ("ORG", "BBC")) == [("ORG", "BBC")]


def test_a_title_alone_is_no_person():
    body = "The evidence was true, according to the Bishop. Bishop Desmond Tutu agreed."
    assert linked(body, ("PERSON", "Bishop"), ("PERSON", "Bishop Desmond Tutu")) == [("PERSON", "Desmond Tutu")]
