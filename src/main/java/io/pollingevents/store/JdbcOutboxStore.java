package io.pollingevents.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.List;
import java.util.TreeSet;

/** {@link OutboxStore} on H2 or PostgreSQL, with portable SQL and lease columns for claims. */
public final class JdbcOutboxStore implements OutboxStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NOTIFICATION_COLUMNS = "n.id, n.instance_id, n.resource, b.body, n.attempts, n.created_at, n.event_count";
    /** Above this many, {@link #clearOfOlder} starts again empty (it holds ids of notifications not claimed yet). */
    private static final int CLEAR_OF_OLDER_MAX = 10_000;
    private static final LocalClaims.Held NONE_HELD = new LocalClaims.Held(0, 0);
    private final Jdbc jdbc;
    private final SqlDialect dialect;
    /**
     * H2 only (one process): pending notifications already found to have no older pending one sharing an object. Newer
     * notifications never hold an older one back, so the finding stays true until a retry makes an older one pending
     * again; without it every claim checked the same look-ahead candidates again (a third of a claim's work).
     */
    private final Set<String> clearOfOlder = new HashSet<>();
    /** Changed by every retry, so a claim that read the outbox before the retry does not remember what it found. */
    private long retries;
    /** H2 only: the claims, which no other process reads (the claim columns stay empty). */
    private final LocalClaims localClaims = new LocalClaims();
    /**
     * PostgreSQL: this process's claimed notifications whose callback call has ended and whose outcome is not written
     * yet; its claims do not count them in flight (see {@link #callEnded}).
     */
    private final Set<String> callsEnded = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Object choosing = new Object();

    public JdbcOutboxStore(DataSource dataSource, SqlDialect dialect) {
        this.jdbc = new Jdbc(dataSource);
        this.dialect = dialect;
    }

    @Override
    public int savePoll(long instanceId, String resource, List<OutboxNotification> notifications, Watermark expected,
                        Watermark watermark) {
        try {
            return jdbc.inTransaction("store poll of " + instanceId + "/" + resource, c -> {
                int stored = 0;
                try (PreparedStatement insertNotification = c.prepareStatement("insert into pe_notification (id, instance_id, resource,"
                        + " status, event_count, attempts, created_at, next_attempt_at) values (?, ?, ?, 'PENDING', ?, 0, ?, ?)");
                     PreparedStatement insertBody = c.prepareStatement("insert into pe_notification_body (id, body) values (?, ?)");
                     PreparedStatement insertEvent = c.prepareStatement("insert into pe_event (id, notification_id, instance_id,"
                             + " resource, object_id, event_type, event_date) values (?, ?, ?, ?, ?, ?, ?)")) {
                    for (OutboxNotification n : notifications) {
                        insertNotification.setString(1, n.id());
                        insertNotification.setLong(2, instanceId);
                        insertNotification.setString(3, resource);
                        insertNotification.setInt(4, n.events().size());
                        insertNotification.setLong(5, n.createdAt());
                        insertNotification.setLong(6, n.createdAt());
                        insertNotification.addBatch();
                        insertBody.setString(1, n.id());
                        insertBody.setString(2, n.body());
                        insertBody.addBatch();
                        for (OutboxEvent e : n.events()) {
                            insertEvent.setString(1, e.id());
                            insertEvent.setString(2, n.id());
                            insertEvent.setLong(3, instanceId);
                            insertEvent.setString(4, resource);
                            insertEvent.setString(5, e.objectId());
                            insertEvent.setString(6, e.eventType());
                            insertEvent.setLong(7, e.eventDate());
                            insertEvent.addBatch();
                        }
                        stored += n.events().size();
                    }
                    if (!notifications.isEmpty()) {
                        insertNotification.executeBatch();
                        insertBody.executeBatch();
                        insertEvent.executeBatch(); // the unique per-object index refuses an event stored before
                    }
                }
                if (watermark != null) {
                    int moved = Jdbc.update(c, "update pe_watermark set watermark_ms = ?, ids_at_watermark = ?"
                                    + " where instance_id = ? and resource = ? and watermark_ms = ? and ids_at_watermark = ?",
                            watermark.at().toEpochMilli(), idsJson(watermark), instanceId, resource,
                            expected.at().toEpochMilli(), idsJson(expected));
                    if (moved != 1) {
                        throw new ConcurrentPollException("the watermark of " + instanceId + "/" + resource
                                + " moved while this poll ran (another poll of the same resource)");
                    }
                }
                return stored;
            });
        } catch (StoreException e) {
            if (Jdbc.hasSqlState(e, "23505")) { // unique violation
                throw new ConcurrentPollException("an event of this poll of " + instanceId + "/" + resource
                        + " was stored by another poll of the same resource; nothing of this poll was stored");
            }
            throw e;
        }
    }

    @Override
    public Set<String> storedEventIds(long instanceId, String resource, Collection<OutboxEvent> events) {
        Map<String, List<OutboxEvent>> byObject = new HashMap<>();
        events.forEach(e -> byObject.computeIfAbsent(e.objectId(), o -> new ArrayList<>(1)).add(e));
        List<String> objects = new ArrayList<>(byObject.keySet());
        Set<String> stored = new HashSet<>();
        for (int i = 0; i < objects.size(); i += 500) {
            List<String> chunk = objects.subList(i, Math.min(objects.size(), i + 500));
            Object[] args = concat(chunk.toArray(), instanceId, resource);
            // a join with the objects as rows: "object_id in (...)" made H2 read every event of the resource
            String objectRows = String.join(", ", Collections.nCopies(chunk.size(), "(?)"));
            jdbc.query("find stored events of " + instanceId + "/" + resource, "select e.object_id, e.event_date from (values "
                    + objectRows + ") t (o) join pe_event e on e.instance_id = ? and e.resource = ? and e.object_id = t.o", rs -> {
                        String objectId = rs.getString(1);
                        long date = rs.getLong(2);
                        byObject.get(objectId).stream().filter(e -> e.eventDate() == date).forEach(e -> stored.add(e.id()));
                        return null;
                    }, args);
        }
        return stored;
    }

    /**
     * PostgreSQL: the instances with pending notifications, one index probe each (a loose index scan of the pending
     * index, which PostgreSQL does not do by itself): grouping or numbering the pending rows instead read the whole
     * backlog on every claim, and delivery fell to 1,250 events/s under a backlog of about 97,000 (bench (c)).
     */
    private static final String PENDING_INSTANCES = "pending_instance (instance_id) as ("
            + "(select instance_id from pe_notification where status = 'PENDING' order by instance_id limit 1)"
            + " union all select (select n.instance_id from pe_notification n where n.status = 'PENDING'"
            + " and n.instance_id > p.instance_id order by n.instance_id limit 1)"
            + " from pending_instance p where p.instance_id is not null)";

    /**
     * The ids a claim takes: due, unclaimed notifications, each instance's oldest first. A notification waits while an
     * older pending one carries one of its objects (per-object order); of the rest an instance takes at most
     * {@code perInstance} minus what it has in flight, and instances take turns. Only the first {@link #LOOK_AHEAD}
     * times {@code perInstance} due ones of each instance (read in order from the pending index) are looked at, so a
     * claim costs about the same however long the backlog is. Needs {@link #PENDING_INSTANCES}. Parameters: now, now,
     * look-ahead, now, the ids whose call ended (see {@link #callEnded}), perInstance, limit.
     */
    private static final String CLAIMABLE = "select u.id, u.turn, u.seq from ("
            + " select c.id, c.seq, c.instance_id, row_number() over (partition by c.instance_id order by c.seq) as turn from ("
            + " select c0.id, c0.seq, c0.instance_id from pending_instance p cross join lateral ("
            + " select n.id, n.seq, n.instance_id from pe_notification n where n.status = 'PENDING' and n.instance_id = p.instance_id"
            + " and n.next_attempt_at <= ? and (n.claimed_until is null or n.claimed_until < ?) order by n.seq limit ?) c0"
            + " where p.instance_id is not null offset 0) c"
            // a scalar subquery, not NOT EXISTS: the planner turns NOT EXISTS into an anti-join over every pending
            // event (about 1 s at 25,000 pending notifications); and behind "offset 0", which keeps the planner from
            // running it before the look-ahead limit, on every pending notification (seconds, with a generic plan)
            + " where " + waitsForNoOlder("c") + ") u"
            + " left join (select instance_id, count(*) as busy from pe_notification"
            + " where status = 'PENDING' and claimed_until >= ? and not (id = any (?)) group by instance_id) b"
            + " on b.instance_id = u.instance_id"
            + " where u.turn + coalesce(b.busy, 0) <= ?"
            + " order by u.turn, u.seq limit ?";
    /** How many notifications per allowed slot a claim looks at in each instance (see {@link #CLAIMABLE}). */
    private static final int LOOK_AHEAD = 4;
    /** Candidates per notification a PostgreSQL claim takes, so a node finds work beside what other nodes are locking. */
    private static final int OTHER_NODES_ROOM = 4;
    /**
     * True when no older pending notification carries one of the row's objects. Nested scalar subqueries fix the
     * order: the row's events, other events of each object, their notification by key; a join here let a plan walk
     * every older pending notification instead.
     */
    private static String waitsForNoOlder(String row) {
        return "(select 1 from pe_event e where e.notification_id = " + row + ".id and exists (select 1 from pe_event o"
                + " where o.instance_id = e.instance_id and o.resource = e.resource and o.object_id = e.object_id"
                + " and o.notification_id <> e.notification_id and (select p.seq from pe_notification p"
                + " where p.id = o.notification_id and p.status = 'PENDING') < " + row + ".seq) limit 1) is null";
    }

    /**
     * What the locked row itself must still be when the claim takes it. In PostgreSQL's read committed mode a row
     * another node claimed, or claimed and delivered, since this statement's snapshot is re-checked against these
     * conditions only, so they must say "pending and free", not just "free".
     */
    private static String stillClaimable(String row) {
        return row + ".status = 'PENDING' and " + row + ".next_attempt_at <= ? and (" + row + ".claimed_until is null or "
                + row + ".claimed_until < ?)";
    }

    @Override
    public List<OutboxNotification> claimDue(String owner, long now, long leaseMillis, int perInstance, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        long until = now + leaseMillis;
        List<OutboxNotification> claimed = jdbc.inTransaction("claim due notifications", c -> dialect == SqlDialect.POSTGRESQL
                ? claimReturning(c, owner, now, until, perInstance, limit)
                : chooseThenRead(c, owner, now, until, perInstance, limit));
        return claimed.stream().sorted(Comparator.comparingLong(OutboxNotification::createdAt)).toList();
    }

    // one statement. Nodes that claim at the same moment see the same candidates: each takes them in its own order
    // within a turn (an instance's oldest first still) and skips, rather than waits for, those another node locks.
    // The locking select runs once, in a materialized CTE: as an IN (...) subquery the planner may run it again.
    private List<OutboxNotification> claimReturning(Connection c, String owner, long now, long until, int perInstance,
                                                           int limit) throws SQLException {
        java.sql.Array callEnded = c.createArrayOf("varchar", callsEnded.toArray());
        Object[] claimable = {now, now, perInstance * LOOK_AHEAD, now, callEnded, perInstance, limit * OTHER_NODES_ROOM};
        String sql = "with recursive " + PENDING_INSTANCES + ", chosen as materialized (select n.id from pe_notification n"
                + " join (" + CLAIMABLE + ") k on k.id = n.id"
                + " where " + stillClaimable("n")
                + " order by k.turn, md5(n.id || ?) limit ? for update of n skip locked),"
                + " claimed as (update pe_notification t set claimed_by = ?, claimed_until = ? from chosen where t.id = chosen.id"
                + " returning t.id, t.instance_id, t.resource, t.attempts, t.created_at, t.event_count)"
                + " select " + NOTIFICATION_COLUMNS + " from claimed n join pe_notification_body b on b.id = n.id";
        return Jdbc.query(c, sql, JdbcOutboxStore::notification, concat(claimable, now, now, owner, limit, owner, until));
    }

    // H2 serves one process, whose dispatcher claims from one thread at a time: choose, read the chosen, claim them in
    // memory (LocalClaims), so a claim writes nothing; claims of other threads wait (nothing in the database stops two
    // claims from choosing the same rows). H2 has no plan that keeps CLAIMABLE cheap on a long backlog (100,000 events:
    // 146 s instead of 31 s), so it takes each instance's oldest due notifications and checks only those for an older one
    // of their objects.
    private List<OutboxNotification> chooseThenRead(Connection c, String owner, long now, long until, int perInstance,
                                                    int limit) throws SQLException {
        synchronized (choosing) {
            return chooseThenReadAlone(c, owner, now, until, perInstance, limit);
        }
    }

    private List<OutboxNotification> chooseThenReadAlone(Connection c, String owner, long now, long until, int perInstance,
                                                         int limit) throws SQLException {
        List<String> ids = chooseOneInstanceAtATime(c, now, perInstance, limit);
        if (ids.isEmpty()) {
            return List.of();
        }
        synchronized (clearOfOlder) {
            ids.forEach(clearOfOlder::remove); // a claimed one that fails and is retried later is checked again
        }
        List<OutboxNotification> chosen = Jdbc.query(c, "select " + NOTIFICATION_COLUMNS + " from pe_notification n"
                + " join pe_notification_body b on b.id = n.id where n.id in (" + Jdbc.marks(ids.size()) + ")"
                + " and n.status = 'PENDING'", JdbcOutboxStore::notification, ids.toArray());
        java.util.Map<String, Long> instances = new java.util.HashMap<>();
        chosen.forEach(n -> instances.put(n.id(), n.instanceId()));
        localClaims.claim(instances, owner, until);
        return chosen;
    }

    private List<String> chooseOneInstanceAtATime(Connection c, long now, int perInstance, int limit) throws SQLException {
        long retriesNow;
        synchronized (clearOfOlder) {
            retriesNow = retries;
        }
        java.util.Map<Long, LocalClaims.Held> busy = localClaims.heldPerInstance(now);
        // each instance with pending notifications, found by stepping through the pending index (one probe per instance,
        // where grouping the pending rows read the whole backlog on every claim); its due ones come oldest first. The
        // index's leading columns are in each "order by" so that H2 reads the index in order and stops at the limit.
        record Turns(long oldestSeq, List<String> ids) {
        }
        List<Turns> turnsByAge = new ArrayList<>();
        Long from = Long.MIN_VALUE;
        while (from != null) {
            // ">= the next id", not "> this id": H2 starts a ">" search at the id itself and steps through every pending
            // notification of that instance (284 us a probe at 50,000 pending, 27 us with ">=")
            List<Long> next = Jdbc.query(c, "select instance_id from pe_notification use index (pe_notification_pending_order)"
                    + " where status = 'PENDING' and instance_id >= ? order by status, instance_id limit 1", rs -> rs.getLong(1), from);
            if (next.isEmpty()) {
                break;
            }
            long instanceId = next.get(0);
            from = instanceId == Long.MAX_VALUE ? null : instanceId + 1;
            LocalClaims.Held instanceHeld = busy.getOrDefault(instanceId, NONE_HELD);
            long held = instanceHeld.claims();
            long free = perInstance - instanceHeld.calling();
            if (free <= 0) {
                continue;
            }
            List<String> candidates = new ArrayList<>();
            List<Long> seqs = new ArrayList<>();
            // the instance's claimed ones are among its oldest pending: read past them
            Jdbc.query(c, "select n.id, n.seq from pe_notification n use index (pe_notification_pending_order) where n.instance_id = ?"
                    + " and n.status = 'PENDING' and n.next_attempt_at <= ? order by n.status, n.instance_id, n.seq limit ?", rs -> {
                        if (!localClaims.held(rs.getString(1), now)) {
                            candidates.add(rs.getString(1));
                            seqs.add(rs.getLong(2));
                        }
                        return null;
                    }, instanceId, now, free * LOOK_AHEAD + held);
            if (!candidates.isEmpty()) {
                Set<String> waiting = waitingForOlder(c, candidates, retriesNow);
                turnsByAge.add(new Turns(seqs.get(0), candidates.stream().filter(id -> !waiting.contains(id)).limit(free).toList()));
            }
        }
        turnsByAge.sort(Comparator.comparingLong(Turns::oldestSeq));
        List<List<String>> turns = turnsByAge.stream().map(Turns::ids).toList();
        List<String> chosen = new ArrayList<>();
        for (int turn = 0; chosen.size() < limit; turn++) {
            boolean any = false;
            for (List<String> ids : turns) {
                if (turn < ids.size() && chosen.size() < limit) {
                    chosen.add(ids.get(turn));
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        return chosen;
    }

    // per-object order for a few candidates in one query (H2 runs this join well when it starts from their ids); those
    // found clear before are not checked again
    private Set<String> waitingForOlder(Connection c, List<String> candidates, long retriesBefore) throws SQLException {
        List<String> unchecked;
        synchronized (clearOfOlder) {
            unchecked = candidates.stream().filter(id -> !clearOfOlder.contains(id)).toList();
        }
        if (unchecked.isEmpty()) {
            return Set.of();
        }
        String marks = Jdbc.marks(unchecked.size());
        Set<String> waiting = new HashSet<>(Jdbc.query(c, "select distinct e.notification_id from pe_event e"
                + " join pe_notification n on n.id = e.notification_id"
                + " join pe_event o on o.instance_id = e.instance_id and o.resource = e.resource and o.object_id = e.object_id"
                + " join pe_notification p on p.id = o.notification_id"
                + " where e.notification_id in (" + marks + ") and p.status = 'PENDING' and p.seq < n.seq",
                rs -> rs.getString(1), unchecked.toArray()));
        synchronized (clearOfOlder) {
            if (retries == retriesBefore) {
                if (clearOfOlder.size() + unchecked.size() > CLEAR_OF_OLDER_MAX) {
                    clearOfOlder.clear();
                }
                unchecked.stream().filter(id -> !waiting.contains(id)).forEach(clearOfOlder::add);
            }
        }
        return waiting;
    }

    /** After a retry made notifications pending again, which may now hold newer ones back. */
    private void forgetClearOfOlder() {
        synchronized (clearOfOlder) {
            retries++;
            clearOfOlder.clear();
        }
    }

    private static Object[] concat(Object[] first, Object... more) {
        Object[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    @Override
    public void callEnded(String notificationId, String owner) {
        if (dialect == SqlDialect.POSTGRESQL) {
            callsEnded.add(notificationId);
        } else {
            localClaims.callEnded(notificationId, owner);
        }
    }

    @Override
    public void markDelivered(String notificationId, String owner, long now, int httpStatus) {
        markDelivered(owner, List.of(new DeliveredOutcome(notificationId, now, httpStatus)));
    }

    /** Where an outcome is recorded only for the claim's owner: the claim columns, or on H2 the claims in memory. */
    private String ownerHoldsClaim() {
        return dialect == SqlDialect.POSTGRESQL ? " and claimed_by = ?" : "";
    }

    @Override
    public void markDelivered(String owner, List<DeliveredOutcome> outcomes) {
        List<DeliveredOutcome> owned = dialect == SqlDialect.POSTGRESQL ? outcomes
                : outcomes.stream().filter(o -> localClaims.ownedBy(o.notificationId(), owner)).toList();
        if (owned.isEmpty()) {
            return;
        }
        try {
            markOwnedDelivered(owner, owned);
        } finally {
            // written or not (then the claim runs out), no longer this process's to count
            owned.forEach(o -> callsEnded.remove(o.notificationId()));
        }
        localClaims.release(owned.stream().map(DeliveredOutcome::notificationId).toList());
    }

    private void markOwnedDelivered(String owner, List<DeliveredOutcome> owned) {
        // a batch locks several rows: a deadlock with an instance's delete must not leave them to be sent again
        jdbc.inTransactionRetryingDeadlocks("mark " + owned.size() + " notifications delivered", c -> {
            try (var ps = c.prepareStatement("update pe_notification set status = 'DELIVERED', attempts = attempts + 1,"
                    + " last_attempt_at = ?, last_status = ?, last_error = null, delivered_at = ?, claimed_by = null,"
                    + " claimed_until = null where id = ? and status = 'PENDING'" + ownerHoldsClaim())) {
                for (DeliveredOutcome outcome : owned) {
                    ps.setLong(1, outcome.at());
                    ps.setInt(2, outcome.httpStatus());
                    ps.setLong(3, outcome.at());
                    ps.setString(4, outcome.notificationId());
                    if (dialect == SqlDialect.POSTGRESQL) {
                        ps.setString(5, owner);
                    }
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    @Override
    public void markFailed(String notificationId, String owner, long now, Integer httpStatus, String error, Long nextAttemptAt) {
        String text = error == null ? null : error.length() > 4000 ? error.substring(0, 3997) + "..." : error;
        boolean postgres = dialect == SqlDialect.POSTGRESQL;
        if (!postgres && !localClaims.ownedBy(notificationId, owner)) {
            return;
        }
        Object[] args = {nextAttemptAt == null ? "DEAD" : "PENDING", now, httpStatus, text, nextAttemptAt == null ? now : nextAttemptAt,
                notificationId};
        try {
            jdbc.update("mark " + notificationId + " failed",
                    "update pe_notification set status = ?, attempts = attempts + 1, last_attempt_at = ?, last_status = ?, last_error = ?,"
                            + " next_attempt_at = ?, claimed_by = null, claimed_until = null"
                            + " where id = ? and status = 'PENDING'" + ownerHoldsClaim(), postgres ? concat(args, owner) : args);
        } finally {
            callsEnded.remove(notificationId);
        }
        localClaims.release(List.of(notificationId));
    }

    @Override
    public void releaseClaims() {
        localClaims.releaseAll();
        callsEnded.clear();
        jdbc.update("release claims", "update pe_notification set claimed_by = null, claimed_until = null where claimed_by is not null");
    }

    @Override
    public List<EventLogEntry> events(long instanceId, DeliveryStatus status, int limit) {
        String sql = "select e.id, n.id, e.resource, e.object_id, e.event_type, e.event_date, n.status, n.attempts, n.created_at,"
                + " n.last_attempt_at, n.last_status, n.last_error, n.next_attempt_at, n.delivered_at"
                + " from pe_event e join pe_notification n on n.id = e.notification_id where e.instance_id = ?"
                + (status == null ? "" : " and n.status = ?") + " order by n.seq desc, e.event_date desc, e.object_id desc limit ?";
        Object[] args = status == null ? new Object[] {instanceId, limit} : new Object[] {instanceId, status.name(), limit};
        // the newest, read newest first so the database stops at the limit, then returned oldest first
        List<EventLogEntry> newest = jdbc.query("list events of instance " + instanceId, sql, rs -> new EventLogEntry(
                rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6),
                DeliveryStatus.valueOf(rs.getString(7)), rs.getInt(8), rs.getLong(9), rs.getObject(10, Long.class),
                rs.getObject(11, Integer.class), rs.getString(12),
                "PENDING".equals(rs.getString(7)) ? rs.getObject(13, Long.class) : null, rs.getObject(14, Long.class)), args);
        java.util.Collections.reverse(newest);
        return newest;
    }

    @Override
    public java.util.Optional<String> notificationBody(long instanceId, String eventId) {
        // no index of event ids (see storedEventIds): the event is found among its instance's events
        return jdbc.query("notification of event " + eventId, "select b.body from pe_notification_body b"
                + " join pe_event e on e.notification_id = b.id where e.instance_id = ? and e.id = ?",
                rs -> rs.getString(1), instanceId, eventId).stream().findFirst();
    }

    @Override
    public List<MinuteActivity> activity(long instanceId, long since) {
        java.util.Map<Long, long[]> found = new java.util.TreeMap<>();
        jdbc.query("events found per minute of instance " + instanceId,
                "select created_at / 60000, sum(event_count) from pe_notification where instance_id = ? and created_at >= ?"
                        + " group by created_at / 60000",
                rs -> found.put(rs.getLong(1), new long[] {rs.getLong(2)}), instanceId, since);
        java.util.Map<Long, MinuteActivity> minutes = new java.util.TreeMap<>();
        found.forEach((minute, count) -> minutes.put(minute, new MinuteActivity(minute * 60_000, count[0], 0, null, null)));
        jdbc.query("events delivered per minute of instance " + instanceId,
                "select delivered_at / 60000, sum(event_count), avg(delivered_at - created_at), max(delivered_at - created_at)"
                        + " from pe_notification where instance_id = ? and status = 'DELIVERED' and delivered_at >= ?"
                        + " group by delivered_at / 60000",
                rs -> minutes.put(rs.getLong(1), new MinuteActivity(rs.getLong(1) * 60_000,
                        found.getOrDefault(rs.getLong(1), new long[] {0})[0], rs.getLong(2), rs.getDouble(3), rs.getLong(4))),
                instanceId, since);
        return new ArrayList<>(minutes.values());
    }

    @Override
    public boolean retryEvent(long instanceId, String eventId, long now) {
        try {
            return jdbc.update("retry event " + eventId,
                    "update pe_notification set status = 'PENDING', next_attempt_at = ?, attempts = 0, claimed_by = null, claimed_until = null"
                            + " where instance_id = ? and id = (select notification_id from pe_event where instance_id = ? and id = ?)",
                    now, instanceId, instanceId, eventId) > 0;
        } finally {
            forgetClearOfOlder();
        }
    }

    @Override
    public int retryAll(long instanceId, DeliveryStatus status, long now) {
        try {
            return jdbc.update("retry " + status + " notifications of instance " + instanceId,
                    "update pe_notification set status = 'PENDING', next_attempt_at = ?, attempts = 0, claimed_by = null, claimed_until = null"
                            + " where instance_id = ? and status = ?", now, instanceId, status.name());
        } finally {
            forgetClearOfOlder();
        }
    }

    @Override
    public int purgeDelivered(long deliveredBefore) {
        return jdbc.update("purge delivered notifications",
                "delete from pe_notification where status = 'DELIVERED' and delivered_at < ?", deliveredBefore);
    }

    @Override
    public List<DeliveryCounts> counts(long instanceId) {
        return countsWhere(" where instance_id = ?", instanceId);
    }

    @Override
    public List<DeliveryCounts> countsOf(Collection<Long> instanceIds) {
        return instanceIds.isEmpty() ? List.of()
                : countsWhere(" where instance_id in (" + Jdbc.marks(instanceIds.size()) + ")", instanceIds.toArray());
    }

    @Override
    public List<DeliveryCounts> allCounts() {
        return countsWhere("");
    }

    private List<DeliveryCounts> countsWhere(String where, Object... args) {
        return jdbc.query("count notifications",
                "select instance_id, resource,"
                        + " sum(case when status = 'PENDING' then 1 else 0 end),"
                        + " sum(case when status = 'DEAD' then 1 else 0 end),"
                        + " min(case when status = 'PENDING' then created_at end)"
                        + " from pe_notification" + where + " group by instance_id, resource order by instance_id, resource",
                rs -> new DeliveryCounts(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getObject(5, Long.class)), args);
    }

    private static OutboxNotification notification(ResultSet rs) throws SQLException {
        return new OutboxNotification(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                rs.getLong(6), rs.getInt(7), List.of());
    }

    private static String idsJson(Watermark watermark) {
        try {
            return JSON.writeValueAsString(new TreeSet<>(watermark.idsAtWatermark()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
