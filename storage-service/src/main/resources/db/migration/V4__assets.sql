-- the media library: owners' clips, images and music (docs/MEDIA-LIBRARY.md). One row per asset, from its upload grant
-- ('uploading') through 'processing' (original verified, asset.uploaded sent) to 'ready' (normalised copy verified,
-- asset.ready sent), or 'rejected' (with reason) or 'deleted'. An upload never completed is swept with its object.
create table assets (
    id uuid primary key,
    owner_id text not null,
    status text not null check (status in ('uploading', 'processing', 'ready', 'rejected', 'deleted')),
    kind text not null check (kind in ('video', 'image', 'audio')),
    filename text not null,
    content_type text not null,
    size_bytes bigint not null,
    sha256 char(64) not null,
    description text not null,
    -- varchar[] (not text[]): the array type Hibernate binds a String[] parameter as, so that array_contains(tags, ?) works
    tags varchar[] not null,
    license text,
    attribution text,
    -- facts of the normalised copy, as render-service found them (absent where they do not apply)
    width int,
    height int,
    duration_seconds double precision,
    reason text,
    -- the owner's original in the assets bucket, and the grant it was uploaded with
    original_key text not null,
    upload_id uuid not null,
    upload_method text not null check (upload_method in ('single', 'multipart')),
    s3_upload_id text,
    part_count int not null,
    expires_at timestamptz not null,
    -- render-service's normalised copy, and the grant it is uploaded with
    normalised_key text,
    normalised_upload_id uuid,
    normalised_content_type text,
    normalised_size_bytes bigint,
    normalised_sha256 char(64),
    normalised_method text check (normalised_method in ('single', 'multipart')),
    normalised_s3_upload_id text,
    normalised_part_count int,
    created_at timestamptz not null,
    uploaded_at timestamptz,
    ready_at timestamptz,
    updated_at timestamptz not null
);
-- an owner's library, newest first, paged by (created_at, id)
create index assets_owner_created on assets (owner_id, created_at desc, id desc);
-- the sweeper's uploads never completed
create index assets_uploading on assets (expires_at) where status = 'uploading';
