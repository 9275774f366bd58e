-- top_entities_weekly: entities ranked by the articles that mention them, per ISO week (Monday start).
--
-- Same rule as top_entities_daily; week is the Monday the week starts on.
create or replace view top_entities_weekly as
with source as (
    select date_trunc('week', a.published_date)::date as week, m.entity_id, m.article_id
    from mentions m
    join articles a using (article_id)
    where a.published_date is not null
),

counted as (
    select week, entity_id, count(distinct article_id) as articles, count(*) as mentions
    from source
    group by all
),

renamed as (
    select
        c.week,
        rank() over (partition by c.week order by c.articles desc, c.mentions desc) as rank,
        c.entity_id,
        e.canonical_name,
        e.label,
        c.articles,
        c.mentions
    from counted c
    join entities e using (entity_id)
)

select * from renamed
