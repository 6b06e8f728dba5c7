-- The trace context publishing work runs in (docs/DEVELOPING.md, "Tracing"). A job's: the span that made it due, and when; the
-- kit's job runner makes it the parent of a run soon after, or links a much later run (a scheduled publish) to it.
-- A publishing's: the span that created it, which the metrics pulls, each a trace of its own, link back to.
alter table publish_jobs add column traceparent text, add column traced_at timestamptz;
alter table publishings add column traceparent text;
