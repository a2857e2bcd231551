package io.pollingevents;

import io.pollingevents.delivery.RetrySchedule;
import io.pollingevents.format.Durations;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The engine's {@code polling.*} settings as typed values, read from the Camel context's properties
 * (application.properties, system properties and environment variables under Camel Main, the configuration admin
 * file under Karaf); every key and default comes from {@link EngineSetting}.
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

    /**
     * Reads the settings, and makes each default visible to the context's property placeholders, so the YAML routes
     * can say {@code {{polling.delivery.concurrency}}} without repeating a default.
     */
    public static EngineSettings from(CamelContext context) {
        PropertiesComponent properties = context.getPropertiesComponent();
        Reader read = new Reader(properties);
        for (EngineSetting setting : EngineSetting.values()) {
            if (properties.resolveProperty(setting.key()).isEmpty()) {
                properties.addOverrideProperty(setting.key(), setting.defaultValue());
            }
        }
        String nodeId = read.text(EngineSetting.NODE_ID);
        return new EngineSettings(
                read.text(EngineSetting.DB_URL),
                read.text(EngineSetting.DB_USER),
                read.text(EngineSetting.DB_PASSWORD),
                read.count(EngineSetting.DB_POOL_SIZE),
                read.text(EngineSetting.API_USER_SECRET),
                read.text(EngineSetting.API_ORGANIZATION_SECRET),
                Path.of(read.text(EngineSetting.ROUTES_DIR)),
                Path.of(read.text(EngineSetting.ELEMENTS_DIR)),
                nodeId.isBlank() ? defaultNodeId() : nodeId,
                read.bool(EngineSetting.CLUSTER_ENABLED),
                RetrySchedule.parse(read.text(EngineSetting.DELIVERY_RETRY_SCHEDULE), read.fraction(EngineSetting.DELIVERY_JITTER)),
                read.count(EngineSetting.DELIVERY_CONCURRENCY),
                read.count(EngineSetting.DELIVERY_PER_INSTANCE),
                read.duration(EngineSetting.DELIVERY_LEASE).toMillis(),
                read.duration(EngineSetting.DELIVERY_POLL_INTERVAL).toMillis(),
                read.duration(EngineSetting.DELIVERY_RETENTION),
                read.duration(EngineSetting.HUB_SLOT_WAIT).toMillis(),
                read.count(EngineSetting.OUTBOX_CHUNK),
                read.text(EngineSetting.SECRETS_KEY),
                Path.of(read.text(EngineSetting.SECRETS_KEY_FILE)),
                read.duration(EngineSetting.CLUSTER_CHECKIN_INTERVAL).toMillis(),
                read.duration(EngineSetting.CLUSTER_RECONCILE_INTERVAL).toMillis(),
                read.count(EngineSetting.QUARTZ_THREADS));
    }

    /** Reads one setting as its kind, naming the key and the expected form when the value does not fit. */
    private record Reader(PropertiesComponent properties) {
        String text(EngineSetting setting) {
            return properties.resolveProperty(setting.key()).orElse(setting.defaultValue()).trim();
        }

        int count(EngineSetting setting) {
            String value = text(setting);
            try {
                int count = Integer.parseInt(value);
                if (count > 0) {
                    return count;
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw new IllegalArgumentException(setting.key() + ": '" + value + "' is not a positive whole number (default "
                    + setting.defaultValue() + ")");
        }

        double fraction(EngineSetting setting) {
            String value = text(setting);
            try {
                return Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(setting.key() + ": '" + value + "' is not a number between 0 and 1 (default "
                        + setting.defaultValue() + ")", e);
            }
        }

        boolean bool(EngineSetting setting) {
            String value = text(setting);
            if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException(setting.key() + ": '" + value + "' is not true or false");
            }
            return Boolean.parseBoolean(value);
        }

        Duration duration(EngineSetting setting) {
            return Durations.parse(text(setting), setting.key());
        }
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
