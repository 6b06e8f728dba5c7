-- started OAuth connect flows: the state handed to the platform's consent page, usable once before it expires.
-- Only a SHA-256 of the state is kept, so reading this table does not let anyone complete someone else's flow.
create table oauth_states (
    state_hash text primary key,
    owner_id text not null,
    platform text not null,
    redirect_uri text not null,
    expires_at timestamptz not null,
    used_at timestamptz,
    created_at timestamptz not null
);
create index oauth_states_expiry on oauth_states (expires_at);
