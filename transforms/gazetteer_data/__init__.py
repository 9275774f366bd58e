"""Small committed gazetteer tables (data only; see README.md for sources and licences)."""
