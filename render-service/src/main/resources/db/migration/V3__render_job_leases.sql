-- Render jobs run on the kit's job runner (io.contentmachine.kit.jobs, docs/DEVELOPING.md): due at run_at, leased to one run
-- by lease_token until locked_until (renewed while it works), instead of a heartbeat fenced by the attempt number.
alter table render_jobs rename column not_before to run_at;
alter table render_jobs add column locked_until timestamptz, add column lease_token uuid;
-- a render running when this runs keeps its claim for one lease (60 s) from its last heartbeat, then is claimed again
update render_jobs set locked_until = heartbeat_at + interval '60 seconds' where status = 'running';
alter table render_jobs drop column heartbeat_at;
drop index render_jobs_claimable;
create index render_jobs_due on render_jobs (run_at) where status in ('queued', 'running');
