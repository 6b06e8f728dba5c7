-- DELETE /api/videos/{id}?fromPlatforms=true: the video is also deleted where the platform's API allows. Per publishing:
-- pending until tried, then deleted, unsupported (the platform has no delete call) or failed (with why); tried again at
-- deletion_due_at while pending (a crashed try comes back after a few minutes).
alter table publishings add column platform_deletion text;
alter table publishings add column platform_deletion_message text;
alter table publishings add column deletion_due_at timestamptz;
create index publishings_deletion_due on publishings (deletion_due_at) where platform_deletion = 'pending';
