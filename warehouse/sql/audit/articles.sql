-- What the articles suite validates: staged articles, without their bodies.
select
    article_id,
    source_id,
    content_sha256,
    change,
    -- transforms.parse publishes a date outside these bounds as NULL (with a quarantine note), so this only
    -- warns: a date must never block a run's publish.
    case when published_date is null then null
         else published_date between date '1900-01-01' and current_date + interval 2 day end as published_date_in_range,
    length(body) as body_chars
from staging.articles
