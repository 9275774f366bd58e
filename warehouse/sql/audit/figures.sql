-- Staged figures with the checks that need their article and source entity, and their plausibility
-- (staging.figure_implausibility: the reason a value is not believable, else NULL).
with article_bodies as (
    select article_id, body from staging.articles
),
known_entities as (
    select entity_id from staging.entities
    union
    select entity_id from entities
),
checked as (
    select
        f.figure_id,
        f.article_id,
        f.kind,
        f.category,
        f.value,
        f.value_max,
        f.unit,
        f.scope,
        f.additive,
        f.start_char,
        f.end_char,
        f.text,
        isfinite(f.value) as value_is_finite,
        f.value_max is null or isfinite(f.value_max) as value_max_is_finite,
        staging.figure_implausibility(f.kind, f.category, f.scope, f.value, f.value_max, f.object, f.event_kind) is null as plausible,
        staging.figure_implausibility(f.kind, f.category, f.scope, f.value, f.value_max, f.object, f.event_kind) as implausible_reason,
        a.article_id is not null as article_exists,
        f.source_entity_id is null or e.entity_id is not null as source_entity_exists,
        f.start_char >= 0 and f.end_char > f.start_char and f.end_char <= length(a.body) as offsets_inside_body,
        substring(a.body, f.start_char + 1, f.end_char - f.start_char) = f.text as text_matches_body
    from staging.figures f
    left join article_bodies a on a.article_id = f.article_id
    left join known_entities e on e.entity_id = f.source_entity_id
)
select * from checked
