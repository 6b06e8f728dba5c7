-- webhook endpoints an owner registered; the signing secrets are AES-GCM encrypted with webhooks.secret-key
create table webhook_endpoints (
    id uuid primary key,
    owner_id text not null,
    url text not null,
    description text,
    -- comma-separated event types, null = every type
    events text,
    secret text not null,
    -- after a rotation the old secret still signs deliveries (a second v1=) until previous_secret_expires_at
    previous_secret text,
    previous_secret_expires_at timestamptz,
    created_at timestamptz not null,
    disabled_at timestamptz,
    disabled_reason text
);
create index webhook_endpoints_owner on webhook_endpoints (owner_id, created_at);

-- what the owner's endpoints were last told about each project: the next event's sequence number and the statuses an
-- event announced, so a change is announced once whichever transaction applies it
create table webhook_project_states (
    project_id uuid primary key references projects (id) on delete cascade,
    sequence bigint not null,
    status text,
    -- JSON object publishing id -> status
    publishings text not null
);

-- one row per event and endpoint, written in the transaction that applies the change; sent by WebhookDispatcher
create table webhook_deliveries (
    id uuid primary key,
    endpoint_id uuid not null references webhook_endpoints (id) on delete cascade,
    event_id uuid not null,
    event_type text not null,
    project_id uuid not null,
    sequence bigint not null,
    payload text not null,
    -- pending, delivered, failed
    status text not null,
    attempts integer not null default 0,
    next_attempt_at timestamptz not null,
    -- while one attempt is in flight; a replica that dies mid-attempt leaves it to expire
    lease_until timestamptz,
    -- retried until then, then failed and the endpoint disabled
    deadline timestamptz not null,
    last_attempt_at timestamptz,
    last_status_code integer,
    last_error text,
    resend_of uuid,
    created_at timestamptz not null,
    delivered_at timestamptz
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status = 'pending';
create index webhook_deliveries_queue on webhook_deliveries (endpoint_id, project_id, sequence) where status = 'pending';
create index webhook_deliveries_log on webhook_deliveries (endpoint_id, created_at desc);
