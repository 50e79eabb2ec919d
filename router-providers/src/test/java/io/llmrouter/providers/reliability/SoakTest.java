package io.llmrouter.providers.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.Deployment;
import io.llmrouter.DeploymentStatus;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.providers.internal.DefaultHttpClient;
import io.llmrouter.testing.Fault;
import io.llmrouter.testing.FaultServer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import okhttp3.ConnectionPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Soak: {@value #CALLS} requests, {@value #IN_FLIGHT} in flight at a time, through the real router,
 * OpenAI adapter and shared OkHttp client, against three {@link FaultServer} upstreams that fail at
 * random (seeded) with every fault of the kit. Checks that every request ends exactly once with a
 * response or a typed {@link LlmRouterException}, that no request overruns its deadline by more
 * than {@link #DEADLINE_MARGIN}, that threads and pooled connections stay bounded, and that every
 * deployment recovers once the upstreams heal. Prints its figures to stdout.
 */
class SoakTest {

    static final int CALLS = 20_000;
    static final int WARM_UP_CALLS = 2_000;
    static final int IN_FLIGHT = 64;
    static final Duration CALL_TIMEOUT = Duration.ofMillis(100);
    static final Duration DEADLINE = Duration.ofMillis(500);
    static final Duration COOLDOWN = Duration.ofMillis(200);
    /**
     * How far past its deadline a request may end: the deadline fires on the router's scheduler,
     * then the future's completion hops threads; on a loaded 2-core machine with GC that takes up
     * to tens of milliseconds.
     */
    static final Duration DEADLINE_MARGIN = Duration.ofMillis(250);
    /**
     * Threads allowed above the warmed-up count: OkHttp's dispatcher is a cached pool whose idle
     * threads live 60 s, so its size follows the peak of concurrent calls, up to one per call in
     * flight ({@value #IN_FLIGHT}) plus calls still unwinding after a timeout; how close the warm-up
     * came to that peak depends on timing (runs measured 53-99 threads after it). A leak of one
     * thread per failing call would add thousands.
     */
    static final int THREAD_SLACK = IN_FLIGHT + 16;
    /** Pooled connections allowed at any time: one per call in flight (and unwinding) plus the idle pool. */
    static final int CONNECTION_BOUND = 2 * IN_FLIGHT + DefaultHttpClient.MAX_IDLE_CONNECTIONS;

    /*
     * The cooldown rule is the default one (no allowedFails): at this load (about 3,000 failures a
     * minute per deployment from the 10 % background) any small allowance is passed all minute and
     * 45 % of the requests failed fast when one applied; the default rule cools a deployment of a
     * group of two only on a 429, a 401 or more than half its calls failing, and the lone
     * deployment only on a 401 (or 1,000 calls that all failed).
     */

    private static final String KEY = "sk-soak-0123456789abcdef";

    /**
     * Every fault of the kit, weights per 1000 calls (10 % faults); delays of a few ms. Faults that
     * cool a deployment at once (429 in a group of two, 401) are kept rare: uniformly spread at
     * this rate they would keep every deployment cooling down.
     */
    static Fault chaos(long seed) {
        return Fault.mix(seed)
                .add(899, Fault.ok("fine"))
                .add(40, Fault.ok("slow").delayed(Duration.ofMillis(4)))
                .add(15, Fault.status(503))
                .add(8, Fault.status(500))
                .add(4, Fault.status(502))
                .add(4, Fault.overloaded())
                .add(3, Fault.rateLimited())
                .add(2, Fault.rateLimited(Duration.ofMillis(20)))
                .add(8, Fault.connectionReset())
                .add(4, Fault.htmlPage(502))
                .add(4, Fault.malformedJson())
                .add(4, Fault.truncatedBody())
                .add(2, Fault.noAnswer())
                .add(1, Fault.contextLengthExceeded())
                .add(1, Fault.contentFilter())
                .add(1, Fault.expiredKey())
                .build();
    }

    private static Deployment deployment(String group, String id, FaultServer server) {
        return Deployment.builder(group, "openai/gpt-4o-mini").id(id).apiBase(server.url()).apiKey(Secret.of(KEY))
                .build();
    }

    /** What one batch of calls produced. */
    private static final class Run {
        final long[] nanos;
        final AtomicIntegerArray completions;
        final AtomicInteger responses = new AtomicInteger();
        final Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<Throwable> untyped = new ConcurrentLinkedQueue<>();
        final AtomicInteger wrapped = new AtomicInteger();
        int peakThreads;
        int peakConnections;
        long wallNanos;
        long logLines;

        Run(int calls) {
            nanos = new long[calls];
            completions = new AtomicIntegerArray(calls);
        }

        int exceptions() {
            return errors.values().stream().mapToInt(AtomicInteger::get).sum();
        }
    }

    /**
     * Runs {@code calls} requests. The library logs at TRACE in these tests (simplelogger.properties);
     * the lines are formatted as usual but counted and dropped instead of filling the report.
     */
    private static Run run(Router router, int calls) throws InterruptedException {
        PrintStream err = System.err;
        LineCounter lines = new LineCounter();
        System.setErr(new PrintStream(lines, true, StandardCharsets.UTF_8));
        try {
            Run run = runLoud(router, calls);
            run.logLines = lines.lines.get();
            return run;
        } finally {
            System.setErr(err);
        }
    }

    /** Counts the lines written to it and keeps nothing. */
    private static final class LineCounter extends OutputStream {
        final AtomicLong lines = new AtomicLong();

        @Override
        public void write(int b) {
            if (b == '\n') {
                lines.incrementAndGet();
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') {
                    lines.incrementAndGet();
                }
            }
        }
    }

    private static Run runLoud(Router router, int calls) throws InterruptedException {
        Run run = new Run(calls);
        Semaphore permits = new Semaphore(IN_FLIGHT);
        ConnectionPool pool = DefaultHttpClient.shared().connectionPool();
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            assertThat(permits.tryAcquire(30, TimeUnit.SECONDS)).as("a slot frees within 30 s").isTrue();
            int call = i;
            String group = i % 2 == 0 ? "chat" : "reasoning";
            long began = System.nanoTime();
            CompletableFuture<ChatResponse> future = router.completionAsync(ChatRequest.ofUser(group, "hello " + i));
            future.whenComplete((response, error) -> {
                run.nanos[call] = System.nanoTime() - began;
                run.completions.incrementAndGet(call);
                if (error == null) {
                    run.responses.incrementAndGet();
                } else {
                    Throwable cause = error;
                    if (cause instanceof CompletionException && cause.getCause() != null) {
                        run.wrapped.incrementAndGet();
                        cause = cause.getCause();
                    }
                    if (cause instanceof LlmRouterException) {
                        run.errors.computeIfAbsent(cause.getClass().getSimpleName(), k -> new AtomicInteger())
                                .incrementAndGet();
                    } else {
                        run.untyped.add(cause);
                    }
                }
                permits.release();
            });
            if (i % 100 == 0) {
                run.peakThreads = Math.max(run.peakThreads, Thread.activeCount());
                run.peakConnections = Math.max(run.peakConnections, pool.connectionCount());
            }
        }
        assertThat(permits.tryAcquire(IN_FLIGHT, 30, TimeUnit.SECONDS)).as("every call ends").isTrue();
        run.wallNanos = System.nanoTime() - start;
        return run;
    }

    /** Polls {@code condition} every 20 ms for at most {@code limit}; true when it held. */
    private static boolean await(BooleanSupplier condition, Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return true;
    }

    @Test
    @Timeout(value = 110, unit = TimeUnit.SECONDS)
    void givenThreeChaoticUpstreams_when20000CallsAt64InFlight_thenEveryCallEndsOnceInTimeAndAllRecover()
            throws Exception {
        try (FaultServer a = FaultServer.openAi().then(chaos(11)).start();
                FaultServer b = FaultServer.openAi().then(chaos(12)).start();
                FaultServer c = FaultServer.openAi().then(chaos(13)).start();
                Router router = Router.builder()
                        .deployment(deployment("chat", "chat-a", a))
                        .deployment(deployment("chat", "chat-b", b))
                        .deployment(deployment("reasoning", "reasoning-c", c))
                        .fallbackPolicy(fallback -> fallback.fallbacks("chat", "reasoning")
                                .fallbacks("reasoning", "chat"))
                        .retryPolicy(retry -> retry.numRetries(2).backoff(Duration.ofMillis(1), Duration.ofMillis(5))
                                .maxRetryAfter(Duration.ofMillis(20)))
                        .timeouts(timeouts -> timeouts.callTimeout(CALL_TIMEOUT).deadline(DEADLINE)).cooldownPolicy(cooldown -> cooldown.cooldownTime(COOLDOWN))
                        .random(new SplittableRandom(7))
                        .build()) {
            // warm up: JIT, OkHttp's dispatcher threads and connections reach their working size
            Run warmUp = run(router, WARM_UP_CALLS);
            assertThat(warmUp.untyped).isEmpty();
            int threadsBefore = Thread.activeCount();
            List<Integer> upstreamBefore = List.of(a.callCount(), b.callCount(), c.callCount());

            // when
            Run soak = run(router, CALLS);
            await(() -> DefaultHttpClient.shared().connectionPool().connectionCount()
                    <= DefaultHttpClient.MAX_IDLE_CONNECTIONS, Duration.ofSeconds(5));
            int threadsAfter = Thread.activeCount();
            int connectionsAfter = DefaultHttpClient.shared().connectionPool().connectionCount();

            // then: exactly one typed outcome per call
            assertThat(soak.untyped).as("outcomes that are not a response nor an LlmRouterException").isEmpty();
            assertThat(soak.wrapped.get()).as("exceptions wrapped in CompletionException").isZero();
            for (int i = 0; i < CALLS; i++) {
                assertThat(soak.completions.get(i)).as("completions of call %d", i).isEqualTo(1);
            }
            assertThat(soak.responses.get() + soak.exceptions()).isEqualTo(CALLS);
            // ... in time
            long[] sorted = soak.nanos.clone();
            Arrays.sort(sorted);
            Duration p50 = Duration.ofNanos(sorted[CALLS / 2]);
            Duration p99 = Duration.ofNanos(sorted[(int) (CALLS * 0.99)]);
            Duration max = Duration.ofNanos(sorted[CALLS - 1]);
            Duration overrun = max.minus(DEADLINE).isNegative() ? Duration.ZERO : max.minus(DEADLINE);
            // ... with bounded resources
            int upstreamCalls = a.callCount() + b.callCount() + c.callCount()
                    - upstreamBefore.stream().mapToInt(Integer::intValue).sum();

            // heal: every breaker comes back once its cooldown has passed and a probe succeeds
            long notAvailable = router.deploymentStatuses().stream()
                    .filter(s -> s.state() != DeploymentStatus.State.AVAILABLE).count();
            a.heal();
            b.heal();
            c.heal();
            long healed = System.nanoTime();
            AtomicLong probes = new AtomicLong();
            boolean recovered = await(() -> {
                List<CompletableFuture<ChatResponse>> batch = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    batch.add(router.completionAsync(ChatRequest.ofUser("chat", "probe")));
                    batch.add(router.completionAsync(ChatRequest.ofUser("reasoning", "probe")));
                }
                probes.addAndGet(batch.size());
                CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).handle((v, e) -> null)
                        .orTimeout(2, TimeUnit.SECONDS).join();
                return router.deploymentStatuses().stream().allMatch(s -> s.state() == DeploymentStatus.State.AVAILABLE);
            }, Duration.ofSeconds(10));
            Duration recovery = Duration.ofNanos(System.nanoTime() - healed);

            Map<String, Integer> byType = new TreeMap<>();
            soak.errors.forEach((k, v) -> byType.put(k, v.get()));
            System.out.printf("""
                    ===== llmrouter soak =====================================================
                    calls               %d (after %d warm-up), %d in flight, 3 FaultServer upstreams
                    upstream calls      %d (%.2f per request, retries and fallbacks included)
                    wall time           %.1f s (%.0f requests/s)
                    responses           %d
                    exceptions          %d %s
                    call time           p50 %d ms, p99 %d ms, max %d ms
                    deadline            %d ms; max overrun %d ms (allowed %d ms)
                    threads             warmed-up %d, peak %d, after %d (allowed +%d)
                    okhttp connections  peak %d (bound %d), after %d (idle max %d)
                    log lines           %d (TRACE on; counted, not kept)
                    recovery            %d of 3 deployments not AVAILABLE at heal; all AVAILABLE %d ms after (%d probe requests)
                    ==========================================================================
                    """,
                    CALLS, WARM_UP_CALLS, IN_FLIGHT, upstreamCalls, upstreamCalls / (double) CALLS,
                    soak.wallNanos / 1e9, CALLS / (soak.wallNanos / 1e9), soak.responses.get(), soak.exceptions(),
                    byType, p50.toMillis(), p99.toMillis(), max.toMillis(), DEADLINE.toMillis(), overrun.toMillis(),
                    DEADLINE_MARGIN.toMillis(), threadsBefore, soak.peakThreads, threadsAfter, THREAD_SLACK,
                    soak.peakConnections, CONNECTION_BOUND, connectionsAfter, DefaultHttpClient.MAX_IDLE_CONNECTIONS,
                    soak.logLines, notAvailable, recovery.toMillis(), probes.get());

            assertThat(overrun).as("the worst overrun of the deadline").isLessThanOrEqualTo(DEADLINE_MARGIN);
            assertThat(threadsAfter).as("threads after the soak").isLessThanOrEqualTo(threadsBefore + THREAD_SLACK);
            assertThat(soak.peakConnections).as("pooled connections at the peak").isLessThanOrEqualTo(CONNECTION_BOUND);
            assertThat(connectionsAfter).as("pooled connections once quiet")
                    .isLessThanOrEqualTo(DefaultHttpClient.MAX_IDLE_CONNECTIONS);
            // The share answered overall depends on throughput, not on correctness: a 429 or 401 cools
            // its deployment for COOLDOWN of wall time, and the faster the machine sends calls, the more
            // of them fall into such a window and fail fast with NoDeploymentAvailableException (runs
            // answered 30-95 % of all calls, on the same code, by machine load and JIT timing). So the
            // check is split: a request that reached an upstream is answered (retries and fallbacks
            // absorb the 10 % of faulty answers), and cooldowns never take over the whole run.
            int failedFast = soak.errors.getOrDefault("NoDeploymentAvailableException", new AtomicInteger()).get();
            int routed = CALLS - failedFast;
            assertThat(soak.responses.get()).as("requests answered of the %d that reached an upstream", routed)
                    .isGreaterThanOrEqualTo((int) (routed * 0.95));
            assertThat(soak.responses.get()).as("requests answered of all, however fast they came")
                    .isGreaterThan(CALLS / 10);
            assertThat(recovered).as("every deployment recovers: %s", router.deploymentStatuses()).isTrue();
        }
    }

    /**
     * The hostile variant in a child JVM with a 256 MB heap ({@link HostileSoak}): endless bodies,
     * endless SSE lines and 50 MB bodies mixed into the soak's faults, then each alone at the
     * default limits. The child exits non-zero on any OutOfMemoryError (any thread) or wrong outcome.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void givenHostileUpstreams_whenSoakedInA256MbHeap_thenEveryCallEndsTypedAndNothingRunsOutOfMemory()
            throws Exception {
        String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(javaBin, "-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
                "-Dorg.slf4j.simpleLogger.log.io.llmrouter=warn", "-cp", System.getProperty("java.class.path"),
                HostileSoak.class.getName()).redirectErrorStream(true).start();
        // read while it runs, so a full pipe never blocks it
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return "output unreadable: " + e;
            }
        });
        boolean ended = child.waitFor(100, TimeUnit.SECONDS);
        if (!ended) {
            child.destroyForcibly();
        }
        String text = output.get(10, TimeUnit.SECONDS);
        System.out.println(text.length() > 20_000 ? text.substring(text.length() - 20_000) : text);

        assertThat(ended).as("the hostile soak ends within 100 s").isTrue();
        assertThat(child.exitValue()).as("exit status of the hostile soak (3: OutOfMemoryError); output:%n%s",
                text.length() > 4_000 ? text.substring(text.length() - 4_000) : text).isZero();
        assertThat(text).contains("hostile soak: OK");
    }
}
