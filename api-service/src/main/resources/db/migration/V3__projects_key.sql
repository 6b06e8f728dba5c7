-- the API key that created each project: the per-key create rate is counted from these rows, so every replica of the
-- gateway sees the same count (a limit held in one replica's memory let a key create N times the rate behind N replicas)
alter table projects add column key_id text;
create index projects_key_created on projects (key_id, created_at);
-- an owner's projects in flight, counted on every create when the cap is on: a partial index keeps that count as small
-- as the cap whatever the owner's history
create index projects_owner_in_flight on projects (owner_id) where status in ('processing', 'rendered');
