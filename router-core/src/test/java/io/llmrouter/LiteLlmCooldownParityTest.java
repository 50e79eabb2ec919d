package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.DeploymentStatus.State;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.testing.FakeProvider;
import io.llmrouter.testing.VirtualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 18, "Cooldown": LiteLLM's cooldown rules (read from its router code), through the public
 * API on virtual time. Each nested class is one rule of the issue; where llmrouter keeps a
 * difference, the test pins it and {@code src-docs/concepts.md} says why.
 */
class LiteLlmCooldownParityTest {

    private final VirtualTime time = VirtualTime.create();
    private Router router;

    @AfterEach
    void close() {
        if (router != null) {
            router.close();
        }
    }

    /** A router on virtual time whose strategy always picks the first candidate ("primary" first). */
    private Router.Builder virtual() {
        return Router.builder().clock(time.clock()).scheduler(time.scheduler()).random(new SplittableRandom(7))
                .strategy((ctx, candidates) -> candidates.get(0));
    }

    private static Deployment.Builder deployment(String id, FakeProvider provider) {
        return Deployment.builder("g", "openai/gpt-4o").id(id).provider(provider);
    }

    /** "primary" (built from {@code primary}) and a healthy "backup" in group {@code g}. */
    private Router.Builder pair(Deployment.Builder primary) {
        return virtual().deployment(primary.build()).deployment(deployment("backup", FakeProvider.replying("ok")).build());
    }

    private static ChatRequest hello() {
        return ChatRequest.ofUser("g", "hello");
    }

    /** Runs one request to its end on virtual time; returns its answer, or null when it failed. */
    private ChatResponse call(RequestOptions options) {
        CompletableFuture<ChatResponse> future = router.completionAsync(hello(), options);
        time.advanceUntil(future::isDone, Duration.ofHours(1));
        assertThat(future).as("the call must end within an hour of virtual time").isDone();
        return future.handle((r, e) -> r).join();
    }

    private ChatResponse call() {
        return call(RequestOptions.none());
    }

    private DeploymentStatus status(String id) {
        return router.deploymentStatuses().stream().filter(s -> s.deploymentId().equals(id)).findFirst()
                .orElseThrow();
    }

    private Instant in(Duration d) {
        return time.now().plus(d);
    }

    /**
     * Duration: the deployment's or the request's cooldown time if set (0 = this failure does not
     * cool it), else the failed response's retry-after (0 = no cooldown), else the router's
     * cooldown time; a deployment already cooling keeps its first deadline.
     */
    @Nested
    class CooldownDuration {

        @Test
        void theDeploymentsCooldownTimeWinsOverTheRetryAfterAndTheRouters() {
            router = pair(deployment("primary", FakeProvider.failingWith(429, Duration.ofSeconds(7)))
                    .cooldownTime(Duration.ofSeconds(20))).build();

            call();

            assertThat(status("primary").coolingUntil()).contains(in(Duration.ofSeconds(20)));
        }

        @Test
        void theRequestsCooldownTimeWinsOverTheDeployments() {
            router = pair(deployment("primary", FakeProvider.failingWith(429, Duration.ofSeconds(7)))
                    .cooldownTime(Duration.ofSeconds(20))).build();

            call(RequestOptions.builder().cooldownTime(Duration.ofSeconds(3)).build());

            assertThat(status("primary").coolingUntil()).contains(in(Duration.ofSeconds(3)));
        }

        @Test
        void aZeroCooldownTimeOnTheDeploymentMeansItsFailuresDoNotCoolIt() {
            FakeProvider primary = FakeProvider.failingWith(429, Duration.ofSeconds(7));
            router = pair(deployment("primary", primary).cooldownTime(Duration.ZERO)).build();

            call();
            call();

            assertThat(status("primary").state()).isEqualTo(State.AVAILABLE);
            assertThat(primary.callCount()).as("each request tries it again").isEqualTo(2);
        }

        @Test
        void aZeroRouterCooldownTimeDisablesCooldownsEvenForARetryAfter() {
            FakeProvider primary = FakeProvider.failingWith(429, Duration.ofSeconds(7));
            router = pair(deployment("primary", primary))
                    .cooldownPolicy(c -> c.cooldownTime(Duration.ZERO).allowedFails(0)).build();

            call();
            call();

            assertThat(status("primary").state()).isEqualTo(State.AVAILABLE);
            assertThat(primary.callCount()).as("each request tries it again").isEqualTo(2);
        }

        @Test
        void aZeroCooldownTimeOnTheRequestMeansItsFailureDoesNotCoolTheDeployment() {
            router = pair(deployment("primary", FakeProvider.failingWith(500))).build();

            ChatResponse answer = call(RequestOptions.builder().cooldownTime(Duration.ZERO).build());

            assertThat(answer.text()).isEqualTo("ok");
            assertThat(status("primary").state()).isEqualTo(State.AVAILABLE);
        }

        @Test
        void otherwiseTheRetryAfterOfTheFailedResponseSetsIt() {
            router = pair(deployment("primary", FakeProvider.failingWith(503, Duration.ofSeconds(9)))).build();

            call();

            assertThat(status("primary").coolingUntil()).contains(in(Duration.ofSeconds(9)));
        }

        @Test
        void aZeroRetryAfterMeansNoCooldown() {
            router = pair(deployment("primary", FakeProvider.failingWith(429, Duration.ZERO))).build();

            assertThat(call().text()).isEqualTo("ok");

            assertThat(status("primary").state()).isEqualTo(State.AVAILABLE);
        }

        @Test
        void withoutRetryAfterTheRoutersCooldownTimeSetsIt() {
            router = pair(deployment("primary", FakeProvider.failingWith(500)))
                    .cooldownPolicy(c -> c.cooldownTime(Duration.ofSeconds(11))).build();

            call();

            assertThat(status("primary").coolingUntil()).contains(in(Duration.ofSeconds(11)));
        }

        @Test
        void aDeploymentAlreadyCoolingKeepsItsFirstDeadline() {
            // two requests in flight on primary at once: the first failure cools it for 7 s, the
            // second (retry-after 30 s) ends while it cools and must not push the deadline out
            FakeProvider primary = FakeProvider.builder().scheduler(time.scheduler()).delay(Duration.ofSeconds(1))
                    .fail(429, Duration.ofSeconds(7)).fail(429, Duration.ofSeconds(30)).build();
            router = pair(deployment("primary", primary)).build();
            Instant start = time.now();

            CompletableFuture<ChatResponse> first = router.completionAsync(hello());
            CompletableFuture<ChatResponse> second = router.completionAsync(hello());
            time.advanceUntil(() -> first.isDone() && second.isDone(), Duration.ofMinutes(1));

            assertThat(primary.callCount()).isEqualTo(2);
            assertThat(status("primary").coolingUntil()).contains(start.plusSeconds(1 + 7));
        }
    }

    /** Which failures count: 5xx, 408, 429, 401, 404 and timeouts; other 4xx never cool a deployment. */
    @Nested
    class WhichFailuresCount {

        @ParameterizedTest(name = "HTTP {0}")
        @ValueSource(ints = {500, 502, 503, 504, 529, 408, 429, 401, 404})
        void aDeploymentFailureCoolsTheDeploymentOfAGroup(int status) {
            router = pair(deployment("primary", FakeProvider.failingWith(status))).build();

            call();

            assertThat(status("primary").state()).isEqualTo(State.COOLING_DOWN);
        }

        @Test
        void aClientSideTimeoutCools() {
            FakeProvider slow = FakeProvider.builder().scheduler(time.scheduler()).delay(Duration.ofSeconds(30))
                    .reply("late").build();
            router = pair(deployment("primary", slow)).timeouts(t -> t.callTimeout(Duration.ofSeconds(2))).build();

            assertThat(call().text()).isEqualTo("ok");

            assertThat(status("primary").state()).isEqualTo(State.COOLING_DOWN);
        }

        @ParameterizedTest(name = "HTTP {0}")
        @ValueSource(ints = {400, 409, 413, 422})
        void anotherClientErrorNeverCools(int status) {
            FakeProvider primary = FakeProvider.failingWith(status);
            router = pair(deployment("primary", primary)).build();

            for (int i = 0; i < 20; i++) {
                call();
            }

            assertThat(primary.callCount()).isEqualTo(20);
            assertThat(status("primary").state()).isEqualTo(State.AVAILABLE);
            assertThat(status("primary").recentFailures()).isZero();
        }

        @Test
        void aPermissionError403CoolsLikeAnAuthenticationError_aDeliberateDifference() {
            // LiteLLM does not cool on 403; llmrouter does, even a lone deployment (see concepts.md)
            router = virtual().deployment(deployment("only", FakeProvider.failingWith(403)).build()).build();

            call();

            assertThat(status("only").state()).isEqualTo(State.COOLING_DOWN);
        }
    }

    /**
     * The default rule: in a group of more than one deployment a 429 cools at once, and so does a
     * failure rate strictly above 50 % in the 60 s window (so the first 5xx with no success cools);
     * a 401 or 404 cools even a lone deployment; a lone deployment is otherwise cooled only after
     * 1,000 calls that all failed.
     */
    @Nested
    class DefaultRule {

        @Test
        void inAGroupOfSeveralA429CoolsAtOnceEvenAfterSuccesses() {
            FakeProvider primary = FakeProvider.builder().reply("p").reply("p").reply("p").fail(429).reply("p").build();
            router = pair(deployment("primary", primary)).build();
            for (int i = 0; i < 3; i++) {
                assertThat(call().text()).isEqualTo("p");
            }

            assertThat(call().text()).isEqualTo("ok");

            assertThat(status("primary").state()).isEqualTo(State.COOLING_DOWN);
        }

        @Test
        void inAGroupOfSeveralTheFirst5xxWithNoSuccessInTheWindowCools() {
            FakeProvider primary = FakeProvider.failingWith(500);
            router = pair(deployment("primary", primary)).build();

            ChatResponse answer = call();

            assertThat(answer.routing().orElseThrow().attempts()).extracting(Attempt::deploymentId)
                    .containsExactly("primary", "backup");
            assertThat(status("primary").state()).isEqualTo(State.COOLING_DOWN);
            call();
            assertThat(primary.callCount()).as("the retry and the next request skip it").isEqualTo(1);
        }

        @Test
        void inAGroupOfSeveralExactlyHalfFailedDoesNotCoolButMoreThanHalfDoes() {
            FakeProvider primary = FakeProvider.builder().reply("p").fail(500).fail(500).reply("p").build();
            router = pair(deployment("primary", primary)).build();
            call(); // 1 success

            call(); // 1 of 2 failed: 50 %, not above

            assertThat(status("primary").state()).isEqualTo(State.AVAILABLE);
            call(); // 2 of 3 failed: 67 %
            assertThat(status("primary").state()).isEqualTo(State.COOLING_DOWN);
        }

        @Test
        void successesOlderThanTheWindowNoLongerCount() {
            FakeProvider primary = FakeProvider.builder().reply("p").reply("p").fail(500).build();
            router = pair(deployment("primary", primary)).build();
            call();
            call();

            time.advance(Duration.ofSeconds(CooldownPolicy.FAILURE_WINDOW_SECONDS + 1));
            call();

            assertThat(status("primary").state()).isEqualTo(State.COOLING_DOWN);
        }

        @ParameterizedTest(name = "HTTP {0}")
        @ValueSource(ints = {401, 404})
        void anAuthenticationOrNotFoundErrorCoolsEvenALoneDeployment(int status) {
            router = virtual().deployment(deployment("only", FakeProvider.failingWith(status)).build()).build();

            call();

            assertThat(status("only").state()).isEqualTo(State.COOLING_DOWN);
        }

        @ParameterizedTest(name = "HTTP {0}")
        @ValueSource(ints = {429, 500, 503, 408})
        void aLoneDeploymentIsNotCooledByOtherFailures(int status) {
            FakeProvider only = FakeProvider.failingWith(status);
            router = virtual().retryPolicy(r -> r.numRetries(0))
                    .deployment(deployment("only", only).build()).build();

            for (int i = 0; i < 50; i++) {
                call();
            }

            assertThat(only.callCount()).isEqualTo(50);
            assertThat(status("only").state()).isEqualTo(State.AVAILABLE);
        }

        @Test
        void aLoneDeploymentIsCooledAfterTheSingleDeploymentFailureThresholdOfAllFailedCalls() {
            FakeProvider only = FakeProvider.failingWith(500);
            router = virtual().retryPolicy(r -> r.numRetries(0))
                    .deployment(deployment("only", only).build()).build();
            int threshold = CooldownPolicy.DEFAULT_SINGLE_DEPLOYMENT_FAILURE_THRESHOLD;
            for (int i = 0; i < threshold - 1; i++) {
                call();
            }
            assertThat(status("only").state()).isEqualTo(State.AVAILABLE);

            call();

            assertThat(only.callCount()).isEqualTo(threshold);
            assertThat(status("only").state()).isEqualTo(State.COOLING_DOWN);
        }

        @Test
        void aLoneDeploymentWithOneSuccessInTheWindowIsNotCooledByTheThreshold() {
            FakeProvider only = FakeProvider.builder().reply("ok").fail(500).build();
            router = virtual().retryPolicy(r -> r.numRetries(0))
                    .cooldownPolicy(c -> c.singleDeploymentFailureThreshold(5))
                    .deployment(deployment("only", only).build()).build();

            for (int i = 0; i < 10; i++) {
                call();
            }

            assertThat(status("only").state()).isEqualTo(State.AVAILABLE);
        }
    }

    /**
     * The allowed-fails rule: when {@code allowedFails} (or an allowance per error kind) is set, it
     * replaces the default rule: cool when failures in the window exceed the allowance, for lone
     * deployments too.
     */
    @Nested
    class AllowedFailsRule {

        @Test
        void inAGroupOfSeveralItReplacesTheDefaultRuleSoA429NoLongerCoolsAtOnce() {
            FakeProvider primary = FakeProvider.failingWith(429);
            router = pair(deployment("primary", primary)).cooldownPolicy(c -> c.allowedFails(2)).build();

            call();
            call();

            assertThat(status("primary").state()).isEqualTo(State.AVAILABLE);
            call();
            assertThat(status("primary").state()).as("3 failures exceed the allowance of 2")
                    .isEqualTo(State.COOLING_DOWN);
        }

        @Test
        void aLoneDeploymentIsCooledWhenItsFailuresExceedTheAllowance() {
            FakeProvider only = FakeProvider.failingWith(500);
            router = virtual().retryPolicy(r -> r.numRetries(0)).cooldownPolicy(c -> c.allowedFails(1))
                    .deployment(deployment("only", only).build()).build();

            call();
            assertThat(status("only").state()).isEqualTo(State.AVAILABLE);
            call();

            assertThat(status("only").state()).isEqualTo(State.COOLING_DOWN);
        }

        @Test
        void anAllowancePerKindCountsThatKindOnItsOwnAndTheOtherKindsAgainstTheDefaultAllowance() {
            FakeProvider primary = FakeProvider.builder().fail(503).fail(503).fail(503).fail(500).build();
            router = pair(deployment("primary", primary))
                    .cooldownPolicy(c -> c.allowedFails(FailureKind.TIMEOUT, 0)).build();

            for (int i = 0; i < CooldownPolicy.DEFAULT_ALLOWED_FAILS; i++) {
                call();
            }
            assertThat(status("primary").state()).isEqualTo(State.AVAILABLE);
            call();

            assertThat(status("primary").state()).isEqualTo(State.COOLING_DOWN);
        }

        @Test
        void anAllowanceOfZeroForAKindCoolsAtItsFirstFailureEvenForALoneDeployment() {
            router = virtual().retryPolicy(r -> r.numRetries(0)).cooldownPolicy(c -> c.allowedFails(FailureKind.TIMEOUT, 0))
                    .deployment(deployment("only", FakeProvider.failingWith(408)).build()).build();

            call();

            assertThat(status("only").state()).isEqualTo(State.COOLING_DOWN);
        }

        @Test
        void failuresOlderThanTheWindowDoNotCount() {
            router = virtual().retryPolicy(r -> r.numRetries(0)).cooldownPolicy(c -> c.allowedFails(1))
                    .deployment(deployment("only", FakeProvider.failingWith(500)).build()).build();
            call();

            time.advance(Duration.ofSeconds(CooldownPolicy.FAILURE_WINDOW_SECONDS + 1));
            call();

            assertThat(status("only").state()).isEqualTo(State.AVAILABLE);
        }
    }

    /** The per-deployment and per-request cooldown times are plain immutable values. */
    @Nested
    class CooldownTimeSettings {

        @Test
        void aDeploymentsCooldownTimeIsKeptByToBuilderShownAndCompared() {
            Deployment d = deployment("d", FakeProvider.replying("x")).cooldownTime(Duration.ofSeconds(2)).build();

            assertThat(d.cooldownTime()).contains(Duration.ofSeconds(2));
            assertThat(d.toBuilder().build()).isEqualTo(d);
            assertThat(d.toBuilder().cooldownTime(Duration.ZERO).build()).isNotEqualTo(d);
            assertThat(d.toString()).contains("cooldownTime=PT2S");
            assertThat(deployment("e", FakeProvider.replying("x")).build().cooldownTime()).isEmpty();
        }

        @Test
        void aRequestsCooldownTimeIsKeptByToBuilderAndMakesTheOptionsNonEmpty() {
            RequestOptions o = RequestOptions.builder().cooldownTime(Duration.ZERO).build();

            assertThat(o.cooldownTime()).contains(Duration.ZERO);
            assertThat(o.isEmpty()).isFalse();
            assertThat(o.toBuilder().build()).isEqualTo(o).hasSameHashCodeAs(o);
            assertThat(RequestOptions.none().cooldownTime()).isEmpty();
        }

        @Test
        void aNegativeCooldownTimeIsRejectedNamingTheField() {
            assertThatThrownBy(() -> Deployment.builder("g", "openai/gpt-4o").cooldownTime(Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cooldownTime must not be negative, was PT-1S");
            assertThatThrownBy(() -> RequestOptions.builder().cooldownTime(Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cooldownTime must not be negative, was PT-1S");
        }
    }
}
