-- top_entities_daily: entities ranked by the articles that mention them, per publication day.
--
-- rank 1 is the entity in most articles that day (ties share a rank, broken by mentions).
-- Articles without a published_date are left out. Filter `rank <= 10` for a top ten.
create or replace view top_entities_daily as
with source as (
    select a.published_date as day, m.entity_id, m.article_id
    from mentions m
    join articles a using (article_id)
    where a.published_date is not null
),

counted as (
    select day, entity_id, count(distinct article_id) as articles, count(*) as mentions
    from source
    group by all
),

renamed as (
    select
        c.day,
        rank() over (partition by c.day order by c.articles desc, c.mentions desc) as rank,
        c.entity_id,
        e.canonical_name,
        e.label,
        c.articles,
        c.mentions
    from counted c
    join entities e using (entity_id)
)

select * from renamed
