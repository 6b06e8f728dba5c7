-- one render job per project: a redelivered or repeated video.requested never makes a second job (or video)
create table render_jobs (
    project_id uuid primary key,
    event_id uuid,
    owner_id text not null,
    request text,
    status text not null check (status in ('queued', 'running', 'done', 'failed', 'cancelled')),
    attempts int not null default 0,
    claimed_at timestamptz,
    heartbeat_at timestamptz,
    not_before timestamptz not null default now(),
    error text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create index render_jobs_claimable on render_jobs (created_at) where status in ('queued', 'running');
