-- Staged mentions with the checks that need their article, entity and place.
with article_bodies as (
    select article_id, body from staging.articles
),
known_places as (
    select place_id from staging.places
    union
    select place_id from places
),
checked as (
    select
        m.mention_id,
        m.article_id,
        m.entity_id,
        m.label,
        m.usage,
        m.place_id,
        m.start_char,
        m.end_char,
        m.text,
        a.article_id is not null as article_exists,
        e.entity_id is not null as entity_exists,
        m.place_id is null or p.place_id is not null as place_exists,
        m.start_char >= 0 and m.end_char > m.start_char and m.end_char <= length(a.body) as offsets_inside_body,
        substring(a.body, m.start_char + 1, m.end_char - m.start_char) = m.text as text_matches_body
    from staging.mentions m
    left join article_bodies a on a.article_id = m.article_id
    left join staging.entities e on e.entity_id = m.entity_id
    left join known_places p on p.place_id = m.place_id
)
select * from checked
