create schema if not exists staging;
create or replace table staging.mentions (
    mention_id     varchar,
    article_id     varchar,
    entity_id      varchar,
    label          varchar,
    text           varchar,
    start_char     bigint,
    end_char       bigint,
    usage          varchar,
    place_id       bigint,
    canonical_name varchar
);
