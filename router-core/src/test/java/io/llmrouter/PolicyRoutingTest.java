package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.testing.FakeProvider;
import io.llmrouter.testing.VirtualTime;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The policies as a router applies them: the retry precedence rule, request overrides, fallback depth, failure rate. */
class PolicyRoutingTest {

    private final VirtualTime time = VirtualTime.create();
    private Router router;

    @AfterEach
    void close() {
        if (router != null) {
            router.close();
        }
    }

    private Router.Builder virtual() {
        return Router.builder().clock(time.clock()).scheduler(time.scheduler()).random(new SplittableRandom(7))
                .retryPolicy(r -> r.backoff(Duration.ZERO, Duration.ZERO));
    }

    private static Deployment fake(String group, String id, FakeProvider provider) {
        return Deployment.builder(group, "openai/" + group).id(id).provider(provider).build();
    }

    private Throwable failureOf(CompletableFuture<?> future) {
        time.advanceUntil(future::isDone, Duration.ofHours(1));
        assertThat(future).isCompletedExceptionally();
        return future.handle((r, e) -> e).join();
    }

    private ChatResponse await(CompletableFuture<ChatResponse> future) {
        time.advanceUntil(future::isDone, Duration.ofHours(1));
        return future.join();
    }

    private static ChatRequest hello(String group) {
        return ChatRequest.ofUser(group, "hello");
    }

    @Test
    void givenGroupAndKindCounts_whenFailuresOfEachKind_thenTheKindCountBeatsTheGroupCountWhichBeatsNumRetries() {
        // given: 5 retries for rate limits, 1 for group g, 4 for the rest
        FakeProvider provider = FakeProvider.builder().fail(429).fail(429).fail(429).fail(500).fail(500).reply("ok")
                .build();
        router = virtual().retryPolicy(r -> r.numRetries(4).numRetries("g", 1).retries(FailureKind.RATE_LIMIT, 5))
                .deployment(fake("g", "only", provider)).build();
        // when
        Throwable failure = failureOf(router.completionAsync(hello("g")));
        // then: the 429s are retried (past the group's 1); the first 500 gets the group's 1 retry, the second none
        assertThat(provider.callCount()).isEqualTo(5);
        assertThat(((LlmRouterException) failure).statusCode()).hasValue(500);
    }

    @Test
    void givenRouterRetriesRateLimits_whenTheRequestSetsNumRetriesZero_thenTheRequestIsNotRetriedAtAll() {
        FakeProvider provider = FakeProvider.builder().fail(429).reply("ok").build();
        router = virtual().retryPolicy(r -> r.retries(FailureKind.RATE_LIMIT, 4)).deployment(fake("g", "only", provider))
                .build();

        failureOf(router.completionAsync(hello("g"), RequestOptions.builder().retryPolicy(r -> r.numRetries(0)).build()));

        assertThat(provider.callCount()).isEqualTo(1);
    }

    @Test
    void givenARequestPolicyNamingOnlyRateLimits_whenAServerErrorFails_thenTheRoutersNumRetriesStillApply() {
        FakeProvider provider = FakeProvider.builder().fail(500).fail(500).fail(500).reply("ok").build();
        router = virtual().retryPolicy(r -> r.numRetries(3)).deployment(fake("g", "only", provider)).build();

        ChatResponse response = await(router.completionAsync(hello("g"),
                RequestOptions.builder().retryPolicy(r -> r.retries(FailureKind.RATE_LIMIT, 0)).build()));

        assertThat(response.text()).isEqualTo("ok");
        assertThat(provider.callCount()).isEqualTo(4);
    }

    @Test
    void givenRequestDefaultFallbacks_whenThePrimaryFails_thenTheyReplaceTheGroupsOwnList() {
        router = virtual().retryPolicy(r -> r.numRetries(0))
                .deployment(fake("main", "main", FakeProvider.failingWith(503)))
                .deployment(fake("a", "a", FakeProvider.replying("a")))
                .deployment(fake("b", "b", FakeProvider.replying("b")))
                .fallbackPolicy(f -> f.fallbacks("main", "a"))
                .build();

        ChatResponse custom = await(router.completionAsync(hello("main"),
                RequestOptions.builder().fallbackPolicy(f -> f.defaultFallbacks("b")).build()));
        ChatResponse normal = await(router.completionAsync(hello("main")));

        assertThat(custom.text()).isEqualTo("b");
        assertThat(normal.text()).isEqualTo("a");
    }

    @Test
    void givenMaxDepthOne_whenThePrimaryAndItsFallbackFail_thenTheFallbacksOwnFallbackIsNotTried() {
        FakeProvider second = FakeProvider.replying("second");
        router = virtual().retryPolicy(r -> r.numRetries(0))
                .deployment(fake("main", "main", FakeProvider.failingWith(503)))
                .deployment(fake("first", "first", FakeProvider.failingWith(503)))
                .deployment(fake("second", "second", second))
                .fallbackPolicy(f -> f.fallbacks("main", "first").fallbacks("first", "second").maxDepth(1))
                .build();

        Throwable failure = failureOf(router.completionAsync(hello("main")));

        assertThat(((LlmRouterException) failure).attempts()).extracting(Attempt::deploymentId)
                .containsExactly("main", "first");
        assertThat(second.callCount()).isZero();
        ChatResponse unlimited = await(router.completionAsync(hello("main"),
                RequestOptions.builder().fallbackPolicy(f -> f.maxDepth(2)).build()));
        assertThat(unlimited.text()).isEqualTo("second");
    }

    @Test
    void givenMaxDepthZero_whenThePrimaryFails_thenNoFallbackIsTried() {
        FakeProvider backup = FakeProvider.replying("backup");
        router = virtual().retryPolicy(r -> r.numRetries(0))
                .deployment(fake("main", "main", FakeProvider.failingWith(503)))
                .deployment(fake("backup", "backup", backup))
                .fallbackPolicy(f -> f.defaultFallbacks("backup").maxDepth(0))
                .build();

        failureOf(router.completionAsync(hello("main")));

        assertThat(backup.callCount()).isZero();
    }

    @Test
    void givenTheDefaultFailureRateThreshold_whenADeploymentFailsExactlyHalfItsCalls_thenItStaysInRotation() {
        // the default rule cools strictly above the threshold (LiteLLM's), and 1 of 2 is exactly 50 %
        assertThat(stateAfterOneSuccessAndOneFailure(CooldownPolicy.DEFAULT_FAILURE_RATE_THRESHOLD))
                .isEqualTo(DeploymentStatus.State.AVAILABLE);
    }

    @Test
    void givenAFailureRateThresholdBelowHalf_whenADeploymentFailsHalfItsCalls_thenItCoolsDown() {
        assertThat(stateAfterOneSuccessAndOneFailure(49)).isEqualTo(DeploymentStatus.State.COOLING_DOWN);
    }

    private DeploymentStatus.State stateAfterOneSuccessAndOneFailure(int threshold) {
        FakeProvider first = FakeProvider.builder().reply("ok").fail(500).reply("ok").build();
        router = virtual().retryPolicy(r -> r.numRetries(1))
                .cooldownPolicy(c -> c.failureRateThreshold(threshold))
                .deployment(Deployment.builder("g", "openai/g").id("first").order(1).provider(first).build())
                .deployment(Deployment.builder("g", "openai/g").id("second").order(2)
                        .provider(FakeProvider.replying("second")).build())
                .build();
        await(router.completionAsync(hello("g")));
        await(router.completionAsync(hello("g")));
        return router.deploymentStatuses().stream().filter(s -> s.deploymentId().equals("first")).findFirst()
                .orElseThrow().state();
    }

    @Test
    void givenTheBuildersLambdaForms_whenCalledTwice_thenTheSettingsAddUpWhileAPolicyObjectReplacesThem()
            throws Exception {
        Deployment d = fake("g", "only", FakeProvider.replying("ok"));
        router = Router.builder().deployment(d).retryPolicy(r -> r.numRetries(5))
                .retryPolicy(r -> r.maxRetryAfter(Duration.ofSeconds(9)))
                .timeouts(t -> t.callTimeout(Duration.ofSeconds(7))).timeouts(t -> t.deadline(Duration.ofSeconds(8)))
                .build();
        JsonNode added = new ObjectMapper().readTree(router.describe().toJson()).get("settings");
        router.close();
        router = Router.builder().deployment(d).retryPolicy(r -> r.numRetries(5))
                .retryPolicy(RetryPolicy.builder().maxRetryAfter(Duration.ofSeconds(9)).build()).build();
        JsonNode replaced = new ObjectMapper().readTree(router.describe().toJson()).get("settings");

        assertThat(added.get("num_retries").get("value").asText()).isEqualTo("5");
        assertThat(added.get("max_retry_after").get("value").asText()).isEqualTo("PT9S");
        assertThat(added.get("timeout").get("value").asText()).isEqualTo("PT7S");
        assertThat(added.get("deadline").get("value").asText()).isEqualTo("PT8S");
        assertThat(replaced.get("num_retries").get("value").asText()).isEqualTo("2");
        assertThat(replaced.get("max_retry_after").get("value").asText()).isEqualTo("PT9S");
    }

    @Test
    void givenAFallbackPolicyNamingAnUnknownGroup_whenBuilt_thenRejectedNamingIt() {
        Router.Builder builder = Router.builder().deployment(fake("g", "only", FakeProvider.replying("ok")))
                .fallbackPolicy(f -> f.fallbacks("g", "missing"));

        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'missing'");
    }

    @Test
    void givenARequestFallbackPolicyNamingAnUnknownGroup_whenCalled_thenBadRequestBeforeAnyCall() {
        FakeProvider provider = FakeProvider.replying("ok");
        router = virtual().deployment(fake("g", "only", provider)).build();

        Throwable failure = failureOf(router.completionAsync(hello("g"),
                RequestOptions.builder().fallbackPolicy(f -> f.defaultFallbacks("missing")).build()));

        assertThat(failure).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("'missing'");
        assertThat(provider.callCount()).isZero();
    }
}
