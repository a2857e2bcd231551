package io.pollingevents.route;

import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyConfiguration;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.spi.RoutePolicyFactory;

/**
 * Leaves the resources' routes out of Camel's per-route Micrometer policies ({@code camel.metrics.*}). Each such
 * policy adds about a dozen Prometheus series per route, about 18 MB of scrape text at 10,000 resources; a resource
 * is measured by the engine's own {@code polling_*} series, tagged by instance and resource, instead. The API,
 * delivery and dispatcher routes keep Camel's route metrics.
 */
final class PollerRouteMetrics {
    /** Route ids of the resources' routes, in the pattern syntax of Camel's route policy configuration. */
    static final String POLLER_ROUTES = "instance-*";

    private PollerRouteMetrics() {
    }

    /** Adds {@link #POLLER_ROUTES} to the exclusions of each Micrometer route policy factory of the context. */
    static void exclude(CamelContext context) {
        for (RoutePolicyFactory factory : context.getRoutePolicyFactories()) {
            if (factory instanceof MicrometerRoutePolicyFactory micrometer) {
                micrometer.setPolicyConfiguration(excluding(micrometer.getPolicyConfiguration()));
            }
        }
    }

    /** A copy (the factory's may be Camel's shared default) that also excludes the resources' routes. */
    static MicrometerRoutePolicyConfiguration excluding(MicrometerRoutePolicyConfiguration from) {
        MicrometerRoutePolicyConfiguration to = new MicrometerRoutePolicyConfiguration();
        to.setContextEnabled(from.isContextEnabled());
        to.setRouteEnabled(from.isRouteEnabled());
        to.setAdditionalCounters(from.isAdditionalCounters());
        to.setExchangesSucceeded(from.isExchangesSucceeded());
        to.setExchangesFailed(from.isExchangesFailed());
        to.setExchangesTotal(from.isExchangesTotal());
        to.setExternalRedeliveries(from.isExternalRedeliveries());
        to.setFailuresHandled(from.isFailuresHandled());
        to.setLongTask(from.isLongTask());
        to.setTimerInitiator(from.getTimerInitiator());
        to.setLongTaskInitiator(from.getLongTaskInitiator());
        String excluded = from.getExcludePattern();
        to.setExcludePattern(excluded == null || excluded.isBlank() ? POLLER_ROUTES
                : excluded.contains(POLLER_ROUTES) ? excluded : excluded + "," + POLLER_ROUTES);
        return to;
    }
}
