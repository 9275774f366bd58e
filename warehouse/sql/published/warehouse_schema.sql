-- Which contract the warehouse follows: one row per migration (the first run creates the first row).
create table if not exists warehouse_schema (
    schema_version  varchar not null,
    newsetl_version varchar not null,
    migrated_at     timestamp not null,
    changes         varchar[]
);
comment on table warehouse_schema is 'One row each time newsetl brought this warehouse to its contract (warehouse/sql/published and views). The newest row names the schema in force. See docs/input-and-quarantine.md, "Versioned warehouse".';
comment on column warehouse_schema.schema_version is '16 hex chars of sha256 over the contract DDL (every published table and view definition).';
comment on column warehouse_schema.newsetl_version is 'Version of the newsetl package that ran the migration.';
comment on column warehouse_schema.changes is 'What the migration did: tables created, columns added (table.column), views created or replaced.';
comment on column warehouse_schema.migrated_at is 'When the migration ran.';
