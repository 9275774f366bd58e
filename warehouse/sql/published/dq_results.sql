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
comment on column dq_results.run_id is 'The run whose staged rows were validated (runs.run_id).';
comment on column dq_results.suite is 'Expectation suite: the published table it checks (expectations/suites/<suite>.json).';
comment on column dq_results.expectation is 'Great Expectations expectation type, e.g. expect_column_values_to_not_be_null.';
comment on column dq_results.column_name is 'Column the expectation checks; NULL for a table-level expectation.';
comment on column dq_results.critical is 'True when a failure blocks the publish; false for a warning.';
comment on column dq_results.success is 'True when the expectation held on the run''s staged rows.';
comment on column dq_results.unexpected_count is 'Rows that failed the expectation (0 when it held).';
comment on column dq_results.details is 'JSON: the expectation''s arguments, element_count (rows audited) and failing_rows (a sample of failing rows'' keys).';
