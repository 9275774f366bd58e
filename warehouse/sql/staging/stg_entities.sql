-- Entities of this run, derived from its staged mentions once all batches are loaded.
create or replace table staging.entities as
with named as (
    select entity_id, label, canonical_name, text from staging.mentions
),
spellings as (
    select entity_id, label, canonical_name, count(*) as uses
    from named
    group by all
),
chosen as (
    -- the most used spelling ("CenTrust" over "Centrust"); ties go to the first in sort order,
    -- so that two runs over the same articles always agree
    select
        entity_id,
        first(label order by uses desc, label) as label,
        first(canonical_name order by uses desc, canonical_name) as canonical_name
    from spellings
    group by entity_id
),
aliases as (
    select entity_id, list_sort(list_distinct(list(text))) as aliases
    from named
    group by entity_id
)
select c.entity_id, c.label, c.canonical_name, a.aliases
from chosen c
join aliases a using (entity_id);
