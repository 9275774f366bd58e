create schema if not exists staging;
create or replace table staging.places (
    place_id     bigint,
    name         varchar,
    feature_type varchar,
    country_code varchar,
    admin1       varchar,
    latitude     double,
    longitude    double,
    population   bigint
);
