package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.api.RouterRequest;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.exception.ContentPolicyViolationException;
import io.llmrouter.api.exception.ContextWindowExceededException;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.NoDeploymentAvailableException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.spi.RouterListener;
import io.llmrouter.testing.FakeProvider;
import io.llmrouter.testing.VirtualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The resilience engine's documented behaviour, driven by virtual time: no test sleeps. */
class ResilienceTest {

    private final VirtualTime time = VirtualTime.create();
    private Router router;

    @AfterEach
    void close() {
        if (router != null) {
            router.close();
        }
    }

    private Router.Builder virtual() {
        return Router.builder().clock(time.clock()).scheduler(time.scheduler()).random(new SplittableRandom(7));
    }

    private static Deployment fake(String group, String id, FakeProvider provider) {
        return Deployment.builder(group, "openai/" + group).id(id).provider(provider).build();
    }

    private <T> T await(CompletableFuture<T> future) {
        time.advanceUntil(future::isDone, Duration.ofHours(1));
        assertThat(future).as("the call must end within an hour of virtual time").isDone();
        return future.join();
    }

    private Throwable failureOf(CompletableFuture<?> future) {
        time.advanceUntil(future::isDone, Duration.ofHours(1));
        assertThat(future).isCompletedExceptionally();
        return future.handle((r, e) -> e).join();
    }

    private static ChatRequest hello(String group) {
        return ChatRequest.ofUser(group, "hello");
    }

    @Test
    void givenRateLimitWithRetryAfter_whenRetried_thenWaitsExactlyTheRetryAfterInVirtualTime() {
        // given a single deployment (never cooled by a 429) answering 429 retry-after 2 s, then OK
        FakeProvider provider = FakeProvider.builder().fail(429, Duration.ofSeconds(2)).reply("ok").build();
        router = virtual().deployment(fake("g", "only", provider)).build();
        Instant start = time.now();
        // when
        CompletableFuture<ChatResponse> future = router.completionAsync(hello("g"));
        // then: the retry is scheduled for exactly 2 s later, not the 500 ms default backoff
        time.advance(Duration.ofMillis(1999));
        assertThat(provider.callCount()).isEqualTo(1);
        assertThat(future).isNotDone();
        time.advance(Duration.ofMillis(1));
        assertThat(provider.callCount()).isEqualTo(2);
        assertThat(future.join().text()).isEqualTo("ok");
        List<Attempt> attempts = future.join().routing().orElseThrow().attempts();
        assertThat(attempts.get(0).retryAfter()).contains(Duration.ofSeconds(2));
        assertThat(attempts.get(1).startedAt()).isEqualTo(start.plusSeconds(2));
    }

    @Test
    void givenRetryAfterAboveTheCap_whenRetried_thenItIsIgnoredForTheBackoff() {
        FakeProvider provider = FakeProvider.builder().fail(429, Duration.ofMinutes(10)).reply("ok").build();
        router = virtual().retryPolicy(retry -> retry.maxRetryAfter(Duration.ofSeconds(30))).deployment(fake("g", "only", provider)).build();

        CompletableFuture<ChatResponse> future = router.completionAsync(hello("g"));
        time.advance(Duration.ofMillis(625));

        // LiteLLM's rule: a retry-after above the cap is not waited; the backoff (500 ms + up to 25 %) is
        assertThat(future.join().routing().orElseThrow().attempts().get(1).startedAt())
                .isBetween(Instant.parse("2026-01-01T00:00:00.500Z"), Instant.parse("2026-01-01T00:00:00.625Z"));
    }

    @Test
    void givenNoRetryAfter_whenOnlyDeploymentFails_thenExponentialBackoffWithJitter() {
        FakeProvider provider = FakeProvider.builder().fail(503).fail(503).reply("ok").build();
        router = virtual().deployment(fake("g", "only", provider)).build();

        ChatResponse response = await(router.completionAsync(hello("g")));

        List<Attempt> a = response.routing().orElseThrow().attempts();
        Duration first = Duration.between(a.get(0).startedAt(), a.get(1).startedAt());
        Duration second = Duration.between(a.get(1).startedAt(), a.get(2).startedAt());
        assertThat(first).isBetween(Duration.ofMillis(500), Duration.ofMillis(625));   // 500 ms plus up to 25 %
        assertThat(second).isBetween(Duration.ofMillis(1000), Duration.ofMillis(1250)); // 1 s plus up to 25 %
    }

    @Test
    void givenOneOfThreeDeploymentsAlwaysFailing_whenAllowedFailsPassed_thenCooledUntilCooldownThenOneProbe() {
        // given: the strategy always prefers "broken" when it is a candidate
        FakeProvider broken = FakeProvider.failingWith(500);
        FakeProvider a = FakeProvider.replying("a");
        FakeProvider b = FakeProvider.replying("b");
        router = virtual().cooldownPolicy(cooldown -> cooldown.allowedFails(3).cooldownTime(Duration.ofSeconds(5)))
                .strategy((ctx, candidates) -> candidates.get(0))
                .deployment(fake("g", "broken", broken)).deployment(fake("g", "a", a)).deployment(fake("g", "b", b))
                .build();
        // when: 4 requests, each tries broken first and retries on a healthy one at once
        for (int i = 0; i < 4; i++) {
            assertThat(await(router.completionAsync(hello("g"))).text()).isEqualTo("a");
        }
        // then: the 4th failure passed allowedFails=3, so broken is out of rotation
        assertThat(broken.callCount()).isEqualTo(4);
        assertThat(status("broken").state()).isEqualTo(DeploymentStatus.State.COOLING_DOWN);
        assertThat(status("broken").coolingUntil()).contains(time.now().plusSeconds(5));
        for (int i = 0; i < 10; i++) {
            assertThat(await(router.completionAsync(hello("g"))).routing().orElseThrow().attempts())
                    .extracting(Attempt::deploymentId).containsExactly("a");
        }
        assertThat(broken.callCount()).isEqualTo(4);
        // after the cooldown: exactly one probe goes to broken; it fails and cools it again
        time.advance(Duration.ofSeconds(5));
        assertThat(status("broken").state()).isEqualTo(DeploymentStatus.State.PROBING);
        ChatResponse afterProbe = await(router.completionAsync(hello("g")));
        assertThat(afterProbe.routing().orElseThrow().attempts()).extracting(Attempt::deploymentId)
                .containsExactly("broken", "a");
        assertThat(broken.callCount()).isEqualTo(5);
        assertThat(status("broken").state()).isEqualTo(DeploymentStatus.State.COOLING_DOWN);
        await(router.completionAsync(hello("g")));
        assertThat(broken.callCount()).isEqualTo(5);
    }

    @Test
    void givenCooledDeploymentRecovers_whenProbeSucceeds_thenBackInRotationWithEvents() {
        List<String> events = new CopyOnWriteArrayList<>();
        FakeProvider flaky = FakeProvider.builder().fail(429, Duration.ofSeconds(3)).reply("flaky ok").build();
        router = virtual().strategy((ctx, candidates) -> candidates.get(0))
                .deployment(fake("g", "flaky", flaky)).deployment(fake("g", "steady", FakeProvider.replying("s")))
                .listener(new RouterListener() {
                    @Override
                    public void onCooldownStart(String id, String group, Instant until, LlmRouterException cause) {
                        events.add("start " + id + " " + until + " " + cause.getClass().getSimpleName());
                    }

                    @Override
                    public void onCooldownEnd(String id, String group) {
                        events.add("end " + id);
                    }
                })
                .build();

        await(router.completionAsync(hello("g")));
        // a 429's retry-after sets the cooldown length: 3 s, not the 5 s default
        assertThat(status("flaky").coolingUntil()).contains(time.now().plusSeconds(3));
        time.advance(Duration.ofSeconds(3));
        ChatResponse probe = await(router.completionAsync(hello("g")));

        assertThat(probe.text()).isEqualTo("flaky ok");
        assertThat(status("flaky").state()).isEqualTo(DeploymentStatus.State.AVAILABLE);
        assertThat(events).containsExactly("start flaky 2026-01-01T00:00:03Z RateLimitException", "end flaky");
    }

    @Test
    void givenAllDeploymentsCooling_whenCalled_thenNoDeploymentAvailableNamesGroupAndRecoveryTime() {
        router = virtual().retryPolicy(retry -> retry.numRetries(1))
                .deployment(fake("g", "d1", FakeProvider.failingWith(429, Duration.ofSeconds(10))))
                .deployment(fake("g", "d2", FakeProvider.failingWith(429, Duration.ofSeconds(20))))
                .strategy((ctx, candidates) -> candidates.get(0))
                .build();
        // the first call is rate limited by both deployments, which cool for 10 s and 20 s
        assertThat(failureOf(router.completionAsync(hello("g")))).isInstanceOf(RateLimitException.class);

        Throwable failure = failureOf(router.completionAsync(hello("g")));

        assertThat(failure).isInstanceOf(NoDeploymentAvailableException.class);
        NoDeploymentAvailableException e = (NoDeploymentAvailableException) failure;
        assertThat(e.modelGroup()).isEqualTo("g");
        assertThat(e.deploymentIds()).containsExactly("d1", "d2");
        assertThat(e.retryAt()).contains(Instant.parse("2026-01-01T00:00:10Z"));
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(20));
        assertThat(e.getMessage()).contains("'g'").contains("[d1, d2]").contains("2026-01-01T00:00:10Z");
        assertThat(e.attempts()).isEmpty();
    }

    @Test
    void givenAllDeploymentsCoolingAndAFallback_whenCalled_thenFallbackAnswers() {
        router = virtual()
                .deployment(fake("g", "d1", FakeProvider.failingWith(429)))
                .deployment(fake("g", "d2", FakeProvider.failingWith(429)))
                .deployment(fake("backup", "b", FakeProvider.replying("from backup")))
                .fallbackPolicy(fallback -> fallback.fallbacks("g", "backup"))
                .build();

        ChatResponse response = await(router.completionAsync(hello("g")));

        assertThat(response.text()).isEqualTo("from backup");
        assertThat(response.routing().orElseThrow().attempts()).extracting(Attempt::deploymentId)
                .containsExactlyInAnyOrder("d1", "d2", "b");
    }

    @Test
    void givenTypedFallbacks_whenErrorsDiffer_thenEachTakesItsOwnList() {
        FakeProvider primary = FakeProvider.builder()
                .fail(call -> new ContextWindowExceededException("too long", ErrorContext.none()))
                .fail(call -> new ContentPolicyViolationException("flagged", ErrorContext.none()))
                .fail(500)
                .build();
        router = virtual().retryPolicy(retry -> retry.numRetries(1))
                .deployment(fake("main", "main", primary))
                .deployment(fake("big", "big", FakeProvider.replying("from big context")))
                .deployment(fake("lenient", "lenient", FakeProvider.replying("from lenient")))
                .deployment(fake("general", "general", FakeProvider.replying("from general")))
                .fallbackPolicy(fallback -> fallback.fallbacks("main", "general")
                        .contextWindowFallbacks("main", "big")
                        .contentPolicyFallbacks("main", "lenient"))
                .build();

        ChatResponse first = await(router.completionAsync(hello("main")));
        ChatResponse second = await(router.completionAsync(hello("main")));
        ChatResponse third = await(router.completionAsync(hello("main")));

        assertThat(first.text()).isEqualTo("from big context");
        assertThat(first.routing().orElseThrow().attempts()).extracting(Attempt::deploymentId)
                .containsExactly("main", "big"); // not retried: a context error cannot succeed on retry
        assertThat(second.text()).isEqualTo("from lenient");
        assertThat(third.text()).isEqualTo("from general");
        assertThat(third.routing().orElseThrow().attempts()).extracting(Attempt::deploymentId)
                .containsExactly("main", "main", "general"); // the 500 was retried once first
    }

    @Test
    void givenUnauthorizedPrimary_whenCalled_thenNoRetryCooldownAndFallbackAnswers() {
        FakeProvider primary = FakeProvider.failingWith(401);
        router = virtual()
                .deployment(fake("main", "main", primary))
                .deployment(fake("backup", "backup", FakeProvider.replying("backup")))
                .fallbackPolicy(fallback -> fallback.fallbacks("main", "backup"))
                .build();

        ChatResponse response = await(router.completionAsync(hello("main")));

        assertThat(response.text()).isEqualTo("backup");
        assertThat(primary.callCount()).isEqualTo(1);
        assertThat(status("main").state()).isEqualTo(DeploymentStatus.State.COOLING_DOWN);
        // while it cools, the next request goes straight to the fallback
        ChatResponse next = await(router.completionAsync(hello("main")));
        assertThat(next.routing().orElseThrow().attempts()).extracting(Attempt::deploymentId)
                .containsExactly("backup");
        assertThat(primary.callCount()).isEqualTo(1);
    }

    @Test
    void givenDeadline_whenDeploymentHangs_thenCallEndsAtTheDeadlineWithTheAttempt() {
        FakeProvider hanging = FakeProvider.builder().hang().build();
        FakeProvider backup = FakeProvider.replying("too late");
        router = virtual().timeouts(timeouts -> timeouts.callTimeout(Duration.ofSeconds(30)))
                .deployment(fake("main", "main", hanging))
                .deployment(fake("backup", "backup", backup))
                .fallbackPolicy(fallback -> fallback.fallbacks("main", "backup"))
                .build();

        CompletableFuture<ChatResponse> future =
                router.completionAsync(hello("main"), RequestOptions.builder().timeouts(timeouts -> timeouts.deadline(Duration.ofSeconds(1))).build());
        time.advance(Duration.ofMillis(999));
        assertThat(future).isNotDone();
        time.advance(Duration.ofMillis(1));

        Throwable failure = failureOf(future);
        assertThat(failure).isInstanceOf(RequestTimeoutException.class).hasMessageContaining("deadline of PT1S");
        RequestTimeoutException e = (RequestTimeoutException) failure;
        assertThat(e.attempts()).singleElement().satisfies(a -> {
            assertThat(a.deploymentId()).isEqualTo("main");
            assertThat(a.duration()).isEqualTo(Duration.ofSeconds(1));
            assertThat(a.errorType()).contains("RequestTimeoutException");
        });
        assertThat(backup.callCount()).isZero();
        assertThat(status("main").state()).as("a deadline is not the deployment's fault")
                .isEqualTo(DeploymentStatus.State.AVAILABLE);
    }

    @Test
    void givenRouterDeadline_whenBackoffWouldOutlastIt_thenCallEndsAtTheDeadline() {
        FakeProvider limited = FakeProvider.failingWith(429, Duration.ofSeconds(30));
        router = virtual().timeouts(timeouts -> timeouts.deadline(Duration.ofSeconds(5))).deployment(fake("g", "only", limited)).build();

        CompletableFuture<ChatResponse> future = router.completionAsync(hello("g"));
        time.advance(Duration.ofSeconds(5));

        assertThat(future).isCompletedExceptionally();
        Throwable failure = future.handle((r, e) -> e).join();
        assertThat(failure).isInstanceOf(RequestTimeoutException.class);
        assertThat(((LlmRouterException) failure).attempts()).hasSize(1);
        assertThat(limited.callCount()).isEqualTo(1);
    }

    @Test
    void givenRetryPolicy_whenKindsDiffer_thenEachKindHasItsOwnCount() {
        FakeProvider provider = FakeProvider.builder().fail(429).fail(429).fail(429).fail(429).fail(500).reply("ok")
                .build();
        router = virtual().retryPolicy(retry -> retry.backoff(Duration.ZERO, Duration.ZERO)
                        .retries(FailureKind.RATE_LIMIT, 4)
                        .retries(FailureKind.SERVER_ERROR, 0))
                .deployment(fake("g", "only", provider)).build();

        Throwable failure = failureOf(router.completionAsync(hello("g")));

        // 4 retries of the 429s, then the 500 has no retries of its own
        assertThat(provider.callCount()).isEqualTo(5);
        assertThat(((LlmRouterException) failure).statusCode()).hasValue(500);
    }

    @Test
    void givenRequestOptions_whenRetriesAndFallbacksOverridden_thenTheyApplyToThatRequestOnly() {
        FakeProvider primary = FakeProvider.failingWith(503);
        router = virtual().retryPolicy(retry -> retry.backoff(Duration.ZERO, Duration.ZERO).numRetries(3))
                .deployment(fake("main", "main", primary))
                .deployment(fake("a", "a", FakeProvider.replying("a")))
                .deployment(fake("b", "b", FakeProvider.replying("b")))
                .fallbackPolicy(fallback -> fallback.fallbacks("main", "a"))
                .build();

        ChatResponse custom = await(router.completionAsync(hello("main"),
                RequestOptions.builder().retryPolicy(retry -> retry.numRetries(0)).fallbackPolicy(fallback -> fallback.defaultFallbacks("b")).build()));
        int callsAfterFirst = primary.callCount();
        ChatResponse normal = await(router.completionAsync(hello("main")));

        assertThat(custom.text()).isEqualTo("b");
        assertThat(callsAfterFirst).isEqualTo(1);
        assertThat(normal.text()).isEqualTo("a");
        assertThat(primary.callCount()).isEqualTo(1 + 4);
    }

    @Test
    void givenFallbackChainThatLoopsBack_whenAllFail_thenEachGroupIsTriedOnce() {
        FakeProvider a = FakeProvider.failingWith(500);
        FakeProvider b = FakeProvider.failingWith(500);
        router = virtual().retryPolicy(retry -> retry.numRetries(0))
                .deployment(fake("a", "a", a)).deployment(fake("b", "b", b))
                .fallbackPolicy(fallback -> fallback.fallbacks("a", "b")
                        .defaultFallbacks("a", "b"))
                .build();

        failureOf(router.completionAsync(hello("b")));
        failureOf(router.completionAsync(hello("a")));

        assertThat(a.callCount()).isEqualTo(2);
        assertThat(b.callCount()).isEqualTo(2);
    }

    @Test
    void givenRetries_whenListening_thenRetryEventsCarryNumberDelayAndCause() {
        List<String> events = new CopyOnWriteArrayList<>();
        FakeProvider provider = FakeProvider.builder().fail(429, Duration.ofSeconds(2)).fail(503).reply("ok").build();
        router = virtual().retryPolicy(retry -> retry.backoff(Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .deployment(fake("g", "only", provider))
                .listener(new RouterListener() {
                    @Override
                    public void onRetry(RouterRequest request, String group, int n, Duration delay,
                            LlmRouterException cause) {
                        events.add(group + " #" + n + " in " + delay + " after " + cause.getClass().getSimpleName());
                    }
                })
                .build();

        await(router.completionAsync(hello("g")));

        assertThat(events).hasSize(2);
        assertThat(events.get(0)).isEqualTo("g #1 in PT2S after RateLimitException");
        // backoff 1 s (initial = max) plus up to 25 % jitter
        assertThat(events.get(1)).startsWith("g #2 in PT1").endsWith("after ServiceUnavailableException");
    }

    @Test
    void givenDelayedFakeOnVirtualScheduler_whenTimeoutShorter_thenAttemptTimesOutAndRetries() {
        FakeProvider slowThenFast = FakeProvider.builder().scheduler(time.scheduler())
                .delay(Duration.ofSeconds(10)).reply("slow").delay(Duration.ZERO).reply("fast").build();
        router = virtual().timeouts(timeouts -> timeouts.callTimeout(Duration.ofSeconds(3))).retryPolicy(retry -> retry.backoff(Duration.ZERO, Duration.ZERO))
                .deployment(fake("g", "only", slowThenFast)).build();

        ChatResponse response = await(router.completionAsync(hello("g")));

        assertThat(response.text()).isEqualTo("fast");
        assertThat(response.routing().orElseThrow().attempts()).extracting(a -> a.errorType().orElse("ok"))
                .containsExactly("RequestTimeoutException", "ok");
        assertThat(response.routing().orElseThrow().attempts().get(0).duration()).isEqualTo(Duration.ofSeconds(3));
    }

    private DeploymentStatus status(String id) {
        return router.deploymentStatuses().stream().filter(s -> s.deploymentId().equals(id)).findFirst()
                .orElseThrow();
    }
}
