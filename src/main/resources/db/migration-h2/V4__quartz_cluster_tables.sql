-- Clustered Quartz (polling.cluster.enabled=true) needs PostgreSQL; with the embedded H2 database
-- Quartz keeps its triggers in memory, so there is nothing to create here. The version number is
-- shared with db/migration-postgresql so both databases keep one migration history.
select 1;
