-- Published figures: every number an article states, with its meaning.
create table if not exists figures (
    figure_id        varchar primary key,
    article_id       varchar not null,
    kind             varchar not null,
    category         varchar,
    value            double not null,
    value_max        double,
    qualifier        varchar,
    unit             varchar,
    object           varchar,
    text             varchar not null,
    start_char       bigint not null,
    end_char         bigint not null,
    source_entity_id varchar
);
comment on table figures is 'Figures stated in articles (every claim kept; article_casualties summarises). body[start_char:end_char] = text.';
comment on column figures.kind is 'COUNT, MONEY, PERCENT, YEAR, DATE or QUANTITY.';
comment on column figures.category is 'Event category of a COUNT (KILL, WOUND, ARREST, KIDNAP, MISSING, DISPLACE, EVACUATE, SEIZE, PROTEST, AFFECT), else NULL.';
comment on column figures.value is 'The number, scale applied (USD 15 million -> 15000000). DATE values are yyyymmdd (20260223).';
comment on column figures.value_max is 'Upper end of a range, else NULL.';
comment on column figures.qualifier is 'at least, more than, about, up to, nearly, ... as written.';
comment on column figures.unit is 'ISO 4217 code for MONEY, % for PERCENT.';
comment on column figures.object is 'What is counted (cartel members, military personnel).';
comment on column figures.source_entity_id is 'Entity the sentence attributes the figure to (Leavitt said ...).';
