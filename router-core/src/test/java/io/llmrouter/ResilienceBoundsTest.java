package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.api.RouterRequest;
import io.llmrouter.api.RouterResponse;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.spi.RouterListener;
import io.llmrouter.testing.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bounds and invariants under random failures: call counts, exactly-once outcomes, consistent state. */
class ResilienceBoundsTest {

    /**
     * The documented bound: a request makes at most {@code (1 + F) * (1 + R)} provider calls, with F the
     * number of distinct fallback groups it can reach and R the most retries a group allows.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void givenRandomFailures_whenRoutedWithTwoFallbacks_thenCallsNeverExceedTheBound(long seed) {
        VirtualTime time = VirtualTime.create();
        SplittableRandom random = new SplittableRandom(seed);
        List<ChaosProvider> providers = new ArrayList<>();
        Router.Builder builder = Router.builder().clock(time.clock()).scheduler(time.scheduler())
                .random(new SplittableRandom(seed)).retryPolicy(retry -> retry.numRetries(2)).timeouts(timeouts -> timeouts.callTimeout(Duration.ofSeconds(2)))
                .fallbackPolicy(fallback -> fallback.fallbacks("main", "fb1", "fb2")
                        .contextWindowFallbacks("main", "fb2")
                        .contentPolicyFallbacks("main", "fb1", "fb2"));
        for (String group : List.of("main", "fb1", "fb2")) {
            int n = random.nextInt(1, 4);
            for (int i = 0; i < n; i++) {
                ChaosProvider p = new ChaosProvider(random.nextLong(), Runnable::run, 0.3);
                providers.add(p);
                builder.deployment(Deployment.builder(group, "openai/" + group).id(group + "-" + i).provider(p).build());
            }
        }
        int bound = (1 + 2) * (1 + 2);
        try (Router router = builder.build()) {
            for (int request = 0; request < 300; request++) {
                int before = totalCalls(providers);
                CompletableFuture<ChatResponse> future = router.completionAsync(ChatRequest.ofUser("main", "hi"));
                time.advanceUntil(future::isDone, Duration.ofHours(1));
                assertThat(future).as("request %d must end", request).isDone();
                int calls = totalCalls(providers) - before;
                assertThat(calls).as("provider calls of request %d", request).isLessThanOrEqualTo(bound);
                List<Attempt> attempts = future.handle((r, e) -> r != null ? r.routing().orElseThrow().attempts()
                        : ((LlmRouterException) e).attempts()).join();
                assertThat(attempts).as("every provider call is an attempt").hasSize(calls);
                time.advance(Duration.ofMillis(random.nextInt(0, 2_000)));
            }
        }
    }

    @Test
    void givenTwoHundredConcurrentCallsWithRandomFailures_thenEachEndsExactlyOnceAndStateIsConsistent()
            throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(8);
        ExecutorService completer = Executors.newFixedThreadPool(4);
        Map<ChatRequest, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        AtomicInteger attemptsSeen = new AtomicInteger();
        List<ChaosProvider> providers = new ArrayList<>();
        Router.Builder builder = Router.builder().random(new SplittableRandom(99)).retryPolicy(retry -> retry.numRetries(2)
                        .backoff(Duration.ofMillis(1), Duration.ofMillis(5)).maxRetryAfter(Duration.ofMillis(20)))
                .timeouts(timeouts -> timeouts.callTimeout(Duration.ofMillis(200))).cooldownPolicy(cooldown -> cooldown.cooldownTime(Duration.ofMillis(50)))
                .timeouts(timeouts -> timeouts.deadline(Duration.ofSeconds(10)))
                .fallbackPolicy(fallback -> fallback.fallbacks("main", "backup"))
                .listener(new RouterListener() {
                    @Override
                    public void onAttempt(RouterRequest request, Attempt attempt) {
                        attemptsSeen.incrementAndGet();
                    }

                    @Override
                    public void onSuccess(RouterRequest request, RouterResponse response) {
                        outcomes.computeIfAbsent((ChatRequest) request, r -> new AtomicInteger()).incrementAndGet();
                    }

                    @Override
                    public void onFailure(RouterRequest request, LlmRouterException error) {
                        outcomes.computeIfAbsent((ChatRequest) request, r -> new AtomicInteger()).incrementAndGet();
                    }
                });
        for (int i = 0; i < 3; i++) {
            ChaosProvider p = new ChaosProvider(1000 + i, completer, 0.5);
            providers.add(p);
            builder.deployment(Deployment.builder("main", "openai/main").id("main-" + i).provider(p).build());
        }
        ChaosProvider backup = new ChaosProvider(2000, completer, 0.7);
        providers.add(backup);
        builder.deployment(Deployment.builder("backup", "openai/backup").id("backup").provider(backup).build());

        try (Router router = builder.build()) {
            List<CompletableFuture<CompletableFuture<ChatResponse>>> submitted = new ArrayList<>();
            List<ChatRequest> requests = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                ChatRequest request = ChatRequest.ofUser("main", "request " + i);
                requests.add(request);
                submitted.add(CompletableFuture.supplyAsync(() -> router.completionAsync(request), callers));
            }
            List<CompletableFuture<ChatResponse>> futures = new ArrayList<>();
            for (CompletableFuture<CompletableFuture<ChatResponse>> s : submitted) {
                futures.add(s.get(10, TimeUnit.SECONDS));
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).handle((r, e) -> null)
                    .get(30, TimeUnit.SECONDS);

            int answered = 0;
            int failed = 0;
            for (CompletableFuture<ChatResponse> f : futures) {
                assertThat(f).isDone();
                Throwable e = f.handle((r, x) -> x).join();
                if (e == null) {
                    answered++;
                } else {
                    assertThat(e).isInstanceOf(LlmRouterException.class);
                    failed++;
                }
            }
            assertThat(answered + failed).isEqualTo(200);
            assertThat(outcomes).hasSize(200);
            assertThat(outcomes.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
            assertThat(requests).allSatisfy(r -> assertThat(outcomes).containsKey(r));
            assertThat(attemptsSeen.get()).isEqualTo(totalCalls(providers));
            assertThat(router.deploymentStatuses()).allSatisfy(s -> {
                assertThat(s.inFlight()).isZero();
                assertThat(s.state() == DeploymentStatus.State.COOLING_DOWN).isEqualTo(s.coolingUntil().isPresent());
            });
        } finally {
            callers.shutdownNow();
            completer.shutdownNow();
        }
    }

    private static int totalCalls(List<ChaosProvider> providers) {
        int n = 0;
        for (ChaosProvider p : providers) {
            n += p.calls();
        }
        return n;
    }
}
