-- Published outlets: each news outlet's home region, learned from its articles or pinned.
create table if not exists outlets (
    domain         varchar primary key,
    home_country   varchar,
    home_admin1    varchar,
    home_latitude  double,
    home_longitude double,
    articles_seen  bigint not null,
    articles_local bigint not null,
    confidence     double not null,
    source         varchar not null,
    pinned_place   varchar,
    learned_at     timestamp not null
);
comment on table outlets is 'One row per outlet (registered domain of article urls): its home region, used by the geoparser as a prior for ambiguous and unqualified local names ("the Sheriff''s Office in Alexandria"). Learned from outlet_votes over every run; a row of outlet_pins wins.';
comment on column outlets.domain is 'Registered domain, lower case, without www (news.bbc.co.uk -> bbc.co.uk).';
comment on column outlets.home_country is 'ISO 3166-1 alpha-2 of the home region; NULL when no division stands out yet.';
comment on column outlets.home_admin1 is 'First-level division of the home region (state, province, nation of the UK), as places.admin1 names it.';
comment on column outlets.home_latitude is 'Home point: the home division''s GeoNames point (or the pinned place''s).';
comment on column outlets.articles_seen is 'Published articles of the outlet.';
comment on column outlets.articles_local is 'Of those, articles local to some one division (the votes).';
comment on column outlets.confidence is '0..1: votes for the home division / (articles_local + 2), so one article gives at most 0.33; 1 for a pin.';
comment on column outlets.source is 'learned | pinned.';
comment on column outlets.pinned_place is 'The place an operator pinned, as the gazetteer names it; NULL when learned.';
comment on column outlets.learned_at is 'When a run last brought articles of the outlet (or when it was pinned).';
comment on column outlets.home_longitude is 'Home point: the home division''s GeoNames point (or the pinned place''s).';
