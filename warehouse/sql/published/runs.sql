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
