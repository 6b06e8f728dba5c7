-- the projects the gateway accepted, and the read model the events fill in
create table projects (
    id uuid primary key,
    owner_id text not null,
    topic text not null,
    template text not null,
    voice text not null,
    language text,
    length_seconds integer not null,
    -- config.publish as JSON text ({platforms, publishAt?, metadata?}), null when not requested
    publish text,
    status text not null,
    title text,
    failure_stage text,
    failure_reason text,
    progress_stage text,
    progress_percent integer,
    progress_at timestamptz,
    video_id uuid,
    video_duration double precision,
    video_resolution text,
    video_size bigint,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create index projects_owner_created on projects (owner_id, created_at desc, id desc);
create index projects_status_created on projects (status, created_at);

create table scenes (
    project_id uuid not null references projects (id) on delete cascade,
    sequence integer not null,
    text text not null,
    duration_seconds double precision not null,
    visual_prompt text,
    primary key (project_id, sequence)
);

create table publishings (
    id uuid primary key,
    project_id uuid not null references projects (id) on delete cascade,
    platform text not null,
    status text not null,
    platform_id text,
    url text,
    publish_at timestamptz,
    published_at timestamptz,
    error_code text,
    error_message text,
    -- occurredAt of the event that set the status: an older event never overwrites a newer one
    status_at timestamptz not null,
    views bigint,
    likes bigint,
    comments bigint,
    metrics_at timestamptz
);
create index publishings_project on publishings (project_id);

create table api_keys (
    id uuid primary key,
    owner_id text not null,
    name text not null,
    -- SHA-256 (hex) of the secret; the secret itself is shown once and never stored
    key_hash text not null unique,
    prefix text not null,
    created_at timestamptz not null,
    revoked_at timestamptz
);

create table idempotency_keys (
    owner_id text not null,
    idempotency_key text not null,
    request_hash text not null,
    status integer not null,
    response text not null,
    created_at timestamptz not null,
    primary key (owner_id, idempotency_key)
);
