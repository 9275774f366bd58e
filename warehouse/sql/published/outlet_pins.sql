-- Operators' pins: an outlet's home region set by hand (newsetl outlets pin DOMAIN PLACE); a pin wins over what was learned.
create table if not exists outlet_pins (
    domain       varchar primary key,
    place_id     bigint not null,
    place_name   varchar not null,
    country_code varchar not null,
    admin1       varchar,
    latitude     double not null,
    longitude    double not null,
    pinned_at    timestamp not null
);
comment on table outlet_pins is 'Home regions pinned by an operator (newsetl outlets pin DOMAIN PLACE, or --csv FILE). A pin sets the outlet''s home country and first-level division with confidence 1, whatever its articles say.';
comment on column outlet_pins.place_id is 'GeoNames id of the pinned place (a country, a first-level division or a town).';
comment on column outlet_pins.admin1 is 'First-level division of the pinned place (the place itself when it is one); NULL when a country was pinned.';
comment on column outlet_pins.domain is 'Registered domain of the pinned outlet, lower case, without www.';
comment on column outlet_pins.place_name is 'The pinned place as the gazetteer names it.';
comment on column outlet_pins.country_code is 'ISO 3166-1 alpha-2 of the pinned place.';
comment on column outlet_pins.latitude is 'Latitude of the pinned place (GeoNames point).';
comment on column outlet_pins.longitude is 'Longitude of the pinned place (GeoNames point).';
comment on column outlet_pins.pinned_at is 'When the pin was made (the machine''s local time, as runs.started_at).';
