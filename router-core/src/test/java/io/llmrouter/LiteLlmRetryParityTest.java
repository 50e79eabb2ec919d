package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.exception.AuthenticationException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.testing.FakeProvider;
import io.llmrouter.testing.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, "Retries": LiteLLM's retry rules (read from its router code), through the public API
 * on virtual time, one nested class per rule.
 */
class LiteLlmRetryParityTest {

    private final VirtualTime time = VirtualTime.create();
    private Router router;

    @AfterEach
    void close() {
        if (router != null) {
            router.close();
        }
    }

    /** A router on virtual time whose strategy always picks the first candidate. */
    private Router.Builder virtual() {
        return Router.builder().clock(time.clock()).scheduler(time.scheduler()).random(new SplittableRandom(7))
                .strategy((ctx, candidates) -> candidates.get(0));
    }

    private static Deployment deployment(String id, FakeProvider provider) {
        return Deployment.builder("g", "openai/gpt-4o").id(id).provider(provider).build();
    }

    private CompletableFuture<ChatResponse> start() {
        return router.completionAsync(ChatRequest.ofUser("g", "hello"));
    }

    private ChatResponse answer() {
        CompletableFuture<ChatResponse> future = start();
        time.advanceUntil(future::isDone, Duration.ofHours(1));
        return future.join();
    }

    private Throwable failure() {
        CompletableFuture<ChatResponse> future = start();
        time.advanceUntil(future::isDone, Duration.ofHours(1));
        assertThat(future).isCompletedExceptionally();
        return future.handle((r, e) -> e).join();
    }

    private static List<String> tried(ChatResponse response) {
        return response.routing().orElseThrow().attempts().stream().map(Attempt::deploymentId).toList();
    }

    /** The waits between the attempts of {@code response}. */
    private static List<Duration> waits(List<Attempt> attempts) {
        List<Duration> waits = new ArrayList<>();
        for (int i = 1; i < attempts.size(); i++) {
            Attempt before = attempts.get(i - 1);
            waits.add(Duration.between(before.startedAt().plus(before.duration()), attempts.get(i).startedAt()));
        }
        return waits;
    }

    /**
     * Each retry re-runs selection, so it moves to another healthy deployment of the group when one
     * exists (a deployment that just cooled drops out).
     */
    @Nested
    class EachRetryReRunsSelection {

        @Test
        void eachRetryMovesToAnotherHealthyDeployment() {
            router = virtual().deployment(deployment("a", FakeProvider.failingWith(500)))
                    .deployment(deployment("b", FakeProvider.failingWith(503)))
                    .deployment(deployment("c", FakeProvider.replying("c"))).build();

            ChatResponse response = answer();

            assertThat(response.text()).isEqualTo("c");
            assertThat(tried(response)).containsExactly("a", "b", "c");
            assertThat(waits(response.routing().orElseThrow().attempts()))
                    .as("no wait while another healthy deployment is left").containsOnly(Duration.ZERO);
        }

        @Test
        void aDeploymentThatJustCooledDropsOutOfTheRetriesAndTheNextRequests() {
            FakeProvider a = FakeProvider.builder().fail(500).reply("a").build();
            router = virtual().deployment(deployment("a", a)).deployment(deployment("b", FakeProvider.replying("b")))
                    .build();

            assertThat(tried(answer())).containsExactly("a", "b");
            assertThat(tried(answer())).as("a cools at its first failure").containsExactly("b");

            assertThat(a.callCount()).isEqualTo(1);
        }
    }

    /**
     * An authentication error (401) on one deployment is retried on another healthy deployment of
     * the group; with no healthy deployment left it is raised.
     */
    @Nested
    class AuthenticationErrorIsRetriedElsewhere {

        @Test
        void a401IsRetriedOnAnotherHealthyDeploymentOfTheGroup() {
            router = virtual().deployment(deployment("bad-key", FakeProvider.failingWith(401)))
                    .deployment(deployment("good", FakeProvider.replying("good"))).build();

            ChatResponse response = answer();

            assertThat(response.text()).isEqualTo("good");
            assertThat(tried(response)).containsExactly("bad-key", "good");
        }

        @Test
        void a401WithNoOtherHealthyDeploymentIsRaisedAtOnce() {
            FakeProvider only = FakeProvider.failingWith(401);
            router = virtual().retryPolicy(r -> r.numRetries(3)).deployment(deployment("only", only)).build();

            Throwable failure = failure();

            assertThat(failure).isInstanceOf(AuthenticationException.class);
            assertThat(((LlmRouterException) failure).attempts()).hasSize(1);
            assertThat(only.callCount()).isEqualTo(1);
        }

        @Test
        void whenEveryDeploymentHasABadKeyTheLast401IsRaised() {
            router = virtual().retryPolicy(r -> r.numRetries(5))
                    .deployment(deployment("a", FakeProvider.failingWith(401)))
                    .deployment(deployment("b", FakeProvider.failingWith(401))).build();

            Throwable failure = failure();

            assertThat(failure).isInstanceOf(AuthenticationException.class);
            assertThat(((LlmRouterException) failure).attempts()).extracting(Attempt::deploymentId)
                    .containsExactly("a", "b");
        }

        @Test
        void anExplicitCountForAuthenticationFailuresStillDecides() {
            router = virtual().retryPolicy(r -> r.retries(FailureKind.AUTHENTICATION, 0))
                    .deployment(deployment("bad-key", FakeProvider.failingWith(401)))
                    .deployment(deployment("good", FakeProvider.replying("good"))).build();

            assertThat(failure()).isInstanceOf(AuthenticationException.class);
        }
    }

    /**
     * Backoff: 0.5 s × 2^k capped at 8 s plus a positive jitter; a retry-after above 60 s is
     * ignored in favour of the backoff.
     */
    @Nested
    class Backoff {

        @Test
        void theBackoffDoublesFromHalfASecondUpToEightSecondsPlusAPositiveJitter() {
            FakeProvider only = FakeProvider.failingWith(500);
            router = virtual().retryPolicy(r -> r.numRetries(6)).deployment(deployment("only", only)).build();

            List<Attempt> attempts = ((LlmRouterException) failure()).attempts();

            assertThat(attempts).hasSize(7);
            List<Duration> waits = waits(attempts);
            long[] base = {500, 1_000, 2_000, 4_000, 8_000, 8_000};
            for (int k = 0; k < base.length; k++) {
                assertThat(waits.get(k)).as("wait before retry %d", k + 1)
                        .isBetween(Duration.ofMillis(base[k]), Duration.ofMillis(base[k] * 125 / 100));
            }
            assertThat(waits).as("the jitter is random, not a constant factor")
                    .anySatisfy(w -> assertThat(w.toMillis() % 500).isNotZero());
        }

        @Test
        void aRetryAfterUpToSixtySecondsIsWaitedExactly() {
            FakeProvider only = FakeProvider.builder().fail(429, Duration.ofSeconds(60)).reply("ok").build();
            router = virtual().deployment(deployment("only", only)).build();

            ChatResponse response = answer();

            assertThat(waits(response.routing().orElseThrow().attempts())).containsExactly(Duration.ofSeconds(60));
        }

        @Test
        void aRetryAfterAboveSixtySecondsIsIgnoredInFavourOfTheBackoff() {
            FakeProvider only = FakeProvider.builder().fail(429, Duration.ofSeconds(61)).reply("ok").build();
            router = virtual().deployment(deployment("only", only)).build();

            ChatResponse response = answer();

            assertThat(waits(response.routing().orElseThrow().attempts()).get(0))
                    .isBetween(Duration.ofMillis(500), Duration.ofMillis(625));
        }

        @Test
        void theSixtySecondLimitIsRetryPolicysMaxRetryAfter() {
            assertThat(RetryPolicy.DEFAULT_MAX_RETRY_AFTER).isEqualTo(Duration.ofSeconds(60));
            assertThat(RetryPolicy.DEFAULT_INITIAL_BACKOFF).isEqualTo(Duration.ofMillis(500));
            assertThat(RetryPolicy.DEFAULT_MAX_BACKOFF).isEqualTo(Duration.ofSeconds(8));
        }
    }
}
