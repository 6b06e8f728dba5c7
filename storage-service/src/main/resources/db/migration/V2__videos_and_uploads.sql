-- a verified video in the videos bucket; id is UUID v5 of (projectId, sha256), so a redelivery finds the same row
create table videos (
    id uuid primary key,
    project_id uuid not null,
    owner_id text not null,
    storage_key text not null,
    thumbnail_key text,
    duration double precision not null,
    resolution text not null,
    file_size bigint not null,
    sha256 char(64) not null,
    content_type text not null,
    created_at timestamptz not null
);
create index videos_project_id on videos (project_id, created_at desc);

-- upload grants handed out: what the uploader announced and, for multipart, the S3 upload id to complete or abort
create table uploads (
    id uuid primary key,
    project_id uuid not null,
    staging_key text not null,
    content_type text not null,
    size_bytes bigint not null,
    sha256 char(64) not null,
    method text not null check (method in ('single', 'multipart')),
    s3_upload_id text,
    part_count int not null,
    created_at timestamptz not null,
    expires_at timestamptz not null,
    completed_at timestamptz
);
create index uploads_project_id on uploads (project_id);
create index uploads_open on uploads (created_at) where completed_at is null and s3_upload_id is not null;
