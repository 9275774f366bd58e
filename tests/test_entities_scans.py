"""The linker's whole-text scans find exactly what their plain regular expressions find.

``linking.py`` looks for nicknames and closing credit lines with cheaper scans than one regex search over
the whole text (a leading lookbehind, or a search from every line start, slows Python's regex engine);
these tests hold the cheap scans to the plain regexes' answers on texts built to trip them.
"""

import random
import re

from transforms.entities import linking

TRICKY_PIECES = [" ", "\t", "\n", '"', "'", "“", "‘", "”", "’", "Jo", "El", "Mencho", "x", "(", ")", "AFP",
                 "With inputs from", " Inputs", "\u2028", "\x1c", "\u00a0", ".", "-"]


def tricky_texts(n: int = 20000, seed: int = 14):
    pick = random.Random(seed)
    for _ in range(n):
        yield "".join(pick.choice(TRICKY_PIECES) for _ in range(pick.randint(0, 18)))


def test_the_nickname_scan_finds_what_the_nickname_pattern_behind_a_space_or_tab_finds():
    plain = re.compile(r"(?<=[ \t])" + linking.NICKNAME_INSIDE.pattern)
    examples = ['Nemesio "El Mencho" Oseguera', 'x"El" Jo', 'a\t‘Jo’ El', ' "Jo"  "El" Mencho', '"Jo" El']
    for text in [*examples, *tricky_texts()]:
        expected = [(m.span(), m.groupdict()) for m in plain.finditer(text)]
        assert [(m.span(), m.groupdict()) for m in linking._nicknames(text)] == expected, text
    assert [m.group("nick") for m in linking._nicknames(examples[0])] == ["El Mencho"]


def test_the_credit_line_is_looked_for_on_the_last_line_only_and_found_as_a_search_of_every_line_finds_it():
    examples = ["Story.\n(AFP)", "Story.\n (With inputs from Reuters) \n\n", "(AFP)\nmore text", "(AFP) \u2028", "(AFP)\x1c"]
    for text in [*examples, *tricky_texts()]:
        expected = linking.CREDIT_LINE.search(text)
        found = linking.CREDIT_LINE.match(text, linking._last_line_start(text))
        assert (found and (found.span(), found.group("org"))) == (expected and (expected.span(), expected.group("org"))), text
    assert linking.CREDIT_LINE.match(examples[1], linking._last_line_start(examples[1])).group("org") == "Reuters"


CUE_PIECES = [" ", "\t", "\n", "\r", '"', "'", "“", "‘", "(", "film", "a", "an", "firm", "superfirm", "Film", "x", "band", "\u00a0"]


def test_a_cue_before_a_name_is_found_as_the_plain_search_of_the_sixteen_characters_before_it_finds_it():
    pick = random.Random(15)
    texts = ["the film Vera Drake", "(film Vera", "a\n Oscar", "brewer \"Heineken", "superfirm X", "x film\nX"]
    texts += ["".join(pick.choice(CUE_PIECES) for _ in range(pick.randint(0, 12))) + "X" for _ in range(4000)]
    for text in texts:
        for start in range(len(text) + 1):
            expected = linking._CUE_BEFORE.search(text, max(0, start - 16), start)
            found = linking._cue_before(text, start)
            assert (found and found.span()) == (expected and expected.span()), (text, start)
    assert linking._cue_before(texts[0], texts[0].index("Vera")).group("cue") == "film"


def test_an_alias_or_acronym_after_a_mention_starts_with_a_character_the_quick_check_lets_through():
    pieces = [" ", "\t", ",", "(", ")", "also known as", "known as", "aka", "a.k.a.", "alias", "nicknamed", "better known as",
              " or ", '"', "El", "CJNG", "x", "\n", "Bob"]
    pick = random.Random(17)
    texts = [' (CJNG)', ', also known as "El Mencho"', " aka Bob", ", or CJNG,", "\t(known as El"]
    texts += ["".join(pick.choice(pieces) for _ in range(pick.randint(0, 8))) for _ in range(20000)]
    for text in texts:
        if linking.ALSO_KNOWN_AS.match(text, 0, 80) or linking.ACRONYM.match(text, 0, 80):
            assert text[:80].lstrip(" \t")[:1] in linking._DEFINITION_STARTS, text
    assert all(linking.ALSO_KNOWN_AS.match(t) or linking.ACRONYM.match(t) for t in texts[:5])
