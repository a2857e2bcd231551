package io.pollingevents;

import io.pollingevents.delivery.RetrySchedule;
import org.apache.camel.CamelContext;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The engine's {@code polling.*} settings, read from the Camel context's properties (application.properties,
 * system properties and environment variables under Camel Main, the configuration admin file under Karaf).
 */
public record EngineSettings(
        String dbUrl,
        String dbUser,
        String dbPassword,
        int dbPoolSize,
        String apiUserSecret,
        String apiOrganizationSecret,
        Path routesDir,
        Path elementsDir,
        String nodeId,
        boolean clusterEnabled,
        RetrySchedule retrySchedule,
        int deliveryConcurrency,
        int deliveryPerInstance,
        long deliveryLeaseMillis,
        long deliveryPollMillis,
        Duration deliveredRetention,
        long hubSlotWaitMillis,
        int outboxChunk,
        String secretsKey,
        Path secretsKeyFile,
        long clusterCheckinMillis,
        long reconcileMillis,
        int quartzThreads) {

    public static EngineSettings from(CamelContext context) {
        var pc = context.getPropertiesComponent();
        java.util.function.BiFunction<String, String, String> get = (key, def) -> pc.resolveProperty(key).orElse(def);
        return new EngineSettings(
                get.apply("polling.db.url", "jdbc:h2:file:./data/polling-events"),
                get.apply("polling.db.user", "sa"),
                get.apply("polling.db.password", ""),
                Integer.parseInt(get.apply("polling.db.pool-size", "10")),
                get.apply("polling.api.user-secret", null),
                get.apply("polling.api.organization-secret", null),
                Path.of(get.apply("polling.routes.dir", "routes")),
                Path.of(get.apply("polling.elements.dir", "elements")),
                get.apply("polling.node.id", defaultNodeId()),
                Boolean.parseBoolean(get.apply("polling.cluster.enabled", "false")),
                RetrySchedule.parse(get.apply("polling.delivery.retry-schedule", RetrySchedule.DEFAULT),
                        Double.parseDouble(get.apply("polling.delivery.jitter", "0.2"))),
                Integer.parseInt(get.apply("polling.delivery.concurrency", "8")),
                Integer.parseInt(get.apply("polling.delivery.per-instance", "4")),
                RetrySchedule.parseDuration(get.apply("polling.delivery.lease", "2m"), "polling.delivery.lease").toMillis(),
                RetrySchedule.parseDuration(get.apply("polling.delivery.poll-interval", "200ms"), "polling.delivery.poll-interval").toMillis(),
                RetrySchedule.parseDuration(get.apply("polling.delivery.retention", "7d"), "polling.delivery.retention"),
                RetrySchedule.parseDuration(get.apply("polling.hub.slot-wait", "30s"), "polling.hub.slot-wait").toMillis(),
                Integer.parseInt(get.apply("polling.outbox.chunk", "500")),
                get.apply("polling.secrets.key", null),
                Path.of(get.apply("polling.secrets.key-file", "data/secrets.key")),
                RetrySchedule.parseDuration(get.apply("polling.cluster.checkin-interval", "5s"), "polling.cluster.checkin-interval").toMillis(),
                RetrySchedule.parseDuration(get.apply("polling.cluster.reconcile-interval", "2s"), "polling.cluster.reconcile-interval").toMillis(),
                Integer.parseInt(get.apply("polling.quartz.threads", "10")));
    }

    private static String defaultNodeId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "localhost";
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }
}
