"""Places: the GeoNames gazetteer and the geoparser that resolves LOCATION mentions to it."""

from transforms.places.gazetteer import load_gazetteer, load_name_index
from transforms.places.resolve import resolve_places

__all__ = ["load_gazetteer", "load_name_index", "resolve_places"]
