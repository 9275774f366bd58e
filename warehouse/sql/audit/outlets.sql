-- What the outlets suite validates: the outlets table as this run will publish it.
select
    domain,
    home_country,
    home_admin1,
    home_latitude,
    home_longitude,
    articles_seen,
    articles_local,
    confidence,
    source,
    (home_country is null) = (home_latitude is null) as home_point_matches_home
from staging.outlets
