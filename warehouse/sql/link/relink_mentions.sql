-- Links made across all the run's articles (warehouse/loader.py link_staged_mentions), applied to staging.
-- linked_mentions: the mentions whose label or canonical name changed (mention_id, label, canonical_name,
-- entity_id, old_entity_id), registered by the caller.
update staging.mentions m
set label = l.label, canonical_name = l.canonical_name, entity_id = l.entity_id
from linked_mentions l
where m.mention_id = l.mention_id;

-- a figure attributed to an entity that no mention names any more is attributed to what it became
update staging.figures f
set source_entity_id = l.entity_id
from (select old_entity_id, min(entity_id) as entity_id from linked_mentions group by all) l
where f.source_entity_id = l.old_entity_id
  and not exists (select 1 from staging.mentions m where m.entity_id = l.old_entity_id);
