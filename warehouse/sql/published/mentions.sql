-- Published mentions: every entity span in every article.
create table if not exists mentions (
    mention_id varchar primary key,
    article_id varchar not null,
    entity_id  varchar not null,
    label      varchar not null,
    text       varchar not null,
    start_char bigint not null,
    end_char   bigint not null,
    usage      varchar not null,
    place_id   bigint
);
comment on table mentions is 'Entity mentions. body[start_char:end_char] = text (Python indices, end exclusive). Mentions do not overlap, except usage=embedded ones which sit inside an ORG mention.';
comment on column mentions.mention_id is 'article_id:start_char:end_char:usage initial.';
comment on column mentions.label is 'PERSON, ORG or LOCATION.';
comment on column mentions.usage is 'literal (the text names the entity), embedded (a place inside an organisation name), demonym (Mexican -> Mexico). Maps use literal places only.';
comment on column mentions.place_id is 'For a LOCATION resolved to the gazetteer: places.place_id (GeoNames id).';
comment on column mentions.article_id is 'The article of the mention (articles.article_id).';
comment on column mentions.entity_id is 'The entity mentioned (entities.entity_id).';
comment on column mentions.text is 'The mention as written: body[start_char:end_char].';
comment on column mentions.start_char is 'Start offset of text in articles.body (Python string index).';
comment on column mentions.end_char is 'End offset of text in articles.body (exclusive).';
