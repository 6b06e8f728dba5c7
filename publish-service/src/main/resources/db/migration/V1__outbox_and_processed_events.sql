-- transactional outbox: events written with the change they announce, sent by OutboxRelay
create table outbox (
    id uuid primary key,
    topic text not null,
    record_key text not null,
    type text not null,
    payload text not null,
    created_at timestamptz not null
);
create index outbox_created_at on outbox (created_at);

-- idempotent consumers: one row per event a consumer has applied
create table processed_events (
    consumer text not null,
    event_id uuid not null,
    processed_at timestamptz not null,
    primary key (consumer, event_id)
);
