-- optimistic locks: events for one project are applied by concurrent consumers that each load the row and write it back;
-- without a version check a late video.progress wrote a stale 'processing' over 'stored' (a lost update)
alter table projects add column version bigint not null default 0;
alter table publishings add column version bigint not null default 0;
