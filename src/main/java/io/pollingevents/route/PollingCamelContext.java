package io.pollingevents.route;

import org.apache.camel.Endpoint;
import org.apache.camel.FailedToStartRouteException;
import org.apache.camel.LoggingLevel;
import org.apache.camel.MultipleConsumersSupport;
import org.apache.camel.Route;
import org.apache.camel.StartupListener;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.impl.engine.DefaultRouteError;
import org.apache.camel.impl.engine.RouteService;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RouteStartupOrder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

/**
 * A {@link DefaultCamelContext} whose cost of adding, finding and removing one route does not grow with the number
 * of routes, so the engine can run a route per polled resource for thousands of resources.
 *
 * <p>Camel 4.14's own context walks every route for each of these: {@code addRouteDefinitions} first removes the
 * new id, and {@code removeRoute} gathers the endpoints of every route (all their processors) before it even
 * looks the id up; {@code getRoute} copies the set of all routes and scans it. Measured, adding the 2,000th route
 * allocated 78 MB, of which the gathering was almost all (RouteAddCostTest, docs/architecture.md). This context:
 * <ul>
 *   <li>returns at once from removing an id it does not run (the add path);</li>
 *   <li>removes a running route by gathering that route's endpoints only, and drops an endpoint when no other
 *       route uses it, as Camel does, from a count of users per endpoint kept as routes come and go;</li>
 *   <li>keeps the definitions of routes made from a template at runtime out of the model's list, which Camel
 *       walks on every add (node id and route id checks);</li>
 *   <li>finds a route by id in a map;</li>
 *   <li>checks that no two routes made from a template consume one endpoint in a map of their inputs, where
 *       Camel's start of a route lists every started route and compares its input endpoint with each;</li>
 *   <li>keeps those routes' entries out of Camel's startup order list while they run, which Camel walks on every
 *       route start, and hands them back before Camel stops, suspends or shuts down routes;</li>
 *   <li>does not tell platform-http-main's startup summary that such a route started: that listener registers
 *       another event notifier each time it is told (Camel 4.14), and Camel asks every event notifier about every
 *       exchange event, so each poll's cost grew with the number of routes (see {@link #getStartupListeners}).</li>
 * </ul>
 * Everything else is Camel's. Under Karaf (a context made by the blueprint) the engine works the same, with
 * Camel's own costs.
 */
public class PollingCamelContext extends DefaultCamelContext {
    private final Map<String, Route> routesById = new ConcurrentHashMap<>();
    /** The endpoints each route used when it was counted; null until the first fast removal. */
    private Map<String, Set<Endpoint>> endpointsByRoute;
    private final Map<Endpoint, Integer> endpointUsers = new HashMap<>();
    /** Definitions of the routes made from templates while the context ran, by route id. */
    private final Map<String, RouteDefinition> templatedRoutes = new ConcurrentHashMap<>();
    /** The routes not made from a template (the engine's own few), by id. */
    private final Map<String, Route> untemplatedRoutes = new ConcurrentHashMap<>();
    /** The input endpoint URI of each route made from a template while the context ran, and that route's id. */
    private final Map<String, String> templatedInputs = new ConcurrentHashMap<>();
    /** Startup order entries of running templated routes, kept out of Camel's list (see {@link #setAside}). */
    private final Map<String, RouteStartupOrder> asideStartupOrder = new LinkedHashMap<>();
    /** Set while this thread starts a route made from a template: {@link #getRoutes()} then lists the others only. */
    private final ThreadLocal<Boolean> startingTemplatedRoute = new ThreadLocal<>();
    /** The startup listeners told that this thread's templated route started (Camel empties and refills the list). */
    private final ThreadLocal<List<StartupListener>> templatedRouteListeners = new ThreadLocal<>();
    /** platform-http-main's listener that logs the HTTP endpoints (and registers an event notifier per call). */
    static final String HTTP_SUMMARY_LISTENER = "org.apache.camel.component.platform.http.main.MainHttpServerUtil$";

    public PollingCamelContext() {
        super();
    }

    public PollingCamelContext(boolean init) {
        super(init);
    }

    @Override
    public void addRoute(Route route) {
        super.addRoute(route);
        routesById.put(route.getId(), route);
        if (!route.isCreatedByRouteTemplate()) {
            untemplatedRoutes.put(route.getId(), route);
        }
    }

    @Override
    public void removeRoute(Route route) {
        super.removeRoute(route);
        routesById.remove(route.getId(), route);
        untemplatedRoutes.remove(route.getId(), route);
        if (route.getEndpoint() != null) {
            templatedInputs.remove(route.getEndpoint().getEndpointUri(), route.getId());
        }
    }

    /**
     * Every route, as Camel lists them; while this thread starts a route made from a template, only the routes not
     * made from one: Camel's start compares the new route's input with the input of every listed route, and
     * {@link #startRouteService} has compared it with the templated ones already.
     */
    /**
     * While this thread starts a route made from a template: the startup listeners without platform-http-main's
     * summary, which has no HTTP endpoint to report for such a route but registered an event notifier on each call (two
     * per route start). At 10,000 routes the walk over those notifiers, for every exchange event, was 57 % of the
     * engine's CPU samples (bench/README.md). A list of this start's own, which Camel may empty and refill.
     */
    @Override
    protected List<StartupListener> getStartupListeners() {
        if (startingTemplatedRoute.get() == null) {
            return super.getStartupListeners();
        }
        List<StartupListener> listeners = templatedRouteListeners.get();
        if (listeners == null) {
            listeners = new ArrayList<>();
            for (StartupListener listener : super.getStartupListeners()) {
                if (!listener.getClass().getName().startsWith(HTTP_SUMMARY_LISTENER)) {
                    listeners.add(listener);
                }
            }
            templatedRouteListeners.set(listeners);
        }
        return listeners;
    }

    @Override
    public List<Route> getRoutes() {
        if (startingTemplatedRoute.get() != null) {
            return new ArrayList<>(untemplatedRoutes.values());
        }
        return super.getRoutes();
    }

    @Override
    public Route getRoute(String id) {
        return id == null ? null : routesById.get(id);
    }

    /**
     * Starts routes as Camel does; a route made from a template while the context runs is then kept out of the
     * model's list of route definitions (in a map of its own), because Camel walks that whole list on every add: to
     * check node ids ({@code validateUniqueIds}), to collect route ids ({@code forceAssignIds}) and to find a
     * definition by id. The route itself runs, is listed and is managed like any other.
     */
    @Override
    public void startRouteDefinitions(List<RouteDefinition> routeDefinitions) throws Exception {
        super.startRouteDefinitions(routeDefinitions);
        if (!isStarted()) {
            return; // the context's own start: its routes stay in the model
        }
        Model model = getCamelContextExtension().getContextPlugin(Model.class);
        synchronized (model) { // the lock the model holds while it adds, so this is the thread adding
            List<RouteDefinition> kept = model.getRouteDefinitions();
            for (RouteDefinition definition : routeDefinitions) {
                if (definition.isCreatedFromTemplate() && definition.getId() != null) {
                    int at = kept.lastIndexOf(definition); // just appended: found at the end
                    if (at >= 0) {
                        kept.remove(at);
                        templatedRoutes.put(definition.getId(), definition);
                    }
                }
            }
        }
    }

    @Override
    public RouteDefinition getRouteDefinition(String id) {
        RouteDefinition templated = id == null ? null : templatedRoutes.get(id);
        return templated != null ? templated : super.getRouteDefinition(id);
    }

    @Override
    public void startRouteService(RouteService routeService, boolean addingRoutes) throws Exception {
        Route route = routeService.getRoute();
        Endpoint input = route.getEndpoint();
        boolean templated = isStarted() && route.isCreatedByRouteTemplate() && input != null;
        if (templated) {
            String other = templatedInputs.putIfAbsent(input.getEndpointUri(), route.getId());
            boolean shared = input instanceof MultipleConsumersSupport multiple && multiple.isMultipleConsumersSupported();
            if (other != null && !other.equals(route.getId()) && !shared) {
                throw new FailedToStartRouteException(route.getId(),
                        "Multiple consumers for the same endpoint is not allowed: " + input + " (route " + other + ")");
            }
            startingTemplatedRoute.set(Boolean.TRUE);
        }
        try {
            super.startRouteService(routeService, addingRoutes);
        } catch (Exception e) {
            if (templated) {
                templatedInputs.remove(input.getEndpointUri(), route.getId());
            }
            throw e;
        } finally {
            startingTemplatedRoute.remove();
            templatedRouteListeners.remove();
        }
        Lock lock = getLock();
        lock.lock();
        try {
            if (endpointsByRoute != null && !endpointsByRoute.containsKey(routeService.getId())) {
                count(routeService.getId(), routeService.gatherEndpoints());
            }
            if (templated && route.getStartupOrder() == null) {
                setAside(route.getId());
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves a just started templated route's entry out of Camel's startup order list, which Camel walks twice on
     * every route start (the startup order clash check, and whether the route is listed already); the list gets it
     * back before Camel reads it to stop, suspend or shut down routes, so those stay graceful and ordered.
     */
    private void setAside(String routeId) {
        List<RouteStartupOrder> order = getCamelContextExtension().getRouteStartupOrder();
        for (int i = order.size() - 1; i >= 0; i--) { // just appended: found at the end
            if (order.get(i).getRoute().getId().equals(routeId)) {
                asideStartupOrder.put(routeId, order.remove(i));
                return;
            }
        }
    }

    /** Puts the set-aside startup order entries back, for Camel's operations over every route. */
    private void restoreStartupOrder() {
        Lock lock = getLock();
        lock.lock();
        try {
            if (!asideStartupOrder.isEmpty()) {
                getCamelContextExtension().getRouteStartupOrder().addAll(asideStartupOrder.values());
                asideStartupOrder.clear();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    protected void doStop() throws Exception {
        restoreStartupOrder();
        super.doStop();
    }

    @Override
    protected void doSuspend() throws Exception {
        restoreStartupOrder();
        super.doSuspend();
    }

    @Override
    public void stopAllRoutes() throws Exception {
        restoreStartupOrder();
        super.stopAllRoutes();
    }

    @Override
    public void removeAllRoutes() throws Exception {
        restoreStartupOrder();
        super.removeAllRoutes();
    }

    @Override
    protected void doShutdownRouteGroup(String routeGroup, long timeout, TimeUnit timeUnit, boolean removingRoutes,
            LoggingLevel loggingLevel) throws Exception {
        restoreStartupOrder();
        super.doShutdownRouteGroup(routeGroup, timeout, timeUnit, removingRoutes, loggingLevel);
    }

    @Override
    protected boolean removeRoute(String routeId, LoggingLevel loggingLevel) throws Exception {
        Lock lock = getLock();
        lock.lock();
        try {
            RouteService routeService = getRouteServices().get(routeId);
            if (routeService == null) {
                return false; // not running here: nothing to remove, and no reason to look at every other route
            }
            if (!isStarted()) {
                boolean removed = super.removeRoute(routeId, loggingLevel);
                if (removed && endpointsByRoute != null) {
                    uncount(routeId);
                }
                return removed;
            }
            DefaultRouteError.reset(this, routeId);
            if (!getRouteStatus(routeId).isStopped()) {
                return false;
            }
            if (endpointsByRoute == null) {
                countAllRoutes();
            }
            Set<Endpoint> endpoints = routeService.gatherEndpoints();
            Set<Endpoint> counted = endpointsByRoute.getOrDefault(routeId, Set.of());
            routeService.setRemovingRoutes(true);
            shutdownRouteService(routeService, loggingLevel);
            getRouteServices().remove(routeId);
            if (asideStartupOrder.remove(routeId) == null) {
                getCamelContextExtension().getRouteStartupOrder().removeIf(o -> o.getRoute().getId().equals(routeId));
            }
            uncount(routeId);
            for (Endpoint endpoint : endpoints) {
                // an endpoint the counts never saw (made later, e.g. a dynamic one) is kept: another route may use it
                if (counted.contains(endpoint) && !endpointUsers.containsKey(endpoint)) {
                    String uri = endpoint.getEndpointUri();
                    if (hasEndpoint(uri) == endpoint) {
                        removeEndpoints(uri); // by its key; removeEndpoint(Endpoint) scans every endpoint for it
                    } else {
                        removeEndpoint(endpoint);
                    }
                }
            }
            if (templatedRoutes.remove(routeId) == null) {
                RouteDefinition definition = super.getRouteDefinition(routeId);
                if (definition != null) {
                    removeRouteDefinition(definition);
                }
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void countAllRoutes() {
        endpointsByRoute = new HashMap<>();
        for (RouteService service : getRouteServices().values()) {
            count(service.getId(), service.gatherEndpoints());
        }
    }

    private void count(String routeId, Set<Endpoint> endpoints) {
        endpointsByRoute.put(routeId, endpoints);
        for (Endpoint endpoint : endpoints) {
            endpointUsers.merge(endpoint, 1, Integer::sum);
        }
    }

    private void uncount(String routeId) {
        Set<Endpoint> endpoints = endpointsByRoute.remove(routeId);
        if (endpoints != null) {
            for (Endpoint endpoint : endpoints) {
                endpointUsers.computeIfPresent(endpoint, (e, users) -> users == 1 ? null : users - 1);
            }
        }
    }
}
