"""Places: the GeoNames gazetteer, the geoparser that resolves LOCATION mentions to it, and outlets' home regions."""

from transforms.places.gazetteer import load_gazetteer
from transforms.places.resolve import resolve_places, resolve_places_and_outlets

__all__ = ["load_gazetteer", "resolve_places", "resolve_places_and_outlets"]
