-- place_articles: every place named literally in an article, with its coordinates and article count (for maps).
--
-- Only `literal` mentions count: a place inside an organisation's name ("Jalisco New
-- Generation Cartel", usage embedded) or a demonym ("Mexican") is not a statement that
-- something happened there.
create or replace view place_articles as
with source as (
    select m.place_id, m.article_id, a.published_date
    from mentions m
    join articles a using (article_id)
    where m.usage = 'literal' and m.place_id is not null
),

counted as (
    select
        place_id,
        count(distinct article_id) as articles,
        count(*) as mentions,
        min(published_date) as first_date,
        max(published_date) as last_date
    from source
    group by place_id
),

renamed as (
    select
        p.place_id,
        p.name,
        p.feature_type,
        p.country_code,
        p.admin1,
        p.latitude,
        p.longitude,
        c.articles,
        c.mentions,
        c.first_date,
        c.last_date
    from counted c
    join places p using (place_id)
)

select * from renamed
