-- Issue 15 (V9: V8 is given_up_projects): per-request YouTube options (madeForKids, containsSyntheticMedia, firstComment) and Instagram options
-- (firstComment), kept per publishing like tiktok_options; the id of the first comment once posted.
alter table publishings add column youtube_options text;
alter table publishings add column instagram_options text;
alter table publishings add column first_comment_id text;
