select
    entity_id,
    label,
    canonical_name,
    len(aliases) as alias_count
from staging.entities
