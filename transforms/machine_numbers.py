"""Numbers written for machines, never read as figures, and the quarantine note that says so.

An exponent ("1e308", "1e-308") or more digits than a double holds exactly ("9" * 400) is no count a
reporter wrote: the figures extractor matches and drops it (``transforms.figures.lexicons``), and the
parse step leaves a quarantine *note* on the article (``article_id`` set: the article is published,
without those numbers), so the skip is visible with the file, line and reason.
"""

from __future__ import annotations

import polars as pl

MACHINE_NUMBER = r"\b\d+(?:\.\d+)?[eE][+-]?\d+\b|\b\d{16,}\b"
SHOWN = 3  # numbers quoted in a note
LONG = 20  # a number longer than this is quoted by its first digits and its length


def machine_number_note(body: pl.Expr) -> pl.Expr:
    """The note for a body that holds numbers written for machines, else null:
    ``2 numbers written for machines (an exponent, or 16 or more digits) are not read as figures: 99999999…
    (400 digits), 1e308``."""
    found = body.str.extract_all(MACHINE_NUMBER)
    quoted = found.list.head(SHOWN).list.eval(
        pl.when(pl.element().str.len_chars() > LONG)
        .then(pl.format("{}… ({} digits)", pl.element().str.slice(0, 8), pl.element().str.len_chars()))
        .otherwise(pl.element())
    ).list.join(", ")
    count = found.list.len()
    noun = pl.when(count == 1).then(pl.lit("number")).otherwise(pl.lit("numbers"))
    verb = pl.when(count == 1).then(pl.lit("is")).otherwise(pl.lit("are"))
    more = pl.when(count > SHOWN).then(pl.lit(", ...")).otherwise(pl.lit(""))
    note = pl.format("{} {} written for machines (an exponent, or 16 or more digits) {} not read as figures: {}{}",
                     count, noun, verb, quoted, more)
    return pl.when(body.str.contains(MACHINE_NUMBER)).then(note)
