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



def test_places_in_all_caps_lines_are_found_as_a_scan_of_every_all_caps_line_finds_them():
    def each_line(body: str, is_place: set[str], common: frozenset[str]) -> list[tuple[int, int]]:
        found = []
        for line in re.finditer(r"(?m)^[^\n]+$", body):
            if line.group().upper() != line.group() or not any(c.isalpha() for c in line.group()):
                continue
            for word in linking._CAPS_WORD.finditer(body, line.start(), line.end()):
                if word.group().lower() in is_place and word.group().lower() not in common:
                    found.append(word.span())
        return found

    pieces = ["PARIS", "NICE", "Paris", "ROMEO", "ABCD", "\n", " ", "\t", "\u2028", "é", "x", "'", ".", "-", "\r", "1"]
    pick = random.Random(16)
    texts = ["AFTER PARIS VIOLENCE\nIn Paris, NICE people", "x\nPARIS\n", "PARIS-NICE", "PARIS. x", "ABCD x\nNICE PARIS"]
    texts += ["".join(pick.choice(pieces) for _ in range(pick.randint(0, 14))) for _ in range(6000)]
    is_place, common = {"paris", "nice"}, frozenset({"nice"})
    for text in texts:
        found = [(m.start, m.end) for m in linking._caps_line_places(text, [], is_place, common)]
        assert found == each_line(text, is_place, common), text
    assert [m.text for m in linking._caps_line_places(texts[0], [], is_place, common)] == ["PARIS"]
