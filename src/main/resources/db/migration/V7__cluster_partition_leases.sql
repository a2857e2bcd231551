-- A cluster splits its polls by leased partitions of the resources (route/PartitionLeasing): every node
-- checks in here and leases a fair share of the partitions; a node fires only the resources of its own.
-- These tables replace clustered Quartz's (V4), whose one cluster-wide row lock per fire capped a cluster
-- near 100 polls/s (docs/cluster.md); with the embedded H2 database they stay empty.
create table pe_cluster_node (
    node_id      varchar(200) primary key,
    last_seen_ms bigint       not null
);

create table pe_cluster_partition (
    partition_no   int          primary key,
    owner          varchar(200),
    lease_until_ms bigint       not null default 0
);

drop table if exists QRTZ_FIRED_TRIGGERS;
drop table if exists QRTZ_PAUSED_TRIGGER_GRPS;
drop table if exists QRTZ_SCHEDULER_STATE;
drop table if exists QRTZ_LOCKS;
drop table if exists QRTZ_SIMPLE_TRIGGERS;
drop table if exists QRTZ_CRON_TRIGGERS;
drop table if exists QRTZ_SIMPROP_TRIGGERS;
drop table if exists QRTZ_BLOB_TRIGGERS;
drop table if exists QRTZ_TRIGGERS;
drop table if exists QRTZ_JOB_DETAILS;
drop table if exists QRTZ_CALENDARS;
