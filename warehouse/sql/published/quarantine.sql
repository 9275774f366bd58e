create table if not exists quarantine (
    run_id  varchar not null,
    source  varchar not null,
    locator varchar,
    reason  varchar not null,
    raw     varchar
);
comment on table quarantine is 'Input that could not become an article, with the reason and up to 2,000 characters of the raw input. Written as it is found, whatever the run''s outcome.';
