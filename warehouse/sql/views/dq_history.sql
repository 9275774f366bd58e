-- dq_history: data quality per run, from runs and dq_results, newest first when ordered by started_at desc.
--
-- expectations is 0 for runs that validated nothing (nothing new, or failed before validation).
create or replace view dq_history as
with source as (
    select * from runs
),

checks as (
    select
        run_id,
        count(*) as expectations,
        count(*) filter (where success) as passed,
        count(*) filter (where not success) as failed,
        count(*) filter (where not success and critical) as critical_failed,
        coalesce(sum(unexpected_count) filter (where not success), 0)::bigint as failing_rows,
        list(suite || '.' || coalesce(column_name || '.', '') || expectation order by suite, expectation)
            filter (where not success) as failed_expectations
    from dq_results
    group by run_id
),

renamed as (
    select
        r.run_id,
        r.started_at,
        r.finished_at,
        r.status,
        r.published,
        r.articles_read,
        r.articles_new,
        r.articles_changed,
        r.articles_unchanged,
        r.quarantined,
        coalesce(c.expectations, 0) as expectations,
        coalesce(c.passed, 0) as passed,
        coalesce(c.failed, 0) as failed,
        coalesce(c.critical_failed, 0) as critical_failed,
        coalesce(c.failing_rows, 0) as failing_rows,
        coalesce(c.failed_expectations, []) as failed_expectations,
        r.message
    from source r
    left join checks c using (run_id)
)

select * from renamed
