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
    source_entity_id varchar,
    scope            varchar,
    additive         boolean,
    role             varchar,
    event_kind       varchar
);

-- Plausibility of a figure, by its kind, category and scope: the reason it is not believable, or NULL.
-- The audit (warehouse/sql/audit/figures.sql) shows it to Great Expectations, whose figures suite lists
-- the implausible rows in the Data Docs; the publish writes it to figures.plausible and
-- figures.implausible_reason, and article_casualties leaves implausible figures out.
-- The cap on one incident's toll depends on the kind of event (figures.event_kind): an earthquake, a
-- tsunami or a gas leak can kill or injure hundreds of thousands; one shooting, bombing or crash cannot
-- kill 5,000.
create or replace macro staging.figure_implausibility(kind, category, scope, value, value_max, object, event_kind) as
    case
        when kind = 'COUNT' and value > 8.2e9
            then 'more people than live on Earth'
        when kind = 'COUNT' and category in ('KILL', 'WOUND', 'SHOOT') and scope = 'incident' and event_kind = 'disaster' and value >= 1e6
            then 'a million or more killed or wounded in one disaster: a total over many events, or not people'
        when kind = 'COUNT' and category in ('KILL', 'WOUND', 'SHOOT') and scope = 'incident' and event_kind is distinct from 'disaster' and value > 5000
            then 'over 5,000 killed or wounded in one incident that is no disaster: a total over many events, or not people'
        when kind = 'COUNT' and category in ('ARREST', 'CHARGE', 'KIDNAP', 'MISSING', 'RESCUE') and scope = 'incident' and value > 50000
            then 'over 50,000 people arrested, charged, kidnapped, missing or rescued in one incident'
        when kind = 'COUNT' and category is not null
             and regexp_matches(lower(coalesce(object, '')), '\b(metres?|meters?|km|kilometres?|kilometers?|miles?|feet|foot|inches|cm|mm|kg|kilograms?|pounds|dlrs|tonnes?|tons|seconds?|minutes?|hours?|points?|goals?|runs?|wickets|votes?|viewers?|copies|dollars|euros|per ?cent|percent)\b')
            then 'counts a measure, not people: ' || lower(object)
        when kind = 'COUNT' and category is not null and value <> floor(value)
            then 'a fraction of a person'
        when value_max is not null and value_max < value
            then 'range ends below its start'
    end;
