-- What each finished run read, so a re-run on byte-identical inputs is answered without reading articles again.
create table if not exists input_fingerprints (
    run_id      varchar primary key,
    fingerprint varchar not null
);
comment on table input_fingerprints is 'sha256 over the path and bytes of every input file a run read (published and unchanged runs only).';
comment on column input_fingerprints.run_id is 'The finished run (runs.run_id) that read these inputs.';
comment on column input_fingerprints.fingerprint is 'sha256 over the path and bytes of every input file the run read.';
