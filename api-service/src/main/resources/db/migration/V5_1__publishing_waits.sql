-- a publishing held back by a platform's rate limit or quota (status 'waiting', video.published's waiting object):
-- why and until when, as publish-service reports it
alter table publishings add column waiting_until timestamptz;
alter table publishings add column wait_reason text;
alter table publishings add column wait_message text;
