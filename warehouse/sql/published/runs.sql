create table if not exists runs (
    run_id             varchar primary key,
    started_at         timestamp not null,
    finished_at        timestamp,
    status             varchar not null,
    articles_read      bigint default 0,
    articles_new       bigint default 0,
    articles_changed   bigint default 0,
    articles_unchanged bigint default 0,
    quarantined        bigint default 0,
    mentions           bigint default 0,
    places             bigint default 0,
    figures            bigint default 0,
    published          boolean default false,
    message            varchar,
    report_path        varchar,
    schema_version     varchar,
    newsetl_version    varchar,
    extractor_version  varchar
);
comment on table runs is 'One row per newsetl run. status: running, published, blocked (validation failed, nothing published), failed (error), abandoned (its process died before it finished: marked so by the next run, with when and why), unchanged (nothing new to publish).';
comment on column runs.schema_version is 'Warehouse schema the run wrote (warehouse_schema.schema_version). NULL for runs made before versions were recorded.';
comment on column runs.newsetl_version is 'Version of the newsetl package that ran.';
comment on column runs.extractor_version is 'newsetl version + digest of the extraction code, lexicons, models and gazetteer packages: rows published by this run were extracted by it.';
comment on column runs.run_id is 'A UUID per run.';
comment on column runs.started_at is 'When the run started (local time of the machine).';
comment on column runs.finished_at is 'When it ended; NULL while running.';
comment on column runs.status is 'running, published, blocked, failed, abandoned or unchanged (see the table''s comment).';
comment on column runs.articles_read is 'Articles read from the inputs (records that parsed).';
comment on column runs.articles_new is 'Of those, articles not published before.';
comment on column runs.articles_changed is 'Articles published before whose title or body changed (their rows are replaced).';
comment on column runs.articles_unchanged is 'Articles published before with the same content (not extracted again).';
comment on column runs.quarantined is 'Records refused into quarantine (notes about published articles not counted).';
comment on column runs.mentions is 'Entity mentions the run staged.';
comment on column runs.places is 'Places the run staged.';
comment on column runs.figures is 'Figures the run staged.';
comment on column runs.published is 'True when the run committed its publish.';
comment on column runs.message is 'Why the run was blocked, failed or abandoned, or what it found (nothing new).';
comment on column runs.report_path is 'The HTML report the run wrote (index.html).';
