package io.llmrouter.providers.reliability;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.testing.Fault;
import io.llmrouter.testing.FaultServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.BiPredicate;
import java.util.function.IntFunction;

/**
 * The soak workload against hostile upstreams, meant to run in a child JVM with a small heap
 * ({@code -Xmx256m -XX:+ExitOnOutOfMemoryError}, see {@link SoakTest}): an OutOfMemoryError on any
 * thread, an OkHttp thread included, ends the process with a non-zero status. Exits 0 when every
 * call ended exactly once with the right typed result, 1 (after printing why) otherwise.
 *
 * <ol>
 * <li><b>Mixed</b>: {@value #MIXED_CALLS} calls, {@value #IN_FLIGHT} in flight, half completions on
 *     two upstreams failing with the soak's chaos plus endless and 50 MB bodies, half streams on two
 *     upstreams adding endless SSE lines and cut streams; deployments with small per-deployment
 *     limits. Every call ends once, with a response or a typed exception, and the limits are hit.</li>
 * <li><b>Defaults</b>: with the default limits, {@value #DEFAULT_CALLS_PER_GROUP} calls each to an
 *     endless body, a 50 MB body (no length announced), an endless SSE line and a healthy upstream,
 *     4 in flight: each ends with exactly the expected result.</li>
 * </ol>
 */
public final class HostileSoak {

    static final int MIXED_CALLS = 3_000;
    static final int IN_FLIGHT = 32;
    static final int DEFAULT_CALLS_PER_GROUP = 6;
    static final int BODY_LIMIT = 2 * 1024 * 1024;
    static final int EVENT_LIMIT = 256 * 1024;
    static final int FIFTY_MB = 50 * 1024 * 1024;
    private static final String KEY = "sk-hostile-0123456789abcdef";

    private final List<String> problems = new ArrayList<>();

    private HostileSoak() {
    }

    public static void main(String[] args) throws Exception {
        HostileSoak soak = new HostileSoak();
        long start = System.nanoTime();
        soak.mixed();
        soak.defaults();
        System.out.printf("hostile soak: %.1f s in a %d MB heap%n", (System.nanoTime() - start) / 1e9,
                Runtime.getRuntime().maxMemory() >> 20);
        if (!soak.problems.isEmpty()) {
            soak.problems.forEach(p -> System.out.println("PROBLEM: " + p));
            System.exit(1);
        }
        System.out.println("hostile soak: OK");
        System.exit(0);
    }

    static Fault completionMix(long seed) {
        return Fault.mix(seed)
                .add(860, Fault.ok("fine"))
                .add(20, Fault.status(503))
                .add(10, Fault.status(500))
                .add(10, Fault.connectionReset())
                .add(10, Fault.htmlPage(502))
                .add(10, Fault.malformedJson())
                .add(10, Fault.truncatedBody())
                .add(35, Fault.endlessBody())
                .add(35, Fault.largeBody(FIFTY_MB))
                .build();
    }

    static Fault streamMix(long seed) {
        return Fault.mix(seed)
                .add(860, Fault.stream(5))
                .add(20, Fault.status(503))
                .add(20, Fault.streamCut(2))
                .add(10, Fault.streamMalformed(1))
                .add(50, Fault.endlessStreamLine())
                .add(20, Fault.endlessBody())
                .add(20, Fault.largeBody(FIFTY_MB))
                .build();
    }

    private static Deployment.Builder deployment(String group, String id, FaultServer server) {
        return Deployment.builder(group, "openai/gpt-4o-mini").id(id).apiBase(server.url()).apiKey(Secret.of(KEY));
    }

    private static Router.Builder router() {
        // one attempt per call and no cooldowns: each call's outcome is its upstream's answer
        return Router.builder().retryPolicy(retry -> retry.numRetries(0)).cooldownPolicy(cooldown -> cooldown.allowedFails(1_000_000)).timeouts(timeouts -> timeouts.callTimeout(Duration.ofSeconds(20)))
                .random(new SplittableRandom(7));
    }

    /** Counts of outcomes by type, and what went wrong. */
    private static final class Outcomes {
        final AtomicIntegerArray completions;
        final Map<String, AtomicInteger> byType = new ConcurrentHashMap<>();
        final AtomicInteger bodyLimit = new AtomicInteger();
        final AtomicInteger eventLimit = new AtomicInteger();
        final ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();

        Outcomes(int calls) {
            completions = new AtomicIntegerArray(calls);
        }

        void record(int call, ChatResponse response, Throwable error, BiPredicate<ChatResponse, Throwable> right) {
            completions.incrementAndGet(call);
            Throwable cause = error;
            if (cause instanceof CompletionException && cause.getCause() != null) {
                wrong.add("call " + call + ": wrapped in CompletionException: " + cause);
                cause = cause.getCause();
            }
            String type = cause == null ? "response" : cause.getClass().getSimpleName();
            byType.computeIfAbsent(type, k -> new AtomicInteger()).incrementAndGet();
            if (cause != null && !(cause instanceof LlmRouterException)) {
                wrong.add("call " + call + ": untyped " + cause);
            }
            if (cause instanceof InvalidProviderResponseException) {
                String message = String.valueOf(cause.getMessage());
                if (message.contains("maxResponseBytes")) {
                    bodyLimit.incrementAndGet();
                } else if (message.contains("maxStreamEventBytes")) {
                    eventLimit.incrementAndGet();
                }
            }
            if (!right.test(response, cause)) {
                wrong.add("call " + call + ": unexpected " + (cause == null ? "response" : cause));
            }
        }
    }

    /** Runs {@code calls} calls made by {@code call}, {@code inFlight} at a time. */
    private Outcomes run(int calls, int inFlight, IntFunction<CompletableFuture<ChatResponse>> call,
            IntFunction<BiPredicate<ChatResponse, Throwable>> right) throws InterruptedException {
        Outcomes outcomes = new Outcomes(calls);
        Semaphore permits = new Semaphore(inFlight);
        for (int i = 0; i < calls; i++) {
            if (!permits.tryAcquire(60, TimeUnit.SECONDS)) {
                problems.add("no call ended within 60 s (call " + i + ")");
                return outcomes;
            }
            int n = i;
            BiPredicate<ChatResponse, Throwable> expected = right.apply(i);
            call.apply(i).whenComplete((response, error) -> {
                try {
                    outcomes.record(n, response, error, expected);
                } finally {
                    permits.release();
                }
            });
        }
        if (!permits.tryAcquire(inFlight, 60, TimeUnit.SECONDS)) {
            problems.add("calls still running 60 s after the last was sent");
        }
        for (int i = 0; i < calls; i++) {
            if (outcomes.completions.get(i) != 1) {
                problems.add("call " + i + " ended " + outcomes.completions.get(i) + " times");
            }
        }
        outcomes.wrong.stream().limit(20).forEach(problems::add);
        return outcomes;
    }

    private void mixed() throws InterruptedException {
        try (FaultServer a = FaultServer.openAi().then(completionMix(21)).start();
                FaultServer b = FaultServer.openAi().then(completionMix(22)).start();
                FaultServer c = FaultServer.openAi().then(streamMix(23)).start();
                FaultServer d = FaultServer.openAi().then(streamMix(24)).start();
                Router router = router()
                        .deployment(deployment("chat", "chat-a", a).maxResponseBytes(BODY_LIMIT).build())
                        .deployment(deployment("chat", "chat-b", b).maxResponseBytes(BODY_LIMIT).build())
                        .deployment(deployment("streamed", "stream-c", c).maxResponseBytes(BODY_LIMIT)
                                .maxStreamEventBytes(EVENT_LIMIT).build())
                        .deployment(deployment("streamed", "stream-d", d).maxResponseBytes(BODY_LIMIT)
                                .maxStreamEventBytes(EVENT_LIMIT).build())
                        .build()) {
            Outcomes outcomes = run(MIXED_CALLS, IN_FLIGHT,
                    i -> i % 2 == 0 ? router.completionAsync(ChatRequest.ofUser("chat", "hello " + i))
                            : router.streamAsync(ChatRequest.ofUser("streamed", "hello " + i), chunk -> { }),
                    i -> (response, error) -> true); // any typed outcome; untyped ones are caught above
            Map<String, Integer> types = new TreeMap<>();
            outcomes.byType.forEach((k, v) -> types.put(k, v.get()));
            System.out.printf("mixed: %d calls, %d in flight: %s; limits hit: body %d, stream event %d%n",
                    MIXED_CALLS, IN_FLIGHT, types, outcomes.bodyLimit.get(), outcomes.eventLimit.get());
            if (outcomes.bodyLimit.get() == 0 || outcomes.eventLimit.get() == 0) {
                problems.add("mixed: a limit was never hit (body " + outcomes.bodyLimit + ", event "
                        + outcomes.eventLimit + ")");
            }
            if (outcomes.byType.getOrDefault("response", new AtomicInteger()).get() < MIXED_CALLS / 2) {
                problems.add("mixed: fewer than half the calls were answered: " + types);
            }
        }
    }

    private void defaults() throws InterruptedException {
        String[] groups = {"endless", "large", "sse", "ok"};
        try (FaultServer endless = FaultServer.openAi().then(Fault.endlessBody()).start();
                FaultServer large = FaultServer.openAi().then(Fault.largeBody(FIFTY_MB)).start();
                FaultServer sse = FaultServer.openAi().then(Fault.endlessStreamLine()).start();
                FaultServer ok = FaultServer.openAi().then(Fault.ok("fine")).start();
                Router router = router()
                        .deployment(deployment("endless", "endless", endless).build())
                        .deployment(deployment("large", "large", large).build())
                        .deployment(deployment("sse", "sse", sse).build())
                        .deployment(deployment("ok", "ok", ok).build())
                        .build()) {
            String bodyLimit = "limit of " + Endpoint.DEFAULT_MAX_RESPONSE_BYTES + " bytes (maxResponseBytes)";
            String eventLimit = "limit of " + Endpoint.DEFAULT_MAX_STREAM_EVENT_BYTES + " bytes (maxStreamEventBytes)";
            int calls = groups.length * DEFAULT_CALLS_PER_GROUP;
            Outcomes outcomes = run(calls, 4, i -> {
                String group = groups[i % groups.length];
                ChatRequest request = ChatRequest.ofUser(group, "hello " + i);
                return group.equals("sse") ? router.streamAsync(request, chunk -> { })
                        : router.completionAsync(request);
            }, i -> switch (groups[i % groups.length]) {
                case "endless", "large" -> (response, error) -> error instanceof InvalidProviderResponseException
                        && error.getMessage().contains(bodyLimit);
                case "sse" -> (response, error) -> error instanceof InvalidProviderResponseException
                        && error.getMessage().contains(eventLimit);
                default -> (response, error) -> error == null && "fine".equals(response.text());
            });
            Map<String, Integer> types = new TreeMap<>();
            outcomes.byType.forEach((k, v) -> types.put(k, v.get()));
            System.out.printf("defaults: %d calls (endless body, 50 MB body, endless SSE line, healthy), 4 in flight:"
                    + " %s%n", calls, types);
        }
    }
}
