-- The outlets table as it will be after this run: learned from every article's vote (the published
-- votes of articles this run does not restage, plus the staged votes), then the operators' pins.
-- Run by warehouse.loader.finish_staging once every batch is staged; audited, then published.
-- confidence = votes of the home division / (articles that voted + 2): the same rule as
-- transforms.places.outlets.learn_homes (PSEUDO_ARTICLES = 2), so an outlet seen once is a weak prior.
-- tests/test_outlets.py feeds both the same votes (ties included) and checks that they agree.
create or replace table staging.outlets as
with votes as (
    select domain, country_code, admin1, latitude, longitude from staging.outlet_votes
    union all
    select domain, country_code, admin1, latitude, longitude from main.outlet_votes
    where article_id not in (select article_id from staging.articles)
),
seen as (
    select domain, count(*) as articles_seen, count(admin1) as articles_local
    from votes
    group by domain
),
divisions as (
    select domain, country_code, admin1, avg(latitude) as latitude, avg(longitude) as longitude, count(*) as votes
    from votes
    where admin1 is not null
    group by domain, country_code, admin1
),
home as (
    select * from divisions
    -- ties: the division first in (country code, name) order, as learn_homes breaks them
    qualify row_number() over (partition by domain order by votes desc, country_code, admin1) = 1
),
learned as (
    select s.domain, h.country_code, h.admin1, h.latitude, h.longitude, s.articles_seen, s.articles_local,
           coalesce(h.votes / (s.articles_local + 2.0), 0.0) as confidence
    from seen s
    left join home h using (domain)
),
outlets as (
    select
        coalesce(p.domain, l.domain) as domain,
        case when p.domain is not null then p.country_code else l.country_code end as home_country,
        case when p.domain is not null then p.admin1 else l.admin1 end as home_admin1,
        case when p.domain is not null then p.latitude else l.latitude end as home_latitude,
        case when p.domain is not null then p.longitude else l.longitude end as home_longitude,
        coalesce(l.articles_seen, 0) as articles_seen,
        coalesce(l.articles_local, 0) as articles_local,
        case when p.domain is not null then 1.0 else l.confidence end as confidence,
        case when p.domain is not null then 'pinned' else 'learned' end as source,
        p.place_name as pinned_place
    from learned l
    full join main.outlet_pins p on p.domain = l.domain
)
select
    o.*,
    -- learned now when this run brought votes of the outlet, else when it was last learned
    case when o.domain in (select domain from staging.outlet_votes) then current_timestamp
         else coalesce(previous.learned_at, current_timestamp) end as learned_at
from outlets o
left join main.outlets previous on previous.domain = o.domain
