package io.llmrouter.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.ChatStream;
import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.proxy.store.StoreSettings;
import io.llmrouter.testing.LoopbackLlmServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * The proxy's bounded loopback load test: {@code clients} concurrent callers (platform threads, a
 * closed loop: each sends its next request when the previous answer is complete), JSON and SSE
 * streaming, first straight on the in-process {@link Router}, then through the proxy over HTTP to
 * the same router, both in front of the same {@link LoopbackLlmServer}. It reports, per phase,
 * p50/p99 latency, throughput and errors, and the latency the proxy adds (proxy percentile minus
 * in-process percentile).
 *
 * <p>Run the full version (numbers in src-docs/proxy.md, "Load", which also shows the command:
 * the class path of router-proxy's tests with the sibling modules' freshly compiled classes) with
 * its {@link #main main}, e.g. {@code ProxyLoad --clients 64,1 --seconds 15 --warmup 3 --rounds 2}.
 * {@link ProxyLoadTest} runs a small version (64 clients x 20 requests) in the test suite.
 */
final class ProxyLoad {

    static final String MODEL = "gpt-4o";
    static final String MASTER_KEY = "sk-load-master-0123456789abcdef";

    private static final MediaType JSON = MediaType.get("application/json");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String PROMPT = "Say hello to the load test.";
    private static final byte[] CHAT_BODY = ("{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\""
            + PROMPT + "\"}]}").getBytes(StandardCharsets.UTF_8);
    private static final byte[] STREAM_BODY = ("{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\""
            + PROMPT + "\"}],\"stream\":true,\"stream_options\":{\"include_usage\":true}}").getBytes(StandardCharsets.UTF_8);
    private static final ChatRequest REQUEST = ChatRequest.ofUser(MODEL, PROMPT);

    private ProxyLoad() {
    }

    /** One call; throws when it was not answered in full. */
    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    /** How a phase is bounded: by a request count per client, or by time (whichever comes first). */
    record Bounds(int requestsPerClient, Duration duration) {

        static Bounds requests(int perClient) {
            return new Bounds(perClient, Duration.ofDays(1));
        }

        static Bounds time(Duration duration) {
            return new Bounds(Integer.MAX_VALUE, duration);
        }
    }

    /** What one phase measured. */
    static final class Phase {
        final String name;
        final int clients;
        final long[] sortedNanos;
        final long errors;
        final List<String> firstErrors;
        final long[] perClientAnswers;
        final long wallNanos;
        final long cpuNanos;

        Phase(String name, int clients, long[] sortedNanos, long errors, List<String> firstErrors,
                long[] perClientAnswers, long wallNanos, long cpuNanos) {
            this.name = name;
            this.clients = clients;
            this.sortedNanos = sortedNanos;
            this.errors = errors;
            this.firstErrors = firstErrors;
            this.perClientAnswers = perClientAnswers;
            this.wallNanos = wallNanos;
            this.cpuNanos = cpuNanos;
        }

        /** Calls answered in full. */
        long answered() {
            return sortedNanos.length;
        }

        /** Nearest-rank percentile in nanoseconds ({@code q} in (0, 1]); 0 with no answer. */
        long percentileNanos(double q) {
            if (sortedNanos.length == 0) {
                return 0;
            }
            int rank = (int) Math.ceil(q * sortedNanos.length);
            return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, rank - 1))];
        }

        double throughputPerSecond() {
            return wallNanos == 0 ? 0 : answered() * 1e9 / wallNanos;
        }

        /**
         * CPU time of the whole JVM (clients, proxy, router and upstream) per answered call, in
         * microseconds: unlike latency, hardly changed by other processes competing for the cores.
         */
        double cpuMicrosPerCall() {
            return answered() == 0 ? 0 : cpuNanos / 1e3 / answered();
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT,
                    "%-22s clients=%d answered=%d errors=%d p50=%.3f ms p99=%.3f ms %.0f req/s %.0f us cpu/call",
                    name, clients, answered(), errors, percentileNanos(0.50) / 1e6, percentileNanos(0.99) / 1e6,
                    throughputPerSecond(), cpuMicrosPerCall());
        }
    }

    /** Runs {@code call} from {@code clients} threads within {@code bounds}, and collects the latencies. */
    static Phase run(String name, int clients, Bounds bounds, Call call) throws InterruptedException {
        long[][] latencies = new long[clients][];
        int[] counts = new int[clients];
        AtomicLong errors = new AtomicLong();
        ConcurrentLinkedQueue<String> firstErrors = new ConcurrentLinkedQueue<>();
        CountDownLatch ready = new CountDownLatch(clients);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(clients);
        long[] deadline = new long[1];
        List<Thread> threads = new ArrayList<>(clients);
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                long[] mine = new long[Math.min(bounds.requestsPerClient(), 1 << 16)];
                int n = 0;
                try {
                    ready.countDown();
                    go.await();
                    for (int i = 0; i < bounds.requestsPerClient() && System.nanoTime() - deadline[0] < 0; i++) {
                        long start = System.nanoTime();
                        try {
                            call.run();
                        } catch (Exception | AssertionError e) {
                            errors.incrementAndGet();
                            if (firstErrors.size() < 5) {
                                firstErrors.add(e.toString());
                            }
                            continue;
                        }
                        long took = System.nanoTime() - start;
                        if (n == mine.length) {
                            mine = Arrays.copyOf(mine, n * 2);
                        }
                        mine[n++] = took;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    latencies[client] = mine;
                    counts[client] = n;
                    done.countDown();
                }
            }, "load-client-" + c);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        ready.await();
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        deadline[0] = start + bounds.duration().toNanos();
        go.countDown(); // publishes deadline[0] to the clients (happens-before through the latch)
        if (!done.await(bounds.duration().toMillis() + TimeUnit.MINUTES.toMillis(5), TimeUnit.MILLISECONDS)) {
            threads.forEach(Thread::interrupt);
            throw new IllegalStateException(name + ": clients did not finish");
        }
        long wall = System.nanoTime() - start;
        long cpu = processCpuNanos() - cpuStart;
        int total = 0;
        for (int count : counts) {
            total += count;
        }
        long[] all = new long[total];
        long[] perClient = new long[clients];
        int at = 0;
        for (int c = 0; c < clients; c++) {
            System.arraycopy(latencies[c], 0, all, at, counts[c]);
            at += counts[c];
            perClient[c] = counts[c];
        }
        Arrays.sort(all);
        return new Phase(name, clients, all, errors.get(), List.copyOf(firstErrors), perClient, wall, cpu);
    }

    /** This JVM's CPU time so far (all threads), or 0 where the JVM does not report it. */
    static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? Math.max(0, os.getProcessCpuTime()) : 0;
    }

    // ---- the calls ---------------------------------------------------------------------------

    /** A chat completion on the in-process router. */
    static Call inProcessChat(Router router) {
        return () -> {
            ChatResponse response = router.completion(REQUEST);
            if (response.text().isEmpty()) {
                throw new AssertionError("empty answer");
            }
        };
    }

    /** A streamed chat completion on the in-process router, read to the end. */
    static Call inProcessStream(Router router) {
        return () -> {
            int chunks = 0;
            try (ChatStream stream = router.stream(REQUEST)) {
                for (ChatChunk ignored : stream) {
                    chunks++;
                }
            }
            if (chunks < LoopbackLlmServer.STREAM_CHUNKS) {
                throw new AssertionError("stream ended after " + chunks + " chunks");
            }
        };
    }

    /** A chat completion through the proxy, with {@code key}. */
    static Call proxyChat(OkHttpClient http, String baseUrl, String key) {
        Request request = chatRequest(baseUrl, key, CHAT_BODY);
        return () -> {
            try (Response response = http.newCall(request).execute()) {
                ResponseBody body = response.body();
                String text = body.string();
                if (response.code() != 200) {
                    throw new AssertionError("status " + response.code() + ": " + abbreviate(text));
                }
                if (!text.contains("\"chat.completion\"")) {
                    throw new AssertionError("not a chat completion: " + abbreviate(text));
                }
            }
        };
    }

    /** A streamed chat completion through the proxy, with {@code key}, read to {@code data: [DONE]}. */
    static Call proxyStream(OkHttpClient http, String baseUrl, String key) {
        Request request = chatRequest(baseUrl, key, STREAM_BODY);
        return () -> {
            try (Response response = http.newCall(request).execute()) {
                if (response.code() != 200) {
                    throw new AssertionError("status " + response.code() + ": " + abbreviate(response.body().string()));
                }
                BufferedSource source = response.body().source();
                int events = 0;
                boolean done = false;
                String line;
                while ((line = source.readUtf8Line()) != null) {
                    if (line.startsWith("data:")) {
                        if (done) {
                            throw new AssertionError("data after [DONE]");
                        }
                        events++;
                        done = line.equals("data: [DONE]");
                    }
                }
                if (!done || events < LoopbackLlmServer.STREAM_CHUNKS) {
                    throw new AssertionError("stream ended after " + events + " events" + (done ? "" : " without [DONE]"));
                }
            }
        };
    }

    private static Request chatRequest(String baseUrl, String key, byte[] body) {
        return new Request.Builder().url(baseUrl + "/v1/chat/completions").header("Authorization", "Bearer " + key)
                .post(RequestBody.create(body, JSON)).build();
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    // ---- the set-up ---------------------------------------------------------------------------

    /** An HTTP client for {@code clients} concurrent callers: one kept-alive connection each. */
    static OkHttpClient httpClient(int clients) {
        return new OkHttpClient.Builder()
                .connectionPool(new ConnectionPool(Math.max(8, clients * 2), 5, TimeUnit.MINUTES))
                .callTimeout(Duration.ofSeconds(60))
                .readTimeout(Duration.ofSeconds(30))
                .build();
    }

    /** A router with one OpenAI deployment at {@code upstream}. */
    static Router router(LoopbackLlmServer upstream) {
        return Router.builder()
                .deployment(Deployment.builder(MODEL, "openai/gpt-4o").id("load-upstream").apiBase(upstream.baseUrl())
                        .apiKey(Secret.of("sk-upstream-not-a-real-key")).build())
                .build();
    }

    /** Creates a virtual key through the admin API and returns it. */
    static String generateKey(OkHttpClient http, String baseUrl, String alias) throws IOException {
        byte[] body = MAPPER.writeValueAsBytes(MAPPER.createObjectNode().put("key_alias", alias));
        Request request = new Request.Builder().url(baseUrl + "/key/generate")
                .header("Authorization", "Bearer " + MASTER_KEY).post(RequestBody.create(body, JSON)).build();
        try (Response response = http.newCall(request).execute()) {
            String text = response.body().string();
            if (response.code() != 200) {
                throw new IOException("/key/generate answered " + response.code() + ": " + abbreviate(text));
            }
            JsonNode json = MAPPER.readTree(text);
            return json.path("key").asText();
        }
    }

    // ---- main -----------------------------------------------------------------------------------

    /**
     * Runs the full load test and prints one line per phase and a Markdown table.
     *
     * @param args {@code --clients N[,M...]} (default 64), {@code --seconds S} per measured phase
     *     (default 20), {@code --warmup S} per warm-up phase (default 5), {@code --rounds R}
     *     in-process/proxy pairs per mode (default 2, alternated), {@code --pool N} database
     *     connections of the store (default {@link StoreSettings#DEFAULT_MAX_POOL_SIZE})
     */
    public static void main(String[] args) throws Exception {
        // The test class path's simplelogger.properties logs io.llmrouter at TRACE into a file for the
        // security tests; a load run measures the proxy, not its logging: WARN to stderr unless set.
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.io.llmrouter", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
        int[] clientCounts = Arrays.stream(stringArg(args, "--clients", "64").split(",")).map(String::trim)
                .mapToInt(Integer::parseInt).toArray();
        int seconds = Integer.parseInt(stringArg(args, "--seconds", "20"));
        int warmup = Integer.parseInt(stringArg(args, "--warmup", "5"));
        int rounds = Integer.parseInt(stringArg(args, "--rounds", "2"));
        int pool = Integer.parseInt(stringArg(args, "--pool", String.valueOf(StoreSettings.DEFAULT_MAX_POOL_SIZE)));
        System.out.printf(Locale.ROOT,
                "java %s, %d cpus, clients %s, %d s per phase, %d s warm-up, %d rounds, %d database connections%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                Arrays.toString(clientCounts), seconds, warmup, rounds, pool);
        try (LoopbackLlmServer upstream = LoopbackLlmServer.start();
                LoopbackProxy fixture = LoopbackProxy.start(upstream, Files.createTempDirectory("proxy-load"), pool)) {
            OkHttpClient http = httpClient(Arrays.stream(clientCounts).max().orElse(1));
            String key = generateKey(http, fixture.baseUrl(), "load-test");
            Router router = fixture.router();
            List<String> table = new ArrayList<>();
            for (int clients : clientCounts) {
                for (boolean streaming : new boolean[] {false, true}) {
                    String mode = streaming ? "stream" : "json";
                    Call direct = streaming ? inProcessStream(router) : inProcessChat(router);
                    Call proxied = streaming ? proxyStream(http, fixture.baseUrl(), key)
                            : proxyChat(http, fixture.baseUrl(), key);
                    Bounds warm = Bounds.time(Duration.ofSeconds(warmup));
                    System.out.println(run("warm-up in-process " + mode, clients, warm, direct));
                    System.out.println(run("warm-up proxy " + mode, clients, warm, proxied));
                    for (int r = 1; r <= rounds; r++) {
                        Bounds measured = Bounds.time(Duration.ofSeconds(seconds));
                        Phase in = run("in-process " + mode, clients, measured, direct);
                        System.out.println(in);
                        Phase via = run("proxy " + mode, clients, measured, proxied);
                        System.out.println(via);
                        table.add(row(mode, clients, r, in, via));
                        in.firstErrors.forEach(e -> System.out.println("  in-process error: " + e));
                        via.firstErrors.forEach(e -> System.out.println("  proxy error: " + e));
                    }
                }
            }
            System.out.println();
            System.out.println("| mode | clients | round | in-process p50 / p99 (ms) | proxy p50 / p99 (ms)"
                    + " | added p50 / p99 (ms) | req/s in-process / proxy | CPU us per call in-process / proxy"
                    + " | errors in-process / proxy |");
            System.out.println("|---|---|---|---|---|---|---|---|---|");
            table.forEach(System.out::println);
            System.out.println("upstream answered " + upstream.answered() + " requests");
        }
    }

    private static String row(String mode, int clients, int round, Phase in, Phase via) {
        return String.format(Locale.ROOT,
                "| %s | %d | %d | %.2f / %.2f | %.2f / %.2f | **%.2f / %.2f** | %.0f / %.0f | %.0f / %.0f | %d / %d |",
                mode, clients, round, in.percentileNanos(0.5) / 1e6, in.percentileNanos(0.99) / 1e6,
                via.percentileNanos(0.5) / 1e6, via.percentileNanos(0.99) / 1e6,
                (via.percentileNanos(0.5) - in.percentileNanos(0.5)) / 1e6,
                (via.percentileNanos(0.99) - in.percentileNanos(0.99)) / 1e6,
                in.throughputPerSecond(), via.throughputPerSecond(), in.cpuMicrosPerCall(), via.cpuMicrosPerCall(),
                in.errors, via.errors);
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    private static String stringArg(String[] args, String name, String defaultValue) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return defaultValue;
    }
}
