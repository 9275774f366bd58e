-- Staged outlet votes of the current run: what each new or changed article with a url says about its outlet.
create schema if not exists staging;
create or replace table staging.outlet_votes (
    article_id   varchar,
    domain       varchar,
    country_code varchar,
    admin1       varchar,
    latitude     double,
    longitude    double
);
