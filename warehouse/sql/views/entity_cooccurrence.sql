-- entity_cooccurrence: pairs of entities mentioned in the same article, in both directions.
--
-- One row per (entity, co-entity): every mention counts, whatever its usage, so "Mexican"
-- (a demonym of Mexico) puts Mexico in the article. Both directions are listed, so "who
-- appears with X" is a filter on entity_id or canonical_name alone.
create or replace view entity_cooccurrence as
with source as (
    select distinct m.article_id, m.entity_id, a.published_date
    from mentions m
    join articles a using (article_id)
),

entities_named as (
    select entity_id, label, canonical_name from entities
),

pairs as (
    select
        one.entity_id,
        other.entity_id as co_entity_id,
        one.article_id,
        one.published_date
    from source one
    join source other
      on other.article_id = one.article_id
     and other.entity_id <> one.entity_id
),

renamed as (
    select
        p.entity_id,
        e.canonical_name,
        e.label,
        p.co_entity_id,
        co.canonical_name as co_canonical_name,
        co.label as co_label,
        count(*) as articles,
        min(p.published_date) as first_date,
        max(p.published_date) as last_date
    from pairs p
    join entities_named e on e.entity_id = p.entity_id
    join entities_named co on co.entity_id = p.co_entity_id
    group by all
)

select * from renamed
