package io.pollingevents.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's loopback hub and webhook receiver, run in their own JVM so that their CPU time is not
 * counted for the engine or the baseline. Three JDK HttpServers on 127.0.0.1:
 * <ul>
 *   <li>hub: {@code GET /hubs/humancapital/<resource>?count=N} streams N generated SmartRecruiters-style
 *   candidates dated after the request (all of them are events for a fresh watermark);
 *   {@code ?mode=tick} keeps per (Authorization, path) a list of records, adds one new record ({@code &burst=N}:
 *   N records) on every other request and returns those updated after the {@code where=updatedAfter='...'} date
 *   (0-1, or 0-N, new records per poll);</li>
 *   <li>receiver: any {@code POST /cb/...} is answered 200; it counts the distinct event ids per path and checks
 *   the Elements-Webhook-Signature; with {@code ?delayMs=N} it answers N ms late (a slow receiver);</li>
 *   <li>control: {@code /ctl/await?path=&count=&timeoutMs=} blocks until the path has count distinct events,
 *   {@code /ctl/stats} totals, {@code /ctl/drop?prefix=} forgets paths.</li>
 * </ul>
 * Arguments: the minutes to run at most (30), the receiver's threads (8).
 * Prints {@code READY <hubPort> <receiverPort> <controlPort>} and runs until stdin closes (its parent ended)
 * or at most {@code maxMinutes}.
 */
public final class LoopbackServers {
    public static final String SIGNATURE_KEY = "bench-signature-key";
    static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
    static final DateTimeFormatter SR = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
    private static final String[] FIRST = {"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Margaret", "Linus"};
    private static final String[] LAST = {"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Hamilton", "Torvalds"};
    private static final String[] STATUS = {"NEW", "IN_REVIEW", "INTERVIEW", "OFFERED", "HIRED"};

    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, PathState> paths = new ConcurrentHashMap<>();
    private final Map<String, TickState> ticks = new ConcurrentHashMap<>();
    private final AtomicLong requestSeq = new AtomicLong();
    private final AtomicLong bulkRequests = new AtomicLong();
    private final AtomicLong bulkRecords = new AtomicLong();
    private final AtomicLong tickRequests = new AtomicLong();
    private final AtomicLong tickCreated = new AtomicLong();
    private final AtomicLong tickServed = new AtomicLong();
    private final AtomicLong notifications = new AtomicLong();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong uniqueEvents = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong badSignatures = new AtomicLong();
    private final Object arrived = new Object();

    static final class PathState {
        final Set<String> ids = new HashSet<>();
        long notifications;
        long duplicates;
        long lastArrivalMillis;
    }

    static final class TickState {
        long polls;
        long lastDate;
        long seq;
        final ArrayDeque<long[]> records = new ArrayDeque<>(); // {updatedMillis, seq}
    }

    public static void main(String[] args) throws Exception {
        int maxMinutes = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        LoopbackServers s = new LoopbackServers();
        ExecutorService hubPool = Executors.newFixedThreadPool(8);
        // more threads only for a receiver that answers slowly (?delayMs=), so that its calls wait side by side
        ExecutorService receiverPool = Executors.newFixedThreadPool(args.length > 1 ? Integer.parseInt(args[1]) : 8);
        ExecutorService controlPool = Executors.newFixedThreadPool(4);
        HttpServer hub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        hub.createContext("/hubs/", s::hub);
        hub.setExecutor(hubPool);
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        receiver.createContext("/cb/", s::receive);
        receiver.setExecutor(receiverPool);
        HttpServer control = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        control.createContext("/ctl/", s::control);
        control.setExecutor(controlPool);
        hub.start();
        receiver.start();
        control.start();
        System.out.println("READY " + hub.getAddress().getPort() + " " + receiver.getAddress().getPort() + " "
                + control.getAddress().getPort());
        System.out.flush();
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(maxMinutes * 60_000L);
            } catch (InterruptedException ignored) {
                // exit below
            }
            System.err.println("loopback servers: " + maxMinutes + " min limit reached, exiting");
            Runtime.getRuntime().halt(3);
        }, "watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        InputStream in = System.in;
        byte[] buf = new byte[256];
        while (in.read(buf) >= 0) {
            // runs until the parent closes our stdin
        }
        hub.stop(0);
        receiver.stop(0);
        control.stop(0);
        Runtime.getRuntime().halt(0);
    }

    // ---------------------------------------------------------------- hub

    private void hub(HttpExchange ex) throws IOException {
        try (ex) {
            long arrival = System.currentTimeMillis();
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().set("Content-Type", "application/json");
            if (q.containsKey("count")) {
                bulk(ex, Integer.parseInt(q.get("count")), arrival);
            } else {
                tick(ex, q, arrival);
            }
        }
    }

    /** N records, all updated after the request arrived; half created before (UPDATED), half after (CREATED). */
    private void bulk(HttpExchange ex, int count, long arrival) throws IOException {
        bulkRequests.incrementAndGet();
        long seq = requestSeq.incrementAndGet();
        long base = arrival + 1000;
        ex.sendResponseHeaders(200, 0); // chunked: the body is generated while it is sent
        DateCache dates = new DateCache();
        StringBuilder sb = new StringBuilder(64 * 1024);
        try (OutputStream out = new BufferedOutputStream(ex.getResponseBody(), 64 * 1024)) {
            sb.append('[');
            for (int i = 0; i < count; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                long updated = base + i;
                long created = (i % 2 == 0) ? updated : base - 86_400_000L + i;
                record(sb, "cand-" + seq + "-" + i, i, created, updated, dates);
                if (sb.length() > 60_000) {
                    out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
                    sb.setLength(0);
                }
            }
            sb.append(']');
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        bulkRecords.addAndGet(count);
    }

    /** One new record on every other poll of a (token, path); returns the records updated after updatedAfter. */
    private void tick(HttpExchange ex, Map<String, String> q, long arrival) throws IOException {
        tickRequests.incrementAndGet();
        String token = ex.getRequestHeaders().getFirst("Authorization"); // Open Connectors' header names the instance's token
        String key = token + ex.getRequestURI().getPath();
        long after = Long.MIN_VALUE;
        String where = q.getOrDefault("where", "");
        int a = where.indexOf("updatedAfter='");
        if (a >= 0) {
            int b = where.indexOf('\'', a + 14);
            after = LocalDateTime.parse(where.substring(a + 14, b), SR).toInstant(ZoneOffset.UTC).toEpochMilli();
        }
        int burst = Integer.parseInt(q.getOrDefault("burst", "1"));
        TickState state = ticks.computeIfAbsent(key, k -> new TickState());
        StringBuilder sb = new StringBuilder(1024).append('[');
        int served = 0;
        DateCache dates = new DateCache();
        synchronized (state) {
            state.polls++;
            if (state.polls % 2 == 1) {
                for (int b = 0; b < burst; b++) {
                    long date = Math.max(arrival, state.lastDate + 1);
                    state.lastDate = date;
                    state.records.addLast(new long[] {date, ++state.seq});
                }
                tickCreated.addAndGet(burst);
                while (state.records.size() > Math.max(50, burst * 10)) {
                    state.records.removeFirst();
                }
            }
            for (long[] r : state.records) {
                if (r[0] > after) {
                    if (served++ > 0) {
                        sb.append(',');
                    }
                    record(sb, key.replace('/', '-') + "-" + r[1], (int) r[1], r[0], r[0], dates);
                }
            }
        }
        tickServed.addAndGet(served);
        byte[] body = sb.append(']').toString().getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
    }

    /** A SmartRecruiters candidate (about 540 bytes). */
    static void record(StringBuilder sb, String id, int i, long created, long updated, DateCache dates) {
        String first = FIRST[i & 7];
        String last = LAST[(i >>> 3) & 7];
        sb.append("{\"id\":\"").append(id).append("\",\"internalId\":\"").append(Integer.toHexString(i * 7919 + 0x10000))
                .append("\",\"firstName\":\"").append(first).append("\",\"lastName\":\"").append(last)
                .append("\",\"email\":\"").append(first.toLowerCase()).append('.').append(i).append("@example.com\"")
                .append(",\"phoneNumber\":\"+1555").append(1_000_000 + i % 9_000_000).append('"')
                .append(",\"location\":{\"country\":\"United States\",\"countryCode\":\"us\",\"regionCode\":\"ca\",\"city\":\"San Francisco\"}")
                .append(",\"web\":{\"linkedIn\":\"https://www.linkedin.com/in/").append(id).append("\"}")
                .append(",\"averageRating\":").append(i % 5).append(",\"tags\":[\"java\",\"camel\"]")
                .append(",\"primaryAssignment\":{\"job\":{\"id\":\"job-").append(i % 97).append("\",\"title\":\"Integration Engineer\"}")
                .append(",\"status\":\"").append(STATUS[i % STATUS.length]).append("\",\"source\":\"LinkedIn\"}")
                .append(",\"createdOn\":\"");
        dates.append(sb, created);
        sb.append("\",\"updatedOn\":\"");
        dates.append(sb, updated);
        sb.append("\"}");
    }

    /** yyyy-MM-dd'T'HH:mm:ss.SSS'Z' for epoch millis, with the seconds part cached. */
    static final class DateCache {
        private long second = Long.MIN_VALUE;
        private String prefix;

        void append(StringBuilder sb, long millis) {
            long s = Math.floorDiv(millis, 1000);
            if (s != second) {
                second = s;
                prefix = SECOND.format(Instant.ofEpochSecond(s));
            }
            int ms = (int) Math.floorMod(millis, 1000);
            sb.append(prefix).append('.').append((char) ('0' + ms / 100)).append((char) ('0' + ms / 10 % 10))
                    .append((char) ('0' + ms % 10)).append('Z');
        }
    }

    // ---------------------------------------------------------------- receiver

    private void receive(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            String signature = ex.getRequestHeaders().getFirst("Elements-Webhook-Signature");
            if (signature == null || !signature.equals(sign(body))) {
                badSignatures.incrementAndGet();
            }
            JsonNode evs = mapper.readTree(body).path("message").path("events");
            String path = ex.getRequestURI().getPath();
            PathState state = paths.computeIfAbsent(path, p -> new PathState());
            int fresh = 0;
            int dup = 0;
            synchronized (state) {
                for (JsonNode e : evs) {
                    if (state.ids.add(e.path("id").asText())) {
                        fresh++;
                    } else {
                        dup++;
                    }
                }
                state.notifications++;
                state.duplicates += dup;
                state.lastArrivalMillis = System.currentTimeMillis();
            }
            notifications.incrementAndGet();
            events.addAndGet(evs.size());
            uniqueEvents.addAndGet(fresh);
            duplicates.addAndGet(dup);
            synchronized (arrived) {
                arrived.notifyAll();
            }
            String delayMs = query(ex.getRequestURI().getRawQuery()).get("delayMs");
            if (delayMs != null) {
                // a receiver that takes this long per callback (--receiver-delay-ms): delivery bound by latency, not CPU
                sleep(Long.parseLong(delayMs));
            }
            ex.sendResponseHeaders(200, -1);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SIGNATURE_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- control

    private void control(HttpExchange ex) throws IOException {
        try (ex) {
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            String op = ex.getRequestURI().getPath().substring("/ctl/".length());
            Map<String, Object> out = new LinkedHashMap<>();
            switch (op) {
                case "await" -> {
                    String path = q.get("path");
                    long count = Long.parseLong(q.get("count"));
                    long deadline = System.currentTimeMillis() + Math.min(Long.parseLong(q.getOrDefault("timeoutMs", "60000")), 1_800_000L);
                    PathState state = paths.computeIfAbsent(path, p -> new PathState());
                    while (true) {
                        int have;
                        synchronized (state) {
                            have = state.ids.size();
                        }
                        long left = deadline - System.currentTimeMillis();
                        if (have >= count || left <= 0) {
                            break;
                        }
                        synchronized (arrived) {
                            try {
                                arrived.wait(Math.min(left, 50));
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                break;
                            }
                        }
                    }
                    synchronized (state) {
                        out.put("events", state.ids.size());
                        out.put("notifications", state.notifications);
                        out.put("duplicates", state.duplicates);
                        out.put("lastArrivalMillis", state.lastArrivalMillis);
                    }
                }
                case "drop" -> {
                    String prefix = q.getOrDefault("prefix", "/cb/");
                    paths.keySet().removeIf(p -> p.startsWith(prefix));
                    out.put("dropped", prefix);
                }
                case "stats" -> {
                    out.put("bulkRequests", bulkRequests.get());
                    out.put("bulkRecords", bulkRecords.get());
                    out.put("tickRequests", tickRequests.get());
                    out.put("tickCreated", tickCreated.get());
                    out.put("tickServed", tickServed.get());
                    out.put("notifications", notifications.get());
                    out.put("events", events.get());
                    out.put("uniqueEvents", uniqueEvents.get());
                    out.put("duplicates", duplicates.get());
                    out.put("badSignatures", badSignatures.get());
                }
                default -> out.put("error", "unknown " + op);
            }
            byte[] body = mapper.writeValueAsBytes(out);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
        }
    }

    static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null) {
            return q;
        }
        for (String p : raw.split("&")) {
            int eq = p.indexOf('=');
            if (eq > 0) {
                q.put(URLDecoder.decode(p.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return q;
    }
}
