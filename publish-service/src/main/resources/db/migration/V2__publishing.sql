-- every video.stored this service saw: enough to publish later without asking anyone
create table videos (
    video_id uuid primary key,
    project_id uuid not null,
    owner_id text not null,
    storage_key text not null,
    sha256 text not null,
    size_bytes bigint not null,
    duration_seconds double precision not null,
    resolution text not null,
    metadata text,
    publish_request text,
    stored_at timestamptz not null
);
create index videos_project on videos (project_id, stored_at desc);

-- one publishing per (video, platform, generation); a republish is a new generation
create table publishings (
    id uuid primary key,
    video_id uuid not null,
    project_id uuid not null,
    owner_id text not null,
    platform text not null,
    generation int not null default 0,
    status text not null,
    metadata text,
    publish_at timestamptz,
    -- the platform's handle of the transfer in progress: YouTube session URI, TikTok publish_id, Instagram container id
    upload_ref text,
    -- TikTok upload_url
    upload_url text,
    platform_id text,
    url text,
    published_at timestamptz,
    error_code text,
    error_message text,
    views bigint,
    likes bigint,
    comments bigint,
    metrics_collected_at timestamptz,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    unique (video_id, platform, generation)
);
create index publishings_project on publishings (project_id, created_at);

-- work to do: claimed with FOR UPDATE SKIP LOCKED and leased, so replicas share it and a crashed worker's job comes back
create table publish_jobs (
    publishing_id uuid primary key references publishings (id) on delete cascade,
    run_at timestamptz not null,
    locked_until timestamptz,
    attempts int not null default 0
);
create index publish_jobs_due on publish_jobs (run_at);

-- connected platform accounts; tokens are AES-GCM encrypted with publish.token-key
create table accounts (
    owner_id text not null,
    platform text not null,
    access_token text not null,
    refresh_token text,
    expires_at timestamptz,
    platform_user_id text,
    status text not null,
    updated_at timestamptz not null,
    primary key (owner_id, platform)
);
