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
    report_path        varchar
);
comment on table runs is 'One row per newsetl run. status: running, published, blocked (validation failed, nothing published), failed (error), abandoned (its process died before it finished: marked so by the next run, with when and why), unchanged (nothing new to publish).';
