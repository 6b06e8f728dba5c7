-- console sign-ins: an API key exchanged for a browser session; only the SHA-256 of the cookie's token is kept
create table sessions (
    id uuid primary key,
    token_hash text not null unique,
    -- the API key it was opened with (its id, or 'admin' for the bootstrap key): revoking the key deletes its sessions
    key_id text not null,
    owner_id text not null,
    admin boolean not null,
    created_at timestamptz not null,
    expires_at timestamptz not null,
    -- SHA-256 of the OAuth state of the account connection this session started last: the callback must come back to it
    oauth_state_hash text
);
create index sessions_key on sessions (key_id);
create index sessions_expires on sessions (expires_at);
create index sessions_oauth_state on sessions (oauth_state_hash) where oauth_state_hash is not null;
