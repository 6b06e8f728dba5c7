-- after DELETE /api/videos/{id}?fromPlatforms=true: what became of each publishing's video on its platform (pending, deleted,
-- unsupported, failed), as publish-service reports it on video.published
alter table publishings add column platform_deletion text;
alter table publishings add column platform_deletion_message text;
