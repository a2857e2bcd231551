package io.pollingevents.route;

import io.pollingevents.store.PostgresPartitionLeases;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.support.service.ServiceSupport;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.BooleanSupplier;

/**
 * Splits a cluster's polls between its nodes: every resource falls into one of
 * {@value PostgresPartitionLeases#PARTITIONS} partitions by its route id, and each node leases a fair share of the
 * partitions in the database, renewing them at every check-in. Every node runs every resource's route and trigger
 * in its own in-memory Quartz; {@link PartitionGate} lets a fire through only on the node that holds its partition
 * and pauses the trigger elsewhere, and a node resumes the triggers of the partitions it gains.
 * A node's share is taken over when its leases run out (it died) or handed over when another node joins.
 */
public final class PartitionLeasing extends ServiceSupport {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionLeasing.class);
    private static final long FIRST_POLL_KEPT_NANOS = TimeUnit.MINUTES.toNanos(10);

    private final CamelContext context;
    private final PostgresPartitionLeases leases;
    private final String nodeId;
    private final long checkinMillis;
    private final BooleanSupplier ready;
    /** Polls running here per partition: a partition is handed over only when none is. */
    private final AtomicIntegerArray inFlight = new AtomicIntegerArray(PostgresPartitionLeases.PARTITIONS);
    /** Resources created or changed through this node's API, by when: their first poll runs here, whoever owns them. */
    private final Map<String, Long> firstPollsHere = new ConcurrentHashMap<>();
    /** Resources whose trigger {@link PartitionGate} paused here, to be resumed when their partition becomes this node's. */
    private final Set<String> pausedHere = ConcurrentHashMap.newKeySet();
    private volatile Set<Integer> owned = Set.of();
    /** This node fires only while its last renewal is fresh: it stops before the database lets others take over. */
    private volatile long validUntilNanos = System.nanoTime();
    private ScheduledExecutorService checkIns;

    /**
     * @param ready whether this node's routes of the stored resources exist: until then it neither checks in nor takes
     *              partitions, so the other nodes keep polling what it could not fire yet
     */
    public PartitionLeasing(CamelContext context, PostgresPartitionLeases leases, String nodeId, long checkinMillis,
                            BooleanSupplier ready) {
        this.ready = ready;
        this.context = context;
        this.leases = leases;
        this.nodeId = nodeId;
        this.checkinMillis = checkinMillis;
    }

    /**
     * The partition of a resource's route. The route ids of one instance differ in their last characters, so their
     * {@code hashCode}s are near each other; MurmurHash3's finalizer spreads them over all partitions. Every node,
     * of any JVM, must compute the same partition: {@code String.hashCode} is specified.
     */
    static int partition(String routeId) {
        int h = routeId.hashCode();
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return Math.floorMod(h, PostgresPartitionLeases.PARTITIONS);
    }

    /** A lease lasts two check-ins: one missed check-in is no failover, two are. */
    long leaseMillis() {
        return 2 * checkinMillis;
    }

    /**
     * Whether a poll of the route may start here now; if so the caller must call {@link #exit} when it ends. The
     * count goes up before the ownership is read, and a hand-over removes the partition before it reads the count,
     * so a poll either sees its partition gone or keeps it from being handed over.
     */
    public boolean tryEnter(String routeId) {
        int partition = partition(routeId);
        inFlight.incrementAndGet(partition);
        if (firstPollsHere.remove(routeId) != null
                || owned.contains(partition) && System.nanoTime() - validUntilNanos < 0) {
            return true;
        }
        inFlight.decrementAndGet(partition);
        return false;
    }

    public void exit(String routeId) {
        inFlight.decrementAndGet(partition(routeId));
    }

    /** Whether this node polls the route's partition now. */
    public boolean owns(String routeId) {
        return owned.contains(partition(routeId)) && System.nanoTime() - validUntilNanos < 0;
    }

    /** Records a trigger paused because its partition is another node's; call after pausing it. */
    void pausedHere(String routeId) {
        pausedHere.add(routeId);
    }

    /** Resumes the paused triggers of the partitions this node holds now (gained, or held again after an outage). */
    private void resumeOwned() {
        Scheduler scheduler = scheduler();
        if (scheduler == null || pausedHere.isEmpty()) {
            return;
        }
        int resumed = 0;
        for (String routeId : pausedHere) {
            // out of the set first: a gate that pauses the trigger again meanwhile adds it back after pausing
            if (owns(routeId) && pausedHere.remove(routeId) && resume(scheduler, routeId)) {
                resumed++;
            } else if (!exists(scheduler, routeId)) {
                pausedHere.remove(routeId); // its instance was deleted: the route and its trigger are gone
            }
        }
        if (resumed > 0) {
            LOG.info("Cluster: resumed the triggers of {} resources whose partitions this node holds now", resumed);
        }
    }

    private Scheduler scheduler() {
        return context.hasComponent("quartz") instanceof QuartzComponent quartz ? quartz.getScheduler() : null;
    }

    private static boolean exists(Scheduler scheduler, String routeId) {
        try {
            return scheduler.checkExists(TriggerKey.triggerKey(routeId, ResourceRoutes.QUARTZ_GROUP));
        } catch (SchedulerException e) {
            return true;
        }
    }

    private static boolean resume(Scheduler scheduler, String routeId) {
        try {
            scheduler.resumeTrigger(TriggerKey.triggerKey(routeId, ResourceRoutes.QUARTZ_GROUP));
            return true;
        } catch (SchedulerException e) {
            LOG.warn("Could not resume the trigger of {}: {}", routeId, e.getMessage());
            return false;
        }
    }

    /**
     * Lets the next poll of a resource run here even if another node owns it: the node that answered the API call
     * polls a new or changed resource at once, instead of waiting for the owner's reconciler to see the change. A
     * second, early poll by the owner finds nothing new (the watermark moves once).
     */
    public void pollOnceHere(String routeId) {
        firstPollsHere.put(routeId, System.nanoTime());
        // the periodic reconcile may have started the route first, and the gate paused its trigger already
        Scheduler scheduler = scheduler();
        if (scheduler != null && pausedHere.remove(routeId)) {
            TriggerKey key = TriggerKey.triggerKey(routeId, ResourceRoutes.QUARTZ_GROUP);
            try {
                Trigger paused = scheduler.getTrigger(key);
                if (paused != null) {
                    // a resumed trigger would fire at its next slot; the same trigger starting now fires at once
                    scheduler.rescheduleJob(key, paused.getTriggerBuilder().startNow().build());
                }
            } catch (SchedulerException e) {
                LOG.warn("Could not fire the trigger of {} now: {}; its owner polls it", routeId, e.getMessage());
            }
        }
    }

    /** How many partitions this node polls now: none while it is not ready or its leases are not fresh. */
    public int partitionsPolled() {
        return System.nanoTime() - validUntilNanos < 0 ? owned.size() : 0;
    }

    /** The partitions this node fires now. */
    public Set<Integer> owned() {
        return owned;
    }

    /**
     * Checks in, renews this node's leases, takes free or expired partitions up to its fair share of the live nodes
     * and hands back those above it that no poll is using.
     */
    synchronized void checkIn() {
        if (!ready.getAsBoolean()) {
            return;
        }
        long started = System.nanoTime();
        // a resource deleted before its first fire would stay in the map for good
        firstPollsHere.values().removeIf(added -> started - added > FIRST_POLL_KEPT_NANOS);
        int live = leases.checkIn(nodeId, leaseMillis());
        TreeSet<Integer> keep = new TreeSet<>(leases.renew(nodeId, leaseMillis()));
        // the database's lease runs from the renewal, which began no earlier than this
        long validUntil = started + TimeUnit.MILLISECONDS.toNanos(leaseMillis() - checkinMillis / 2);
        int share = (PostgresPartitionLeases.PARTITIONS + live - 1) / live;
        if (keep.size() < share) {
            keep.addAll(leases.claim(nodeId, share - keep.size(), leaseMillis()));
        }
        List<Integer> surplus = new ArrayList<>();
        while (keep.size() > share) {
            surplus.add(keep.pollLast()); // the highest partitions go first
        }
        Set<Integer> before = owned;
        owned = Set.copyOf(keep);
        validUntilNanos = validUntil;
        // a partition with a poll still running stays leased to this node, unused, and goes at a later check-in
        List<Integer> idle = surplus.stream().filter(p -> inFlight.get(p) == 0).toList();
        leases.release(nodeId, idle);
        resumeOwned();
        if (!before.equals(owned)) {
            LOG.info("Cluster: this node ({}) polls {} of {} partitions, {} node(s) live{}", nodeId, owned.size(),
                    PostgresPartitionLeases.PARTITIONS, live, idle.isEmpty() ? "" : "; handed over " + idle.size());
        }
    }

    private void checkInQuietly() {
        try {
            checkIn();
        } catch (RuntimeException e) {
            // the leases run out on their own; until a check-in succeeds again this node stops firing when they do
            LOG.warn("Cluster check-in of node {} failed: {}; retrying in {} ms", nodeId, e.getMessage(), checkinMillis);
        }
    }

    @Override
    protected void doStart() {
        leases.createPartitions();
        checkInQuietly(); // at once if the routes exist already (the engine was installed into a running context)
        checkIns = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "polling-cluster-checkin");
        checkIns.scheduleWithFixedDelay(this::checkInQuietly, checkinMillis, checkinMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        if (checkIns != null) {
            context.getExecutorServiceManager().shutdownNow(checkIns);
        }
        leave();
    }

    /** Stops firing and gives the partitions and the check-in back, so the others take over at their next check-in. */
    synchronized void leave() {
        owned = Set.of();
        try {
            leases.leave(nodeId);
            LOG.info("Cluster: node {} left; its partitions are free for the other nodes", nodeId);
        } catch (RuntimeException e) {
            LOG.warn("Node {} could not give back its partitions ({}); the other nodes take them when the leases run out",
                    nodeId, e.getMessage());
        }
    }
}
