-- An account made from the operator's configured tokens (publish.<platform>.default-*) keeps a SHA-256 of what was
-- configured: a changed configuration replaces its tokens, while the tokens rotated since by refreshes are kept.
-- Null for accounts the owner connected or registered.
alter table accounts add column configured_tokens text;

-- Until when an account's platform calls wait (a rate limit, a used-up quota) and why; every replica reads it here.
alter table accounts add column paused_until timestamptz;
alter table accounts add column pause_reason text;
alter table accounts add column pause_message text;

-- Calls a platform counts per account in a sliding window (TikTok: 6 video inits a minute per token), so replicas pace
-- them together. Rows older than the window are deleted as new calls are counted.
create table account_calls (
    id uuid primary key,
    owner_id text not null,
    platform text not null,
    operation text not null,
    made_at timestamptz not null
);
create index account_calls_window on account_calls (owner_id, platform, operation, made_at);

-- A publishing held back by a rate limit or quota: why, until when, and the status it goes back to afterwards.
alter table publishings add column waiting_until timestamptz;
alter table publishings add column wait_reason text;
alter table publishings add column wait_message text;
alter table publishings add column resume_status text;

-- TikTok's post-screen choices of a publish request (privacy level, interactions, commercial disclosure), as JSON; null: the
-- ones the video's create request carried
alter table publishings add column tiktok_options text;
