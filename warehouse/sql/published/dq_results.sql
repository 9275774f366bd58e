create table if not exists dq_results (
    run_id           varchar not null,
    suite            varchar not null,
    expectation      varchar not null,
    column_name      varchar,
    critical         boolean not null,
    success          boolean not null,
    unexpected_count bigint,
    details          json
);
comment on table dq_results is 'Great Expectations results per run and expectation. details holds the arguments and a sample of failing rows (their keys and values).';
