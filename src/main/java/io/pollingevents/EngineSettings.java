package io.pollingevents;

import org.apache.camel.CamelContext;

import java.nio.file.Path;

/**
 * The engine's {@code polling.*} settings, read from the Camel context's properties (application.properties
 * and system properties under Camel Main, the configuration admin file under Karaf).
 */
public record EngineSettings(
        String dbUrl,
        String dbUser,
        String dbPassword,
        int dbPoolSize,
        String apiUserSecret,
        String apiOrganizationSecret,
        Path routeTemplate,
        Path elementsDir,
        long pollStartDelayMillis) {

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
                Path.of(get.apply("polling.routes.template", "routes/resource-poller.yaml")),
                Path.of(get.apply("polling.elements.dir", "elements")),
                Long.parseLong(get.apply("polling.poll.start-delay-ms", "500")));
    }
}
