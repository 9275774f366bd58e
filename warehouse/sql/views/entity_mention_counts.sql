-- entity_mention_counts: every published entity with its canonical name and how often the warehouse mentions it.
--
-- One row per entity. mentions counts literal mentions (the text names the entity); articles counts the
-- distinct articles with at least one. Embedded places and demonyms are left out, as in the NER evaluation.
create or replace view entity_mention_counts as
with source as (
    select entity_id, article_id
    from mentions
    where usage = 'literal'
),

counted as (
    select entity_id, count(*) as mentions, count(distinct article_id) as articles
    from source
    group by all
),

renamed as (
    select
        e.entity_id,
        e.label,
        e.canonical_name,
        coalesce(c.mentions, 0) as mentions,
        coalesce(c.articles, 0) as articles,
        e.aliases
    from entities e
    left join counted c using (entity_id)
)

select * from renamed
