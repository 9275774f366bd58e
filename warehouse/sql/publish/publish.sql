-- Replace the published rows of every staged article, in one transaction run by warehouse.publisher.
-- $run_id is bound by the caller.
delete from mentions where article_id in (select article_id from staging.articles);
delete from figures where article_id in (select article_id from staging.articles);
delete from outlet_votes where article_id in (select article_id from staging.articles);

-- Columns by name: a migrated warehouse may hold them in another order than a new one.
insert or replace into articles (article_id, source_id, title, body, published_date, url, content_sha256,
                                first_run_id, last_run_id, extractor_version)
with staged as (
    select s.*, a.first_run_id as previous_first_run_id
    from staging.articles s
    left join articles a using (article_id)
)
select
    article_id, source_id, title, body, published_date, url, content_sha256,
    coalesce(previous_first_run_id, $run_id) as first_run_id,
    $run_id as last_run_id,
    (select extractor_version from runs where run_id = $run_id) as extractor_version
from staged;

insert into entities by name
select entity_id, label, canonical_name, aliases from staging.entities
on conflict (entity_id) do update set aliases = list_sort(list_distinct(list_concat(entities.aliases, excluded.aliases)));

insert or replace into places by name select * from staging.places;

insert into mentions by name
select mention_id, article_id, entity_id, label, text, start_char, end_char, usage, place_id from staging.mentions;

insert into figures by name
with judged as (
    select *, staging.figure_implausibility(kind, category, scope, value, value_max, object, event_kind) as implausible_reason
    from staging.figures
)
select *, implausible_reason is null as plausible from judged;

insert into outlet_votes by name select * from staging.outlet_votes;

-- outlets: the table as learned over every run (staging.outlets, audited), replacing the old one
delete from outlets;
insert into outlets by name select * from staging.outlets;
