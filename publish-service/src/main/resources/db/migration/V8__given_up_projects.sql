-- Projects the gateway gave up on (video.failed with stage timeout): their pending and waiting publishings were ended,
-- and a video.stored arriving later (it was emitted just before the sweep) creates no publishing.
create table given_up_projects (
    project_id uuid primary key,
    reason text,
    given_up_at timestamptz not null default now()
);
