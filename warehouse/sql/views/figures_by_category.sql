-- figures_by_category: the figures articles state, grouped by kind, event category and unit.
--
-- Every claim counts (a toll repeated by two sources is two claims); article_casualties settles
-- casualty claims into one number per article. examples are up to three texts as written.
create or replace view figures_by_category as
with source as (
    select kind, category, unit, value, text, article_id, start_char from figures
),

renamed as (
    select
        kind,
        category,
        unit,
        count(*) as claims,
        count(distinct article_id) as articles,
        sum(value) as total_value,
        min(value) as min_value,
        max(value) as max_value,
        list(text order by article_id, start_char)[1:3] as examples
    from source
    group by all
)

select * from renamed
