"""Figures: counts (with event categories), money, percents, years, dates, quantities.

See README.md for the taxonomy, the lexicons and the casualty summary rule.
"""

from transforms.figures.extract import extract_figures
from transforms.figures.lexicons import lexicon

# The event taxonomy of COUNT figures (lexicons/categories.csv): GDELT's ten plus SHOOT, CHARGE, RESCUE.
CATEGORIES: tuple[str, ...] = tuple(lexicon("categories").get_column("category").to_list())

__all__ = ["CATEGORIES", "extract_figures"]
