create table if not exists quarantine (
    run_id     varchar not null,
    source     varchar not null,
    locator    varchar,
    reason     varchar not null,
    raw        varchar,
    article_id varchar
);
comment on table quarantine is 'Input that could not become an article, with the reason and up to 2,000 characters of the raw input; and notes on records kept with a correction (article_id set). Written as it is found, whatever the run''s outcome. See docs/input-and-quarantine.md.';
comment on column quarantine.source is 'Input file (bytes that are not UTF-8 in its name shown as \xNN).';
comment on column quarantine.locator is 'Where in the file: line N (JSON Lines), NEWID=N or offset N (Reuters SGML), empty for a whole file.';
comment on column quarantine.reason is 'Why, in plain words.';
comment on column quarantine.raw is 'The first 2,000 characters of the record as read (invalid bytes replaced).';
comment on column quarantine.article_id is 'Set on a note: the article this record was published as, with the problem corrected (e.g. an out-of-range date set to NULL). NULL: the record was not published.';
comment on column quarantine.run_id is 'The run that found the record (runs.run_id).';
