"""Entity extraction on text news rarely looks like: sane output, linear time, never a crash."""

import time

import polars as pl
import pytest

from transforms.entities import extract_mentions
from transforms.schema import MENTIONS

SENTENCE = "Prime Minister Tony Blair told reporters in London on Monday that Chelsea had signed a deal with Sony. "


def extract(**bodies: str) -> pl.DataFrame:
    found = extract_mentions(pl.DataFrame({"article_id": list(bodies), "body": list(bodies.values())}))
    assert found.schema == MENTIONS
    for article_id, text, start, end in found.select("article_id", "text", "start_char", "end_char").iter_rows():
        assert bodies[article_id][start:end] == text and text.strip() == text and text
    return found


def test_an_all_caps_article_gets_a_few_mentions_not_one_per_word():
    body = ("TONY BLAIR TOLD REPORTERS IN LONDON THAT THE GOVERNMENT WOULD PRESS AHEAD WITH THE PLAN.\n" * 5).strip()
    found = extract(caps=body)
    words = len(body.split())
    assert found.height <= words // 4


def test_an_article_without_capitals_gets_no_people():
    found = extract(low=SENTENCE.lower() * 3)
    assert found.filter(pl.col("label") == "PERSON").height == 0


def test_text_in_other_scripts_yields_valid_mentions_or_none():
    found = extract(
        ru="Президент России Владимир Путин встретился с канцлером Германии в Москве.",
        zh="国家主席习近平在北京会见了德国总理。",
        ar="التقى الرئيس الفرنسي إيمانويل ماكرون بنظيره الألماني في برلين.",
        mixed="Владимир Путин met Angela Merkel in Berlin.",
    )
    assert ("PERSON", "Angela Merkel") in found.select("label", "text").rows()
    assert set(found["article_id"]) <= {"ru", "zh", "ar", "mixed"}


def test_punctuation_and_symbols_only():
    assert extract(a="!!! ??? ... --- ''' \"\"\" ((( ))) *** ### @@@ \u200b\u00a0\t\n\n", b="1 2 3 4 5 6 7 8 9 0").height == 0


@pytest.mark.slow
def test_a_one_megabyte_single_line_takes_linear_time():
    """No sentence break in 1 MB: one line of ~190k tokens. Four times the text must cost well under 16 times as much."""
    quarter = SENTENCE.replace(". ", ", ") * (250_000 // len(SENTENCE) + 1)
    extract(warm=SENTENCE)

    def cost(body: str) -> float:
        began = time.process_time()
        found = extract(a=body)
        assert found.filter(pl.col("text") == "Tony Blair").height >= body.count("Tony Blair") * 0.9
        return time.process_time() - began

    small, large = cost(quarter), cost(quarter * 4)
    assert len(quarter * 4) >= 1_000_000
    assert large < 8 * small + 1.0, (small, large)
