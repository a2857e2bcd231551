package io.pollingevents.route;

import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Switches camel-quartz to Quartz's clustered JDBC job store on the engine's PostgreSQL database, so each
 * resource's trigger fires on exactly one node and a dead node's triggers are fired by the others.
 */
public final class ClusteredQuartz {
    static final String DATA_SOURCE = "pollingEvents";

    private ClusteredQuartz() {
    }

    /**
     * Configures the context's quartz component; call before any quartz endpoint exists.
     *
     * @param checkinMillis how often nodes check in; a node silent for about this long is taken over
     */
    public static void configure(CamelContext context, DataSource dataSource, long checkinMillis, int threads) {
        DBConnectionManager.getInstance().addConnectionProvider(DATA_SOURCE, new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                return dataSource.getConnection();
            }

            @Override
            public void shutdown() {
                // the engine closes its pool
            }

            @Override
            public void initialize() {
                // the pool exists already
            }
        });
        Properties props = new Properties();
        props.put("org.quartz.scheduler.instanceName", "polling-events");
        props.put("org.quartz.scheduler.instanceId", "AUTO");
        props.put("org.quartz.threadPool.threadCount", Integer.toString(threads));
        props.put("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        props.put("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        props.put("org.quartz.jobStore.dataSource", DATA_SOURCE);
        props.put("org.quartz.jobStore.tablePrefix", "QRTZ_");
        props.put("org.quartz.jobStore.isClustered", "true");
        props.put("org.quartz.jobStore.clusterCheckinInterval", Long.toString(checkinMillis));
        // a fire missed by more than this (all nodes busy or down) is skipped, not replayed in a burst:
        // repeating triggers use "reschedule next with remaining count", the next poll catches up anyway
        props.put("org.quartz.jobStore.misfireThreshold", Long.toString(Math.max(5_000, checkinMillis * 2)));
        props.put("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        // one locked database round trip acquires up to a thread pool's worth of due triggers, not one: with one per
        // trip a node fired at most about 90 polls/s and fell seconds behind (bench/, scenario c)
        props.put("org.quartz.scheduler.batchTriggerAcquisitionMaxCount", Integer.toString(threads));
        props.put("org.quartz.scheduler.batchTriggerAcquisitionFireAheadTimeWindow", "50");
        QuartzComponent quartz = context.getComponent("quartz", QuartzComponent.class);
        quartz.setProperties(props);
    }
}
