-- The one-statement claim (JdbcOutboxStore.claimDue): each instance's pending notifications in order, and the few
-- claimed ones an instance has in flight, without reading the whole backlog.
create index pe_notification_pending_order on pe_notification (instance_id, seq) where status = 'PENDING';
create index pe_notification_claimed on pe_notification (instance_id, claimed_until) where claimed_until is not null;
