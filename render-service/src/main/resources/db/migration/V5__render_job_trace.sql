-- The trace context a render job runs in (docs/DEVELOPING.md, "Tracing"): the span of the video.requested record that made
-- the job, and when; the kit's job runner makes it the parent of each run, so a video's render is part of its pipeline's trace.
alter table render_jobs add column traceparent text, add column traced_at timestamptz;
