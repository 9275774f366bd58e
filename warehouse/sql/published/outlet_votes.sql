-- Published outlet votes: the evidence the outlets table is learned from, one row per article with a url.
create table if not exists outlet_votes (
    article_id   varchar primary key,
    domain       varchar not null,
    country_code varchar,
    admin1       varchar,
    latitude     double,
    longitude    double
);
comment on table outlet_votes is 'One row per published article with a readable url: its outlet (registered domain) and the first-level division the article is local to (the division that holds a reading of the most of its place names), or NULLs when none stands out. outlets is learned from these rows.';
comment on column outlet_votes.domain is 'Registered domain of articles.url, lower case, without www (news.bbc.co.uk -> bbc.co.uk).';
comment on column outlet_votes.country_code is 'ISO 3166-1 alpha-2 of the division the article is local to; NULL when it is local to none.';
comment on column outlet_votes.admin1 is 'Name of that first-level division, as places.admin1 names it.';
comment on column outlet_votes.latitude is 'The division''s point (GeoNames, via the gazetteer).';
comment on column outlet_votes.article_id is 'The voting article (articles.article_id).';
comment on column outlet_votes.longitude is 'The division''s point (GeoNames, via the gazetteer).';
