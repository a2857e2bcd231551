package io.pollingevents;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every {@code polling.*} setting of the engine, declared once: key, kind of value, default and meaning. The engine
 * reads its settings through this list, the configuration reference in docs/configuration.md is generated from it,
 * and a test checks the Karaf defaults, application.properties and the YAML routes against it.
 */
public enum EngineSetting {
    DB_URL("polling.db.url", Kind.TEXT, "jdbc:h2:file:./data/polling-events", "jdbc:h2:file:${karaf.data}/polling-events/db",
            "JDBC URL of the store; PostgreSQL: `jdbc:postgresql://host:5432/db`"),
    DB_USER("polling.db.user", Kind.TEXT, "sa", null, "database user"),
    DB_PASSWORD("polling.db.password", Kind.TEXT, "", null, "database password"),
    DB_POOL_SIZE("polling.db.pool-size", Kind.COUNT, "10", null, "HikariCP pool size"),
    API_USER_SECRET("polling.api.user-secret", Kind.TEXT, "", null,
            "User secret of `Authorization: User <s>, Organization <s>`; empty: generated on first start, stored and printed once"),
    API_ORGANIZATION_SECRET("polling.api.organization-secret", Kind.TEXT, "", null,
            "Organization secret of the same header; set both or neither"),
    SECRETS_KEY("polling.secrets.key", Kind.TEXT, "", null,
            "Base64 of 32 bytes (`openssl rand -base64 32`): AES-256-GCM key for secrets at rest; the same on every node"),
    SECRETS_KEY_FILE("polling.secrets.key-file", Kind.PATH, "data/secrets.key", "${karaf.data}/polling-events/secrets.key",
            "used when `polling.secrets.key` is empty; created with a random key on first start"),
    ROUTES_DIR("polling.routes.dir", Kind.PATH, "routes", "${karaf.etc}/polling-events/routes",
            "folder of the editable YAML routes; the jar's copy is used for a file that is absent"),
    ELEMENTS_DIR("polling.elements.dir", Kind.PATH, "elements", "${karaf.etc}/polling-events/elements",
            "extra or overriding element descriptors (`<key>.yaml`)"),
    DELIVERY_RETRY_SCHEDULE("polling.delivery.retry-schedule", Kind.DURATIONS, "5s,5m,30m,2h,5h,10h,10h", null,
            "delays between delivery attempts; after the last one the notification is a dead letter"),
    DELIVERY_JITTER("polling.delivery.jitter", Kind.FRACTION, "0.2", null, "each retry delay varies randomly by this fraction"),
    DELIVERY_CONCURRENCY("polling.delivery.concurrency", Kind.COUNT, "32", null, "parallel deliveries"),
    DELIVERY_PER_INSTANCE("polling.delivery.per-instance", Kind.COUNT, "16", null,
            "deliveries of one instance in flight at once, so a slow callback holds few threads"),
    DELIVERY_LEASE("polling.delivery.lease", Kind.DURATION, "2m", null,
            "how long a claimed notification is reserved for its delivery attempt"),
    DELIVERY_POLL_INTERVAL("polling.delivery.poll-interval", Kind.DURATION, "1s", null,
            "fallback check of the outbox for retries coming due and polls of other nodes; a poll that stores"
                    + " notifications and an attempt that ends start deliveries at once"),
    DELIVERY_RETENTION("polling.delivery.retention", Kind.DURATION, "7d", null,
            "delivered notifications are deleted after this; dead letters are kept"),
    OUTBOX_CHUNK("polling.outbox.chunk", Kind.COUNT, "500", null, "a large poll stores its events in chunks of this many"),
    HUB_SLOT_WAIT("polling.hub.slot-wait", Kind.DURATION, "30s", null,
            "how long a poll waits for one of its element's hub call slots (`maxConcurrentCalls`)"),
    NODE_ID("polling.node.id", Kind.TEXT, "", null, "this engine's name on its outbox claims; empty: host name and process id"),
    CLUSTER_ENABLED("polling.cluster.enabled", Kind.BOOLEAN, "false", null,
            "several nodes on one PostgreSQL database, splitting the polls by leased partitions (docs/cluster.md)"),
    CLUSTER_CHECKIN_INTERVAL("polling.cluster.checkin-interval", Kind.DURATION, "5s", null,
            "how often a node checks in and renews its partition leases; a node silent for twice this is taken over"),
    CLUSTER_RECONCILE_INTERVAL("polling.cluster.reconcile-interval", Kind.DURATION, "2s", null,
            "how soon instance changes made through another node apply here"),
    QUARTZ_THREADS("polling.quartz.threads", Kind.COUNT, "10", null, "polls one node runs at once (clustered mode; a single node uses Quartz's 10)"),
    HTTP_HOST("polling.http.host", Kind.TEXT, "0.0.0.0", null,
            "Karaf only: address of the HTTP API (standalone: `camel.server.host`)"),
    HTTP_PORT("polling.http.port", Kind.COUNT, "8080", null, "Karaf only: port of the HTTP API (standalone: `camel.server.port`)");

    /** What a setting's value is, as the reference shows it. */
    public enum Kind {
        TEXT("text"), PATH("path"), COUNT("whole number"), FRACTION("fraction 0..1"), BOOLEAN("true/false"),
        DURATION("duration (ms, s, m, h, d)"), DURATIONS("durations, comma-separated");

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    private final String key;
    private final Kind kind;
    private final String defaultValue;
    private final String karafDefault;
    private final String meaning;

    EngineSetting(String key, Kind kind, String defaultValue, String karafDefault, String meaning) {
        this.key = key;
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.karafDefault = karafDefault;
        this.meaning = meaning;
    }

    public String key() {
        return key;
    }

    public Kind kind() {
        return kind;
    }

    /** The value used when nothing sets the key ("" for none). */
    public String defaultValue() {
        return defaultValue;
    }

    /** The default under Apache Karaf, where paths live under {@code karaf.data} and {@code karaf.etc}. */
    public String karafDefault() {
        return karafDefault != null ? karafDefault : defaultValue;
    }

    public String meaning() {
        return meaning;
    }

    public static Optional<EngineSetting> byKey(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
    }

    /** The reference table of docs/configuration.md. */
    public static String markdownTable() {
        return "| key | kind | default | meaning |\n| --- | --- | --- | --- |\n" + Arrays.stream(values())
                .map(s -> "| `" + s.key + "` | " + s.kind.description() + " | " + (s.defaultValue.isEmpty() ? "empty" : "`" + s.defaultValue + "`")
                        + (s.karafDefault == null ? "" : " (Karaf: `" + s.karafDefault + "`)") + " | " + s.meaning + " |")
                .collect(Collectors.joining("\n")) + "\n";
    }
}
