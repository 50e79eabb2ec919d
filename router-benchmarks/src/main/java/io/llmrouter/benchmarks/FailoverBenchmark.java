package io.llmrouter.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.DeploymentStatus;
import io.llmrouter.Router;
import io.llmrouter.api.RouterRequest;
import io.llmrouter.api.RouterResponse;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.RoutingInfo;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.providers.internal.DefaultHttpClient;
import io.llmrouter.providers.openai.OpenAiProvider;
import io.llmrouter.spi.RouterListener;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The cost of one fallback over loopback HTTP: every call is one 429 from the primary group's
 * only deployment (OpenAI's rate-limit body, no retry-after) and then one success from the
 * {@code backup} group.
 *
 * <p>{@code baselineFailedThenSuccess} is the physical limit: a plain OkHttp POST to the 429 URL,
 * its error body parsed with Jackson, then a plain POST to the healthy URL with its answer parsed.
 * {@code routerFailover} is {@code router.completion(request)} with group {@code gpt-4o} (one
 * deployment at {@link LoopbackUpstream#rateLimitedBaseUrl()}), group {@code backup} (one
 * deployment at {@link LoopbackUpstream#baseUrl()}), {@code retryPolicy(r -> r.numRetries(0))} and
 * {@code fallbackPolicy(f -> f.fallbacks("gpt-4o", "backup"))}: the difference is the router's failure mapping, attempt
 * bookkeeping, cooldown rules and fallback. The bar: router &le; baseline + 20 &micro;s.
 *
 * <p>The benchmark fails loudly rather than measure something else: setup checks one call's
 * {@link RoutingInfo#attempts()} (exactly a 429 from the primary, then a success from the
 * backup), and teardown checks through a listener that every call made (warmup and measurement
 * included) had its primary attempt fail with 429 and then fell back and succeeded, and that no
 * deployment was ever cooled down; if the router stopped trying the primary (a cooldown or a
 * circuit breaker) the calls would be cheaper and the numbers meaningless.
 *
 * <p>{@code baselineFailedThenSuccessInMemory} and {@code routerFailoverInMemory} are the same pair
 * over an in-memory transport (an OkHttp interceptor answering with the same bytes): their
 * difference is the router's own cost of a failover, free of the loopback's run-to-run noise.
 *
 * <p>{@code routerRetry} and {@code routerRetryInMemory} fail over inside one group instead: group
 * {@code gpt-4o} with the 429 deployment first ({@code order(1)}) and the healthy one second
 * ({@code order(2)}), {@code numRetries(1)}; the retry goes to the healthy deployment at once (another
 * healthy deployment means no wait). Compared with the same baselines.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 15, time = 2)
@Measurement(iterations = 4, time = 1)
@Fork(1)
public class FailoverBenchmark {

    private static final String PRIMARY = "primary";
    private static final String BACKUP = "backup";

    private LoopbackUpstream upstream;
    private OkHttpClient client;
    private Request rateLimitedRequest;
    private Request okRequest;
    private ObjectMapper mapper;
    private Router router;
    private OkHttpClient inMemoryClient;
    private Request rateLimitedInMemory;
    private Request okInMemory;
    private Router inMemoryRouter;
    private Router retryRouter;
    private Router retryInMemoryRouter;
    private ChatRequest request;
    private Counting counting;
    /** Router calls made by this benchmark, setup's included (JMH calls the benchmark from one thread). */
    private long routerCalls;

    /** Counts the events that show each call failed over. */
    static final class Counting implements RouterListener {
        final LongAdder primary429 = new LongAdder();
        final LongAdder otherFailures = new LongAdder();
        final LongAdder backupSuccesses = new LongAdder();
        final LongAdder fallbacks = new LongAdder();
        final LongAdder successes = new LongAdder();
        final LongAdder retries = new LongAdder();
        final LongAdder cooldowns = new LongAdder();
        final LongAdder failures = new LongAdder();

        @Override
        public void onAttempt(RouterRequest request, Attempt attempt) {
            if (attempt.isSuccess()) {
                if (BACKUP.equals(attempt.deploymentId())) {
                    backupSuccesses.increment();
                }
            } else if (PRIMARY.equals(attempt.deploymentId()) && attempt.statusCode().orElse(0) == 429) {
                primary429.increment();
            } else {
                otherFailures.increment();
            }
        }

        @Override
        public void onRetry(RouterRequest request, String modelGroup, int retryNumber, Duration delay,
                LlmRouterException cause) {
            retries.increment();
        }

        @Override
        public void onCooldownStart(String deploymentId, String modelGroup, Instant until, LlmRouterException cause) {
            cooldowns.increment();
        }

        @Override
        public void onFallback(RouterRequest request, String fromGroup, String toGroup, LlmRouterException cause) {
            if ("gpt-4o".equals(fromGroup) && BACKUP.equals(toGroup)) {
                fallbacks.increment();
            }
        }

        @Override
        public void onSuccess(RouterRequest request, RouterResponse response) {
            successes.increment();
        }

        @Override
        public void onFailure(RouterRequest request, LlmRouterException error) {
            failures.increment();
        }

        @Override
        public String toString() {
            return "primary429=" + primary429 + ", otherFailedAttempts=" + otherFailures + ", backupSuccesses="
                    + backupSuccesses + ", fallbacks=" + fallbacks + ", successes=" + successes + ", retries="
                    + retries + ", cooldowns=" + cooldowns + ", failures=" + failures;
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        upstream = new LoopbackUpstream();
        client = DefaultHttpClient.shared();
        mapper = new ObjectMapper();
        request = Fixtures.REQUEST;
        rateLimitedRequest = Fixtures.baselinePost(upstream.rateLimitedBaseUrl());
        okRequest = Fixtures.baselinePost(upstream.baseUrl());
        counting = new Counting();
        router = failoverRouter(Router.builder().listener(counting), upstream.rateLimitedBaseUrl(), upstream.baseUrl());

        // The same pair over an in-memory transport: an interceptor answers from the same bytes, so
        // the difference is the router's own work for a failover, without the loopback's noise.
        inMemoryClient = Fixtures.inMemory(client);
        rateLimitedInMemory = Fixtures.baselinePost(Fixtures.IN_MEMORY_RATE_LIMITED_BASE);
        okInMemory = Fixtures.baselinePost(Fixtures.IN_MEMORY_BASE);
        inMemoryRouter = failoverRouter(Router.builder()
                .provider("openai", OpenAiProvider.builder().httpClient(inMemoryClient).build()),
                Fixtures.IN_MEMORY_RATE_LIMITED_BASE, Fixtures.IN_MEMORY_BASE);
        List<Attempt> inMemoryAttempts = routerFailoverInMemory().routing().map(RoutingInfo::attempts).orElse(List.of());
        if (inMemoryAttempts.size() != 2 || inMemoryAttempts.get(0).statusCode().orElse(0) != 429) {
            throw new IllegalStateException("in-memory router did not fail over: " + inMemoryAttempts);
        }

        retryRouter = retryRouter(Router.builder(), upstream.rateLimitedBaseUrl(), upstream.baseUrl());
        retryInMemoryRouter = retryRouter(Router.builder()
                .provider("openai", OpenAiProvider.builder().httpClient(inMemoryClient).build()),
                Fixtures.IN_MEMORY_RATE_LIMITED_BASE, Fixtures.IN_MEMORY_BASE);
        checkFailedOver(routerRetry(), false);
        checkFailedOver(routerRetryInMemory(), false);

        // The baseline must see a 429 and then the answer.
        try (Response r = client.newCall(rateLimitedRequest).execute()) {
            JsonNode error = mapper.readTree(r.body().byteStream());
            if (r.code() != 429 || !"rate_limit_exceeded".equals(error.path("error").path("code").asText())) {
                throw new IllegalStateException("baseline: expected OpenAI's 429, got " + r.code() + " " + error);
            }
        }
        try (Response r = client.newCall(okRequest).execute()) {
            JsonNode answer = mapper.readTree(r.body().byteStream());
            if (r.code() != 200 || !"chatcmpl-bench0123456789".equals(answer.path("id").asText())) {
                throw new IllegalStateException("baseline: expected the answer, got " + r.code() + " " + answer);
            }
        }

        // The router must make exactly two attempts: the primary's 429, then the backup's success.
        checkFailedOver(routerFailover(), true);
    }

    /**
     * Group gpt-4o (one deployment at {@code primaryBase}) falling back to group backup, no retries.
     * The primary's failures never cool it ({@code cooldownTime(0)}): LiteLLM's rule cools a lone
     * deployment after 1,000 failed calls in a minute, and then calls would skip it, so the
     * benchmark would stop measuring a failover.
     */
    private static Router failoverRouter(Router.Builder b, String primaryBase, String backupBase) {
        return b.deployment(Fixtures.deployment("gpt-4o", PRIMARY, primaryBase).cooldownTime(Duration.ZERO).build())
                .deployment(Fixtures.deployment(BACKUP, BACKUP, backupBase).build())
                .retryPolicy(retry -> retry.numRetries(0))
                .fallbackPolicy(fallback -> fallback.fallbacks("gpt-4o", BACKUP))
                .build();
    }

    /**
     * Group gpt-4o with the primary (order 1, never cooled) and the backup (order 2), one retry: every
     * call's first attempt gets the 429 and its retry goes to the backup.
     */
    private static Router retryRouter(Router.Builder b, String primaryBase, String backupBase) {
        return b.deployment(Fixtures.deployment("gpt-4o", PRIMARY, primaryBase).order(1).cooldownTime(Duration.ZERO)
                        .build())
                .deployment(Fixtures.deployment("gpt-4o", BACKUP, backupBase).order(2).build())
                .retryPolicy(retry -> retry.numRetries(1))
                .build();
    }

    /**
     * Fails unless {@code response} came from a 429 of the primary, then a success of the backup:
     * through the fallback group {@code backup}, or by a retry inside group {@code gpt-4o}.
     */
    private static void checkFailedOver(ChatResponse response, boolean viaFallback) {
        RoutingInfo routing = response.routing()
                .orElseThrow(() -> new IllegalStateException("router response has no routing information"));
        List<Attempt> attempts = routing.attempts();
        if (attempts.size() != 2
                || attempts.get(0).isSuccess() || !PRIMARY.equals(attempts.get(0).deploymentId())
                || attempts.get(0).statusCode().orElse(0) != 429
                || !attempts.get(1).isSuccess() || !BACKUP.equals(attempts.get(1).deploymentId())
                || !(viaFallback ? BACKUP : "gpt-4o").equals(routing.modelGroup())
                || routing.isFallback() != viaFallback) {
            throw new IllegalStateException("expected a 429 from '" + PRIMARY + "' then a success from '" + BACKUP
                    + (viaFallback ? "' through the fallback" : "' by a retry in the same group") + ", got " + routing);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            // onSuccess runs before completion() returns, so every call's events are in.
            long n = routerCalls;
            boolean allFailedOver = counting.primary429.sum() == n && counting.fallbacks.sum() == n
                    && counting.backupSuccesses.sum() == n && counting.successes.sum() == n
                    && counting.otherFailures.sum() == 0 && counting.retries.sum() == 0
                    && counting.cooldowns.sum() == 0 && counting.failures.sum() == 0;
            if (!allFailedOver) {
                throw new IllegalStateException("not every call failed over from a 429 of '" + PRIMARY + "' to '"
                        + BACKUP + "' (the router stopped trying the primary?): calls=" + n + ", " + counting
                        + ", deployments=" + router.deploymentStatuses());
            }
            List<DeploymentStatus> statuses = new ArrayList<>(router.deploymentStatuses());
            statuses.addAll(inMemoryRouter.deploymentStatuses());
            statuses.addAll(retryRouter.deploymentStatuses());
            statuses.addAll(retryInMemoryRouter.deploymentStatuses());
            for (DeploymentStatus status : statuses) {
                if (status.state() != DeploymentStatus.State.AVAILABLE) {
                    throw new IllegalStateException("a deployment is out of rotation after the run: " + statuses);
                }
            }
        } finally {
            router.close();
            inMemoryRouter.close();
            retryRouter.close();
            retryInMemoryRouter.close();
            upstream.close();
        }
    }

    @Benchmark
    public JsonNode baselineFailedThenSuccess(Blackhole bh) throws IOException {
        try (Response r = client.newCall(rateLimitedRequest).execute()) {
            bh.consume(r.code());
            bh.consume(mapper.readTree(r.body().byteStream()));
        }
        try (Response r = client.newCall(okRequest).execute()) {
            return mapper.readTree(r.body().byteStream());
        }
    }

    @Benchmark
    public ChatResponse routerFailover() {
        routerCalls++;
        return router.completion(request);
    }

    @Benchmark
    @Warmup(iterations = 5, time = 1)
    @Measurement(iterations = 3, time = 1)
    public JsonNode baselineFailedThenSuccessInMemory(Blackhole bh) throws IOException {
        try (Response r = inMemoryClient.newCall(rateLimitedInMemory).execute()) {
            bh.consume(r.code());
            bh.consume(mapper.readTree(r.body().byteStream()));
        }
        try (Response r = inMemoryClient.newCall(okInMemory).execute()) {
            return mapper.readTree(r.body().byteStream());
        }
    }

    @Benchmark
    @Warmup(iterations = 5, time = 1)
    @Measurement(iterations = 3, time = 1)
    public ChatResponse routerFailoverInMemory() {
        return inMemoryRouter.completion(request);
    }

    @Benchmark
    public ChatResponse routerRetry() {
        return retryRouter.completion(request);
    }

    @Benchmark
    @Warmup(iterations = 5, time = 1)
    @Measurement(iterations = 3, time = 1)
    public ChatResponse routerRetryInMemory() {
        return retryInMemoryRouter.completion(request);
    }
}
