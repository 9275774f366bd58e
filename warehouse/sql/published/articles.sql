-- Published articles: one row per source record, replaced when its content changes.
create table if not exists articles (
    article_id     varchar primary key,
    source_id      varchar not null,
    title          varchar,
    body           varchar not null,
    published_date date,
    url            varchar,
    content_sha256 varchar not null,
    first_run_id   varchar not null,
    last_run_id    varchar not null,
    extractor_version varchar
);
comment on table articles is 'One row per article. article_id = blake2b-64 of source_id (hex). Offsets elsewhere are Python string indices into body, end exclusive.';
comment on column articles.article_id is 'Stable id: 16 hex chars of blake2b(source_id).';
comment on column articles.source_id is 'The record''s own id: JSONL id, Reuters NEWID, or the file path relative to the input root.';
comment on column articles.title is 'Headline (seed first line, BBC first line, Reuters TITLE, JSONL title).';
comment on column articles.body is 'Article text exactly as read; all offsets index into it.';
comment on column articles.published_date is 'Publication date when the source gives a readable one, else NULL.';
comment on column articles.url is 'Source URL when given.';
comment on column articles.content_sha256 is 'sha256 of title and body: a changed value for the same source_id replaces the article.';
comment on column articles.first_run_id is 'Run that first published this article.';
comment on column articles.last_run_id is 'Run that last published this article''s content.';
comment on column articles.extractor_version is 'Extractor that produced this article''s mentions, places and figures (runs.extractor_version of last_run_id). NULL for articles published before versions were recorded.';
