package io.pollingevents.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.Properties;
import java.util.function.IntSupplier;

/**
 * Answers {@code GET /elements/api-v2/engine}: the engine's version, node id, cluster mode (with how many of the
 * cluster's partitions this node polls) and Camel health checks.
 */
public final class EngineStatus {
    private final ObjectMapper mapper;
    private final String nodeId;
    private final boolean cluster;
    private final IntSupplier partitionsPolled;
    private final String version = version();

    /** @param partitionsPolled how many of the cluster's partitions this node polls now (clustered mode) */
    public EngineStatus(ObjectMapper mapper, String nodeId, boolean cluster, IntSupplier partitionsPolled) {
        this.mapper = mapper;
        this.nodeId = nodeId;
        this.cluster = cluster;
        this.partitionsPolled = partitionsPolled;
    }

    ObjectNode status(CamelContext context) {
        ObjectNode body = mapper.createObjectNode();
        body.put("version", version);
        body.put("nodeId", nodeId);
        body.put("cluster", cluster);
        if (cluster) {
            // 0 while this node still adds its stored routes or cannot reach the database: it polls nothing then
            body.put("partitionsPolled", partitionsPolled.getAsInt());
        }
        Collection<HealthCheck.Result> results = HealthCheckHelper.invoke(context);
        boolean down = results.stream().anyMatch(r -> r.getState() == HealthCheck.State.DOWN);
        body.put("health", results.isEmpty() ? "UNKNOWN" : down ? "DOWN" : "UP");
        ArrayNode failing = body.putArray("failingChecks");
        results.stream().filter(r -> r.getState() == HealthCheck.State.DOWN).forEach(r -> failing.addObject()
                .put("id", r.getCheck().getId()).put("message", r.getMessage().orElse("")));
        return body;
    }

    /** The project version the build wrote into the jar. */
    static String version() {
        try (InputStream in = EngineStatus.class.getResourceAsStream("/io/pollingevents/version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
