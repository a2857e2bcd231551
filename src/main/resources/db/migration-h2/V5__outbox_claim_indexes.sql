-- The one-statement claim (JdbcOutboxStore.claimDue): each instance's pending notifications in order, and the few
-- claimed ones an instance has in flight (H2 has no partial indexes).
create index pe_notification_pending_order on pe_notification (status, instance_id, seq);
create index pe_notification_claimed on pe_notification (claimed_until);
