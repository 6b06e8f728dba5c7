-- uploads now go straight to their final key (in the videos bucket), not to a staging key that finalize copies: each grant
-- records the bucket it presigned for (rows from before this change staged in the staging bucket) and, for a multipart
-- upload, the SHA-256 of every part it signed (hex, comma-separated in part order), which prove the object's composite
-- checksum; the sweeper removes grants never finalized, with their objects, by age
alter table uploads add column bucket text not null default 'staging';
alter table uploads add column part_sha256 text;
create index uploads_key on uploads (staging_key);
create index uploads_created_at on uploads (created_at);
