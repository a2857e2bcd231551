package io.pollingevents.bench;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.pollingevents.bench.BenchSupport.JSON;

/**
 * The hand-written baseline: one "poll" is a JDK HttpClient GET of the hub, a streaming Jackson parse, the
 * watermark date filter, Open Connectors-style notifications of 10 events (same fields and stable name-based
 * UUIDs as the engine), HMAC-SHA256 Elements-Webhook-Signature and a POST of each notification to the
 * receiver, at most 16 in flight (the engine's default {@code polling.delivery.per-instance}). No database, no retries, no
 * durability: the lower bound of the work a poll has to do.
 */
public final class Baseline {
    private static final DateTimeFormatter SR = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String hub;
    private final String receiver;
    private final String control;
    private final Semaphore inFlight;

    Baseline(String hub, String receiver, String control, int maxInFlight) {
        this.inFlight = new Semaphore(maxInFlight);
        this.hub = hub;
        this.receiver = receiver;
        this.control = control;
    }

    /** args: --hub= --receiver= --control= --sizes=1000,100000 --warmup=3,1 --runs=5,3 --timeoutMs= */
    public static void main(String[] args) throws Exception {
        Baseline b = new Baseline(BenchSupport.arg(args, "hub", null), BenchSupport.arg(args, "receiver", null),
                BenchSupport.arg(args, "control", null), Integer.parseInt(BenchSupport.arg(args, "inflight", "16")));
        String[] sizes = BenchSupport.arg(args, "sizes", "1000,100000").split(",");
        String[] warmups = BenchSupport.arg(args, "warmup", "3,1").split(",");
        String[] runs = BenchSupport.arg(args, "runs", "5,3").split(",");
        long timeout = Long.parseLong(BenchSupport.arg(args, "timeoutMs", "120000"));
        for (int s = 0; s < sizes.length; s++) {
            int size = Integer.parseInt(sizes[s]);
            List<Double> walls = new ArrayList<>();
            List<Double> cpus = new ArrayList<>();
            List<Double> jits = new ArrayList<>();
            double[] first = null; // the size's first run (JIT still compiling): wall, CPU, JIT ms
            int w = Integer.parseInt(warmups[Math.min(s, warmups.length - 1)]);
            int r = Integer.parseInt(runs[Math.min(s, runs.length - 1)]);
            for (int i = 0; i < w + r; i++) {
                String path = "/cb/baseline-" + ProcessHandle.current().pid() + "-" + size + "-" + i;
                long cpu0 = BenchSupport.cpuNanos();
                long jit0 = BenchSupport.jitMillis();
                long t0 = System.nanoTime();
                int sent = b.poll(size, path);
                JsonNode got = BenchSupport.awaitEvents(b.control, path, size, timeout);
                long t1 = System.nanoTime();
                long cpu1 = BenchSupport.cpuNanos();
                double jitMs = BenchSupport.jitMillis() - jit0;
                if (sent != size || got.path("events").asLong() != size) {
                    throw new IllegalStateException("baseline poll of " + size + " built " + sent + " events, receiver has " + got);
                }
                double wallMs = (t1 - t0) / 1e6;
                double cpuMs = (cpu1 - cpu0) / 1e6;
                BenchSupport.log(String.format("baseline %d records, %s %d: wall %.1f ms, cpu %.1f ms (JIT %.0f)", size,
                        i < w ? "warm-up" : "run", i, wallMs, cpuMs, jitMs));
                if (i == 0) {
                    first = new double[] {wallMs, cpuMs, jitMs};
                }
                if (i >= w) {
                    walls.add(wallMs);
                    cpus.add(cpuMs);
                    jits.add(jitMs);
                }
                BenchSupport.control(b.control, "/ctl/drop?prefix=" + path, 5000);
                System.gc();
                Thread.sleep(300);
            }
            BenchSupport.result(BenchSupport.map("kind", "single", "impl", "baseline", "records", size, "runs", r,
                    "wallMs", BenchSupport.median(walls), "cpuMs", BenchSupport.median(cpus), "walls", walls, "cpus", cpus,
                    "jitMs", BenchSupport.median(jits), "warmups", w, "first", first));
        }
    }

    /** One poll: returns the number of events it built and sent (all acknowledged by the receiver). */
    int poll(int count, String path) throws Exception {
        Instant watermark = Instant.now();
        String where = "updatedAfter='" + SR.format(LocalDateTime.ofInstant(watermark, ZoneOffset.UTC)) + "'";
        URI uri = URI.create(hub + "/hubs/humancapital/candidates?count=" + count + "&where="
                + URLEncoder.encode(where, StandardCharsets.UTF_8));
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120)).header("X-SmartToken", "bench")
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("hub answered " + response.statusCode());
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(LoopbackServers.SIGNATURE_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        List<CompletableFuture<?>> sends = new ArrayList<>();
        AtomicInteger failures = new AtomicInteger();
        long wm = watermark.toEpochMilli();
        int events = 0;
        List<JsonNode> batch = new ArrayList<>(10);
        List<String> types = new ArrayList<>(10);
        List<Instant> dates = new ArrayList<>(10);
        try (InputStream in = response.body(); JsonParser parser = JSON.getFactory().createParser(in)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new IllegalStateException("hub body is not an array");
            }
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                JsonNode record = JSON.readTree(parser);
                Instant updated = parse(record.path("updatedOn").asText());
                if (updated.toEpochMilli() <= wm) {
                    continue;
                }
                Instant created = parse(record.path("createdOn").asText());
                batch.add(record);
                types.add(created.toEpochMilli() > wm ? "CREATED" : "UPDATED");
                dates.add(updated);
                events++;
                if (batch.size() == 10) {
                    sends.add(send(path, batch, types, dates, mac, failures));
                    batch = new ArrayList<>(10);
                    types = new ArrayList<>(10);
                    dates = new ArrayList<>(10);
                }
            }
        }
        if (!batch.isEmpty()) {
            sends.add(send(path, batch, types, dates, mac, failures));
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " deliveries failed");
        }
        return events;
    }

    private CompletableFuture<?> send(String path, List<JsonNode> records, List<String> types, List<Instant> dates, Mac mac,
                                      AtomicInteger failures) throws Exception {
        ObjectNode message = JSON.createObjectNode();
        ArrayNode events = JSON.createArrayNode();
        ArrayNode raw = JSON.createArrayNode();
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < records.size(); i++) {
            JsonNode record = records.get(i);
            String objectId = record.path("id").asText();
            String id = UUID.nameUUIDFromBytes(("1/candidates/" + objectId + "/" + dates.get(i).toEpochMilli())
                    .getBytes(StandardCharsets.UTF_8)).toString();
            ids.append(id);
            ObjectNode e = events.addObject();
            e.put("id", id);
            e.put("elementKey", "smartrecruiters");
            e.put("eventType", types.get(i));
            e.put("objectType", "candidates");
            e.put("objectId", objectId);
            e.put("eventDate", dates.get(i).toString());
            e.put("hubKey", "humancapital");
            raw.add(record);
        }
        message.put("id", UUID.nameUUIDFromBytes(ids.toString().getBytes(StandardCharsets.UTF_8)).toString());
        message.put("elementKey", "smartrecruiters");
        message.put("instanceId", 1);
        message.put("instanceName", "baseline");
        message.putArray("instanceTags").add("bench");
        message.put("pollDate", Instant.now().toString());
        message.set("events", events);
        message.putObject("raw").set("candidates", raw);
        ObjectNode root = JSON.createObjectNode();
        root.set("message", message);
        byte[] body = JSON.writeValueAsBytes(root);
        String signature = "sha256=" + Base64.getEncoder().encodeToString(mac.doFinal(body));
        HttpRequest request = HttpRequest.newBuilder(URI.create(receiver + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json; charset=UTF-8")
                .header("Elements-Webhook-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        inFlight.acquire();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
            inFlight.release();
            if (e != null || r.statusCode() / 100 != 2) {
                failures.incrementAndGet();
            }
        });
    }

    private static Instant parse(String text) {
        return LocalDateTime.parse(text, SR).toInstant(ZoneOffset.UTC);
    }
}
