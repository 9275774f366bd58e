"""Stage 7: what kind of figure a candidate is (COUNT, MONEY, PERCENT, YEAR, DATE, QUANTITY), its unit and text.

``kinds`` joins currencies, qualifiers and units, drops candidates that are no figure (a lone "one", an
uncounted "both"), and cuts a count's ``text`` to the end of what it counts.
"""

from __future__ import annotations

import polars as pl

from transforms.figures.lexicons import classify_lexicons
from transforms.figures.stage import Batch, stage


@stage(
    requires=("sentence", "local_start", "local_end", "object_end", "shape", "amount", "amount_max", "currency_term",
              "qualifier_term", "c_hyphen", "glued_unit", "c_name", "pair", "object", "is_age", "value", "category",
              "before_text"),
    assigns=("currency_key", "qualifier_key", "unit_key", "iso", "qualifier", "measure", "kind", "unit", "object",
             "category", "local_end", "text"),
)
def kinds(figures: pl.DataFrame, batch: Batch) -> pl.DataFrame:
    """Kind, unit and qualifier of each candidate; candidates that are no figure are dropped."""
    currencies, qualifiers, units = classify_lexicons()
    out = (
        figures.with_columns(
            pl.col("currency_term").str.to_lowercase().str.replace_all(r"\s+", " ").alias("currency_key"),
            pl.col("qualifier_term").str.to_lowercase().str.replace_all(r"\s+", " ").alias("qualifier_key"),
            pl.coalesce(
                pl.col("c_hyphen").str.to_lowercase(),
                pl.col("glued_unit").str.to_lowercase(),
                pl.col("object").str.to_lowercase().str.extract(r"^([\w/-]+)", 1),
            ).alias("unit_key"),
        )
        .join(currencies, on="currency_key", how="left")
        .join(qualifiers, on="qualifier_key", how="left")
        .join(units, on="unit_key", how="left")
    )
    # "shot eight times", "fired 65 rounds": what a measure counts is never a person, whatever the clause says.
    # "12km were wounded": a number glued to letters is a measure or a code, never people.
    out = out.with_columns(
        pl.when((pl.col("shape") == "NUMBER") & (pl.col("measure").is_not_null() | pl.col("glued_unit").is_not_null()))
        .then(None).otherwise(pl.col("category")).alias("category")
    )
    plain_year = (
        pl.col("amount").str.contains(r"^(?:1[89]|20)\d\d$")
        & pl.col("qualifier").is_null()
        & pl.col("amount_max").is_null()
        & (
            ~pl.col("object").fill_null("").str.contains(r"^[a-z]")
            # "the 1985 crash", "its 2004 report": a year before a noun under a determiner dates it.
            | pl.col("before_text").str.contains(r"(?i)\b(?:the|its|his|her|their|this|that)\s+$")
        )
        & pl.col("c_name").is_null()
    )
    # "from 1941 to 1945": a range of years is a span of time.
    year_range = pl.col("amount").str.contains(r"^(?:1[89]|20)\d\d$") & pl.col("amount_max").str.contains(r"^(?:1[89]|20)\d\d$")
    age = pl.col("is_age")
    kind = (
        pl.when(pl.col("shape") == "DATE").then(pl.lit("DATE"))
        .when(pl.col("shape") == "MONEY").then(pl.lit("MONEY"))
        .when(pl.col("shape") == "PERCENT").then(pl.lit("PERCENT"))
        .when((pl.col("shape") == "NUMBER") & (plain_year | year_range.fill_null(False))).then(pl.lit("YEAR"))
        # "26-year-old": an age, whatever the clause says; the person is counted by "a 26-year-old man".
        .when((pl.col("shape") == "NUMBER") & (pl.col("c_hyphen").is_not_null() | pl.col("is_age"))).then(pl.lit("QUANTITY"))
        .when((pl.col("shape") == "NUMBER") & pl.col("measure").is_not_null() & pl.col("category").is_null()).then(pl.lit("QUANTITY"))
        .otherwise(pl.lit("COUNT"))
    )
    out = out.with_columns(kind.alias("kind"))
    spelled_or_implicit = ~pl.col("amount").fill_null("").str.contains(r"\d")
    keep = (
        pl.col("value").is_not_null()
        & pl.col("value").is_finite()
        & (
            pl.col("kind").is_in(["DATE", "MONEY", "PERCENT", "YEAR", "QUANTITY"])
            | pl.col("category").is_not_null()
            # A spelled-out "one" or "no" with nothing counted is a pronoun or a determiner, not a figure;
            # "both" counts only people an event happened to.
            | (pl.col("shape") == "NUMBER") & pl.col("pair").is_null() & (~spelled_or_implicit | (pl.col("object").is_not_null() & (pl.col("value") > 1)))
        )
    )
    out = out.filter(keep)
    return out.with_columns(
        pl.when(pl.col("kind") == "MONEY").then(pl.col("iso"))
        .when(pl.col("kind") == "PERCENT").then(pl.lit("%"))
        .alias("unit"),
        pl.when((pl.col("kind") == "QUANTITY") & age).then(pl.lit("years of age"))
        .when(pl.col("kind") == "QUANTITY").then(pl.coalesce("measure", "c_hyphen"))
        .when(pl.col("kind") == "COUNT").then(pl.col("object"))
        .alias("object"),
        pl.when(pl.col("kind") == "COUNT").then(pl.col("category")).alias("category"),
        pl.when(pl.col("kind").is_in(["YEAR", "DATE"])).then(None).otherwise(pl.col("qualifier")).alias("qualifier"),
    ).with_columns(
        # A count's text runs to the end of what it counts: "three other cartel members".
        pl.when(pl.col("kind").is_in(["COUNT", "QUANTITY"]))
        .then(pl.col("local_end") + pl.col("object_end"))
        .otherwise(pl.col("local_end"))
        .alias("local_end")
    ).with_columns(
        pl.col("sentence").str.slice(pl.col("local_start"), pl.col("local_end") - pl.col("local_start")).alias("text"),
    )

