package io.pollingevents.route;

import io.pollingevents.config.InstanceCatalog;
import io.pollingevents.config.InstanceDefinition;
import io.pollingevents.config.InvalidInstanceException;
import io.pollingevents.store.InstanceStore;
import io.pollingevents.store.StoredInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Keeps this node's catalog and resource routes in step with the instance store: at start, after each API change,
 * and every few seconds for changes made through another node. Its lock covers only local work and database reads,
 * never a call to a hub or token endpoint, so a Quartz thread that reconciles before a fire is not held up by one.
 */
public final class InstanceReconciler {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceReconciler.class);

    private final InstanceStore store;
    private final StoredInstances stored;
    private final InstanceCatalog catalog;
    private final ResourceRoutes routes;
    private final Consumer<String> firstPollHere;
    private final AtomicBoolean storedStarted;
    private final Set<Long> deletedWhileStarting = ConcurrentHashMap.newKeySet();
    private volatile boolean starting;

    /**
     * @param firstPollHere told the route id of each resource created or changed through this node's API, whose first
     *                      poll then runs here, at once, whichever node of a cluster polls it afterwards
     * @param storedStarted set once the stored instances' routes have started (or their start failed and the periodic
     *                      reconcile takes over); a cluster node takes its share of the polls only then
     */
    public InstanceReconciler(InstanceStore store, StoredInstances stored, InstanceCatalog catalog, ResourceRoutes routes,
                              Consumer<String> firstPollHere, AtomicBoolean storedStarted) {
        this.storedStarted = storedStarted;
        this.store = store;
        this.stored = stored;
        this.catalog = catalog;
        this.routes = routes;
        this.firstPollHere = firstPollHere;
    }

    /**
     * Loads every stored instance and starts its routes, once the context runs (each route is then added on its own,
     * at a cost that does not depend on how many exist; a context that starts with thousands of routes validates
     * each against all others). The first polls are spread over each instance's interval, so a restart does not fire
     * every resource at once. An instance that no longer validates is logged and skipped.
     */
    public void startAll() throws Exception {
        startAll(() -> false);
    }

    /**
     * As {@link #startAll()}, one instance at a time under the lock, so API calls and polls go on meanwhile (a
     * restart with thousands of resources answers the API at once); returns early when {@code stop} says so.
     * Until it is done, the periodic reconcile leaves the store's instances to it.
     */
    public void startAll(BooleanSupplier stop) throws Exception {
        List<StoredInstance> rows;
        synchronized (this) {
            starting = true;
            try {
                rows = store.findAll();
            } catch (RuntimeException e) {
                starting = false;
                storedStarted.set(true); // the periodic reconcile starts them
                throw e;
            }
        }
        long began = System.nanoTime();
        int resources = 0;
        try {
            for (int i = 0; i < rows.size(); i++) {
                if (stop.getAsBoolean()) {
                    LOG.info("Stopped starting stored instances after {} of {}: the engine is stopping", i, rows.size());
                    return;
                }
                StoredInstance row = rows.get(i);
                synchronized (this) {
                    if (deletedWhileStarting.contains(row.id())) {
                        continue;
                    }
                    try {
                        InstanceDefinition instance = stored.definition(row);
                        Long running = catalog.version(instance.id());
                        if (running != null && running >= row.updatedAt()) {
                            continue;
                        }
                        catalog.put(instance, row.updatedAt());
                        // spread over the interval from the start of the restart, not from this route's add: adding
                        // thousands of routes takes a while, and those added late have waited that long already
                        long waited = (System.nanoTime() - began) / 1_000_000;
                        routes.start(instance, Math.max(0, firstPollDelay(i, rows.size(), instance.refreshIntervalMillis()) - waited));
                        resources += instance.notificationsEnabled() ? instance.resources().size() : 0;
                    } catch (InvalidInstanceException e) {
                        LOG.error("Stored instance {} ({}) is no longer valid and is not polled: {}; fix it with PATCH",
                                row.id(), row.name(), e.getMessage());
                    }
                }
            }
            LOG.info("Started {} stored instances ({} resources) in {} ms", rows.size(), resources, (System.nanoTime() - began) / 1_000_000);
            storedStarted.set(true);
        } finally {
            synchronized (this) {
                starting = false;
                deletedWhileStarting.clear();
            }
        }
    }

    /** The i-th of n stored instances polls first after i/n of its interval. */
    static long firstPollDelay(int i, int n, long intervalMillis) {
        return n <= 1 ? 0 : (long) ((double) i / n * intervalMillis);
    }

    /**
     * Runs the version of an instance stored at {@code version} (its {@code updatedAt}) unless this node already
     * runs that version or a newer one; the API calls this after each create or change.
     */
    public synchronized void run(InstanceDefinition instance, long version) throws Exception {
        if (instance.notificationsEnabled()) {
            // also when the periodic reconcile started this version already: the node that took the call polls first
            instance.resources().forEach(resource -> firstPollHere.accept(ResourceRoutes.routeId(instance.id(), resource.name())));
        }
        Long running = catalog.version(instance.id());
        if (running != null && running >= version) {
            return;
        }
        catalog.put(instance, version);
        if (running == null) {
            routes.start(instance);
        } else {
            routes.restart(instance);
        }
    }

    /** Stops an instance deleted through this node (its Quartz triggers go with its routes). */
    public synchronized void deleted(long id) throws Exception {
        if (starting) {
            deletedWhileStarting.add(id); // startAll read the rows before; it must not start this one
        }
        routes.stop(id);
        catalog.remove(id);
    }

    /**
     * Brings this node in step with the store: starts instances created through another node, restarts changed ones
     * and stops deleted ones. Compares versions only and reads the bodies of changed instances.
     */
    public synchronized void reconcile() {
        if (starting) {
            return; // startAll is starting the stored instances, spread over their intervals
        }
        Map<Long, Long> versions = store.versions();
        for (Long id : new ArrayList<>(catalog.ids())) {
            if (!versions.containsKey(id)) {
                try {
                    routes.stop(id);
                    catalog.remove(id);
                    LOG.info("Instance {} was deleted through another node; its routes stopped here", id);
                } catch (Exception e) {
                    LOG.warn("Could not stop the routes of deleted instance {}: {}", id, e.getMessage());
                }
            }
        }
        for (Map.Entry<Long, Long> version : versions.entrySet()) {
            Long running = catalog.version(version.getKey());
            if (running != null && running.longValue() == version.getValue()) {
                continue;
            }
            StoredInstance row = store.find(version.getKey()).orElse(null);
            if (row == null) {
                continue; // deleted meanwhile; the next round stops it
            }
            try {
                InstanceDefinition instance = stored.definition(row);
                catalog.put(instance, row.updatedAt());
                routes.restart(instance);
                LOG.info("Instance {} ({}) was {} through another node; its routes follow here", row.id(), row.name(),
                        running == null ? "created" : "changed");
            } catch (InvalidInstanceException e) {
                catalog.remove(row.id());
                LOG.error("Stored instance {} ({}) is not valid and is not polled: {}", row.id(), row.name(), e.getMessage());
            } catch (Exception e) {
                LOG.warn("Could not start instance {}: {}", row.id(), e.getMessage());
            }
        }
    }
}
