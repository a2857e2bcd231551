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

/** Answers {@code GET /elements/api-v2/engine}: the engine's version, node id, cluster mode and Camel health checks. */
public final class EngineStatus {
    private final ObjectMapper mapper;
    private final String nodeId;
    private final boolean cluster;
    private final String version = version();

    public EngineStatus(ObjectMapper mapper, String nodeId, boolean cluster) {
        this.mapper = mapper;
        this.nodeId = nodeId;
        this.cluster = cluster;
    }

    ObjectNode status(CamelContext context) {
        ObjectNode body = mapper.createObjectNode();
        body.put("version", version);
        body.put("nodeId", nodeId);
        body.put("cluster", cluster);
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
