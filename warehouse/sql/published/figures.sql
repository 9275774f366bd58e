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
    source_entity_id varchar,
    scope            varchar,
    additive         boolean,
    role             varchar,
    event_kind       varchar,
    plausible        boolean not null default true,
    implausible_reason varchar
);
-- Warehouses made before these columns get them from warehouse/migrate.py (added with their defaults).
comment on table figures is 'Figures stated in articles (every claim kept; article_casualties summarises). body[start_char:end_char] = text.';
comment on column figures.kind is 'COUNT, MONEY, PERCENT, YEAR, DATE or QUANTITY.';
comment on column figures.category is 'Event category of a COUNT (KILL, WOUND, SHOOT (hit by gunfire, outcome not stated), ARREST, CHARGE, KIDNAP, MISSING, RESCUE, DISPLACE, EVACUATE, SEIZE, PROTEST, AFFECT), in every scope; else NULL.';
comment on column figures.value is 'The number, scale applied (USD 15 million -> 15000000). DATE values are yyyymmdd (20260223).';
comment on column figures.value_max is 'Upper end of a range, else NULL.';
comment on column figures.qualifier is 'at least, more than, about, up to, nearly, ... as written.';
comment on column figures.unit is 'ISO 4217 code for MONEY, % for PERCENT.';
comment on column figures.object is 'What is counted (cartel members, military personnel).';
comment on column figures.source_entity_id is 'Entity the sentence attributes the figure to (Leavitt said ...).';
comment on column figures.scope is 'Which event a COUNT with a category is about: incident (this article''s event; the only scope article_casualties sums), other_event (an earlier or separate incident), aggregate (totals over periods or places), hypothetical (could, would, threatened); NULL for other figures.';
comment on column figures.additive is 'A COUNT of people beyond the claim it follows (three other cartel members, another man, killing himself), not a restatement; NULL for other kinds.';
comment on column figures.role is 'Who a COUNT of people counts when the text says so: victim, perpetrator (suspect, gunman, ...) or officer; else NULL. A perpetrator who dies is counted killed beyond the victims.';
comment on column figures.event_kind is 'The kind of event a casualty COUNT is about when the text says so: disaster (its sentence or the two before it name an earthquake, tsunami, flood, cyclone, famine, gas leak, ...); else NULL. The plausibility cap on one incident''s toll depends on it.';
comment on column figures.plausible is 'False when a plausibility rule of validation rejects the value (staging.figure_implausibility in warehouse/sql/staging/stg_figures.sql; listed in the Data Docs); such figures stay out of article_casualties.';
comment on column figures.implausible_reason is 'Why plausible is false (more than 5,000 killed in one incident that is no disaster, a count of metres, ...), else NULL.';
comment on column figures.figure_id is 'Stable id of the figure: article_id and its offsets.';
comment on column figures.article_id is 'The article stating the figure (articles.article_id).';
comment on column figures.text is 'The figure as written: body[start_char:end_char].';
comment on column figures.start_char is 'Start offset of text in articles.body (Python string index).';
comment on column figures.end_char is 'End offset of text in articles.body (exclusive).';
