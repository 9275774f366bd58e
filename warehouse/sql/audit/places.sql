select place_id, name, feature_type, country_code, admin1, latitude, longitude, population
from staging.places
