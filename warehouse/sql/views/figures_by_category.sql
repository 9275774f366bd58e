-- figures_by_category: the figures articles state, grouped by kind, event category, scope and unit.
--
-- Every claim counts, in every scope (a toll repeated by two sources is two claims; a total over a
-- year is scope 'aggregate', a toll of an earlier event 'other_event', a could-be 'hypothetical'):
-- filter on scope = 'incident' for this article's events. article_casualties settles the plausible
-- incident casualty claims into one number per article. implausible counts the figures validation
-- marked plausible = false. examples are up to three texts as written.
create or replace view figures_by_category as
with source as (
    select kind, category, scope, unit, value, plausible, text, article_id, start_char from figures
),

renamed as (
    select
        kind,
        category,
        scope,
        unit,
        count(*) as claims,
        count(distinct article_id) as articles,
        count(*) filter (where not coalesce(plausible, true)) as implausible,
        sum(value) as total_value,
        min(value) as min_value,
        max(value) as max_value,
        list(text order by article_id, start_char)[1:3] as examples
    from source
    group by all
)

select * from renamed
