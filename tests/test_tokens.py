import polars as pl

from transforms.tokens import tokenize


def test_tokens_carry_exact_character_offsets_including_non_ascii():
    body = "Mexico's O'Neill paid USD 15,000 in Michoacán (CJNG).\n\nU.S. officials 😀 agreed."
    tokens = tokenize(pl.DataFrame({"article_id": ["a"], "body": [body]}))
    assert tokens["token"].to_list() == [
        "Mexico", "'s", "O'Neill", "paid", "USD", "15,000", "in", "Michoacán", "(", "CJNG", ")", ".",
        "U.S.", "officials", "😀", "agreed", ".",
    ]  # fmt: skip
    for token, start, end in tokens.select("token", "start_char", "end_char").iter_rows():
        assert body[start:end] == token
    assert tokens.filter(pl.col("token") == "U.S.")["line"].item() == 2


def test_tokens_restart_per_article_and_skip_empty_bodies():
    frame = pl.DataFrame({"article_id": ["a", "b", "c"], "body": ["One two", "", "Three"]})
    tokens = tokenize(frame)
    assert tokens.select("article_id", "token_index", "token").rows() == [
        ("a", 0, "One"), ("a", 1, "two"), ("c", 0, "Three"),
    ]  # fmt: skip


def test_offsets_and_lines_restart_per_article():
    frame = pl.DataFrame({"article_id": ["a", "b", "c"], "body": ["One\ntwo\n", None, "\n\nThree  four"]})
    tokens = tokenize(frame)
    assert tokens.select("article_id", "token_index", "line", "token", "start_char", "end_char").rows() == [
        ("a", 0, 0, "One", 0, 3), ("a", 1, 1, "two", 4, 7),
        ("c", 0, 2, "Three", 2, 7), ("c", 1, 2, "four", 9, 13),
    ]  # fmt: skip
