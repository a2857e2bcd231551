-- A notification's body is written once, when its poll stores it, and read when it is claimed. In the notification
-- row, every claim and outcome rewrote it: H2 writes each changed page whole on commit, so a claim of 8 rows wrote
-- their pages' bodies again. The row that claims and outcomes update is now about 150 bytes.
create table pe_notification_body (
    id   varchar(36) primary key references pe_notification (id) on delete cascade,
    body text not null
);
insert into pe_notification_body (id, body) select id, body from pe_notification;
alter table pe_notification drop column body;
