-- Staged articles of the current run (new or changed only); recreated at the start of each run.
create schema if not exists staging;
create or replace table staging.articles (
    article_id     varchar,
    source_id      varchar,
    title          varchar,
    body           varchar,
    published_date date,
    url            varchar,
    content_sha256 varchar,
    change         varchar  -- new | changed
);
