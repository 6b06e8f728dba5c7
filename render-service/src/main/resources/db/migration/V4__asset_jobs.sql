-- One normalise job per media-library asset (asset.uploaded): probe the original, reject it or make the normalised copy.
-- Runs on the kit's job runner (run_at, locked_until, lease_token, attempts); asset.deleted cancels it, and a cancelled row
-- keeps a late asset.uploaded from making a new job.
create table asset_jobs (
    asset_id uuid primary key,
    event_id uuid,
    owner_id text not null,
    kind text,
    content_type text,
    status text not null check (status in ('queued', 'running', 'done', 'rejected', 'failed', 'cancelled')),
    attempts int not null default 0,
    claimed_at timestamptz,
    run_at timestamptz not null default now(),
    locked_until timestamptz,
    lease_token uuid,
    error text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create index asset_jobs_due on asset_jobs (run_at) where status in ('queued', 'running');
