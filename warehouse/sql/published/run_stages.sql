-- Where each run spent its time: one row per stage, written when the run closes.
create table if not exists run_stages (
    run_id       varchar not null,
    stage        varchar not null,
    calls        bigint not null,
    articles     bigint not null,
    wall_seconds double not null,
    cpu_seconds  double not null,
    primary key (run_id, stage)
);
comment on table run_stages is 'Per-stage timings of each run: fingerprint (a re-run on byte-identical inputs records only it and report), read, parse, classify, extract_entities, extract_places, extract_figures, load_staging, validate, publish, report. Stages overlap (extraction runs in workers while the flow reads and loads), so wall_seconds is the stage''s busy time summed over its batches.';
comment on column run_stages.calls is 'How many times the stage ran (batches, read units).';
comment on column run_stages.articles is 'Articles the stage handled (records read for read).';
comment on column run_stages.cpu_seconds is 'CPU time of the process that ran the stage (all its threads) while it ran.';
comment on column run_stages.run_id is 'The run (runs.run_id).';
comment on column run_stages.stage is 'fingerprint, read, parse, classify, extract_entities, extract_places, extract_figures, load_staging, validate, publish or report.';
comment on column run_stages.wall_seconds is 'Wall time the stage was busy, summed over its calls.';
