-- Published entities: one row per canonical entity, shared by every article that mentions it.
create table if not exists entities (
    entity_id      varchar primary key,
    label          varchar not null,
    canonical_name varchar not null,
    aliases        varchar[] not null
);
comment on table entities is 'Canonical PERSON, ORG and LOCATION entities; the same canonical name gets the same entity_id in every article and run.';
comment on column entities.entity_id is '16 hex chars of blake2b(label | lower-cased canonical name).';
comment on column entities.label is 'PERSON, ORG or LOCATION.';
comment on column entities.canonical_name is 'The full form (e.g. Nemesio Oseguera Cervantes).';
comment on column entities.aliases is 'Every distinct surface form seen for this entity, accumulated across runs (short forms, nicknames, acronyms, misspellings).';
