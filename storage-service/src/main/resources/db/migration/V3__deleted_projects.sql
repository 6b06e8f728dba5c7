-- tombstones of deleted projects: a late or redelivered video.rendered for one of them must not store the video again
create table deleted_projects (
    project_id uuid primary key,
    deleted_at timestamptz not null
);
