create schema if not exists staging;
create or replace table staging.figures (
    figure_id        varchar,
    article_id       varchar,
    kind             varchar,
    category         varchar,
    value            double,
    value_max        double,
    qualifier        varchar,
    unit             varchar,
    object           varchar,
    text             varchar,
    start_char       bigint,
    end_char         bigint,
    source_entity_id varchar
);
