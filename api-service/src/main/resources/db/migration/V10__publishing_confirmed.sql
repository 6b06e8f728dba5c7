-- published without confirming which post it became (publish-service's Instagram reconcile past its deadline): false, with
-- the reason in error_code/error_message; true when confirmed; null for other states and events that do not say
alter table publishings add column confirmed boolean;
