-- A publishing is written by the worker, the API (publish requests, deletes) and the metrics pull: each write checks the
-- version it read, so a late writer retries on the fresh row instead of writing an old status over a newer one.
alter table publishings add column version bigint not null default 0;

-- The run that claimed a job holds this token; every write of that run checks it under the job's row lock, and the run
-- renews locked_until while it works. A run whose lease passed to another run writes nothing more.
alter table publish_jobs add column lease_token uuid;
