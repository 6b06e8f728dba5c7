-- the W3C trace context of the request that wrote the event; null: the relay derives one trace per project
alter table outbox add column trace_context text;
