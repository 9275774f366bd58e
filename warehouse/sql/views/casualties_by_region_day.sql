-- casualties_by_region_day: killed, wounded and arrested (article_casualties) per country, admin1 and day.
--
-- Scopes: article_casualties sums only plausible figures of scope 'incident' (each article's own event),
-- so totals over earlier events, yearly tallies and could-be tolls are not added here.
--
-- Each article counts once, in ONE region, so that totals add up (an article naming Jalisco,
-- Colima and Mexico City is one event report, not three):
--
-- 1. Only literal place mentions count (not "Mexican", not "Jalisco New Generation Cartel").
-- 2. The article's region is the first-level division (country_code, admin1) with the most
--    literal mentions of places in it: the admin1 itself, its admin2s and its cities
--    (Tapalpa counts for Jalisco). Sub-national places win over countries, because an article
--    about Tapalpa names Mexico and the United States as context, not as the scene.
-- 3. With no sub-national place, the region is the most mentioned country (admin1 NULL).
-- 4. Ties go to the place mentioned first in the body.
-- 5. Articles with no literal place are kept with country_code and admin1 NULL, so the
--    national and unplaced rows still sum to the whole.
-- Articles without a published_date have day NULL.
create or replace view casualties_by_region_day as
with source as (
    select c.article_id, c.killed, c.wounded, c.arrested, a.published_date as day
    from article_casualties c
    join articles a using (article_id)
),

literal_places as (
    select
        m.article_id,
        p.country_code,
        case when p.feature_type = 'country' then null else p.admin1 end as admin1,
        m.start_char
    from mentions m
    join places p using (place_id)
    where m.usage = 'literal'
),

region_votes as (
    select
        article_id,
        country_code,
        admin1,
        count(*) as mentions,
        min(start_char) as first_char
    from literal_places
    group by all
),

article_region as (
    select article_id, country_code, admin1
    from region_votes
    qualify row_number() over (
        partition by article_id
        order by (admin1 is not null) desc, mentions desc, first_char
    ) = 1
),

renamed as (
    select
        s.day,
        r.country_code,
        r.admin1,
        count(*) as articles,
        sum(s.killed)::bigint as killed,
        sum(s.wounded)::bigint as wounded,
        sum(s.arrested)::bigint as arrested
    from source s
    left join article_region r using (article_id)
    group by all
)

select * from renamed
