-- Entities of this run, derived from its staged mentions once all batches are loaded.
create or replace table staging.entities as
with named as (
    select entity_id, label, canonical_name, text from staging.mentions
),
grouped as (
    select
        entity_id,
        mode(label) as label,
        mode(canonical_name) as canonical_name,
        list_sort(list_distinct(list(text))) as aliases
    from named
    group by entity_id
)
select * from grouped;
