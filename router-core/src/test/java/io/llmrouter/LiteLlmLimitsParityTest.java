package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.NoDeploymentAvailableException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.spi.ProviderOption;
import io.llmrouter.testing.FakeProvider;
import io.llmrouter.testing.VirtualTime;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, LiteLLM parity: the limits and errors rules of LiteLLM's router (rpm/tpm exhaustion,
 * the statuses of the router's own errors, default deployment ids), through the public API on
 * virtual time. One test per rule; src-docs/concepts.md lists them.
 */
class LiteLlmLimitsParityTest {

    /** A region option as a provider adapter declares one (Bedrock's is {@code bedrock.region}). */
    private static final ProviderOption<String> REGION = ProviderOption.of("test.region", String.class);

    private final VirtualTime time = VirtualTime.create();
    private Router router;

    @AfterEach
    void close() {
        if (router != null) {
            router.close();
        }
    }

    private Router.Builder virtual() {
        return Router.builder().clock(time.clock()).scheduler(time.scheduler()).random(new SplittableRandom(18))
                .retryPolicy(r -> r.numRetries(0).backoff(Duration.ZERO, Duration.ZERO));
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

    private static Deployment.Builder limited(String id, FakeProvider provider) {
        return Deployment.builder("g", "openai/g").id(id).provider(provider).rpm(1);
    }

    // ---- Every deployment over its rpm/tpm limit: a 429 RateLimitException ----

    @Test
    void givenEveryDeploymentOverItsRpmLimit_whenARequestComes_thenItIsARateLimit429WithTheTimeUntilTheWindowFrees() {
        // given: two deployments of 1 rpm each, both used up 20 s into the minute
        router = virtual().deployment(limited("a", FakeProvider.replying("a")).build())
                .deployment(limited("b", FakeProvider.replying("b")).build()).build();
        time.advance(Duration.ofSeconds(20));
        await(router.completionAsync(hello("g")));
        await(router.completionAsync(hello("g")));
        // when
        Throwable failure = failureOf(router.completionAsync(hello("g")));
        // then
        assertThat(failure).isInstanceOf(RateLimitException.class)
                .hasMessageContaining("over its rpm/tpm limit");
        RateLimitException e = (RateLimitException) failure;
        assertThat(e.statusCode()).hasValue(429);
        assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(40));
        assertThat(e.isRetryable()).isTrue();
        time.advance(Duration.ofSeconds(40));
        assertThat(await(router.completionAsync(hello("g"))).text()).isIn("a", "b");
    }

    @Test
    void givenTheOnlyDeploymentCoolingDown_whenARequestComes_thenItIsNoDeploymentAvailableWithItsRecoveryTime() {
        // given: a 401 cools even a lone deployment
        router = virtual().cooldownPolicy(c -> c.cooldownTime(Duration.ofSeconds(30)))
                .deployment(Deployment.builder("g", "openai/g").id("only").provider(FakeProvider.failingWith(401)).build())
                .build();
        failureOf(router.completionAsync(hello("g")));
        // when
        Throwable failure = failureOf(router.completionAsync(hello("g")));
        // then
        assertThat(failure).isInstanceOf(NoDeploymentAvailableException.class);
        NoDeploymentAvailableException e = (NoDeploymentAvailableException) failure;
        assertThat(e.retryAt()).isPresent();
        assertThat(e.retryAt().get()).isAfter(time.now());
        assertThat(e.statusCode()).isEmpty();
    }

    @Test
    void givenOneDeploymentCoolingAndTheOtherOverItsLimit_whenARequestComes_thenItIsNoDeploymentAvailableAtTheEarliestRecovery() {
        // given: 'limited' (1 rpm) is used up; 'broken' (tried only when 'limited' is not available) cools on its 401
        router = virtual().cooldownPolicy(c -> c.cooldownTime(Duration.ofSeconds(90)))
                .deployment(limited("limited", FakeProvider.replying("ok")).build())
                .deployment(Deployment.builder("g", "openai/g").id("broken").order(1)
                        .provider(FakeProvider.failingWith(401)).build())
                .build();
        await(router.completionAsync(hello("g")));
        failureOf(router.completionAsync(hello("g")));
        // when
        Throwable failure = failureOf(router.completionAsync(hello("g")));
        // then: not a rate limit (a deployment is broken, not busy); capacity returns with the next minute
        assertThat(failure).isExactlyInstanceOf(NoDeploymentAvailableException.class)
                .hasMessageContaining("cooling down").hasMessageContaining("rpm/tpm");
        assertThat(((NoDeploymentAvailableException) failure).retryAt())
                .hasValue(VirtualTime.DEFAULT_START.plus(Duration.ofMinutes(1)));
    }

    // ---- Statuses of the router's own errors ----

    @Test
    void givenAClientSideTimeout_whenTheCallTakesTooLong_thenTheErrorCarriesStatus408() {
        router = virtual().timeouts(t -> t.callTimeout(Duration.ofSeconds(2)))
                .deployment(Deployment.builder("g", "openai/g").provider(FakeProvider.builder().hang().build()).build())
                .build();

        Throwable failure = failureOf(router.completionAsync(hello("g")));

        assertThat(failure).isInstanceOf(RequestTimeoutException.class);
        assertThat(((LlmRouterException) failure).statusCode()).hasValue(408);
    }

    @Test
    void givenAnInvalidRequest_whenItIsSent_thenTheValidationErrorCarriesStatus400() {
        router = virtual().deployment(Deployment.builder("g", "openai/g").provider(FakeProvider.replying("x")).build())
                .build();

        Throwable unknownGroup = failureOf(router.completionAsync(hello("nope")));
        Throwable noMessages = failureOf(router.completionAsync(ChatRequest.builder("g").messages(List.of()).build()));

        assertThat(unknownGroup).isInstanceOf(BadRequestException.class);
        assertThat(((LlmRouterException) unknownGroup).statusCode()).hasValue(400);
        assertThat(noMessages).isInstanceOf(BadRequestException.class);
        assertThat(((LlmRouterException) noMessages).statusCode()).hasValue(400);
    }

    // ---- Default deployment ids ----

    @Test
    void givenDeploymentsOfOneRouteThatDifferInApiBaseRegionOrLimits_whenBuilt_thenTheyGetDistinctStableDefaultIds() {
        // given: the same model in two regions (api base), a region option, and a limit; no ids set
        List<Deployment> deployments = List.of(
                Deployment.builder("gpt-4o", "azure/gpt-4o").apiBase("https://eastus.example.com")
                        .apiKey(Secret.of("key-east")).provider(FakeProvider.replying("e")).build(),
                Deployment.builder("gpt-4o", "azure/gpt-4o").apiBase("https://westeu.example.com")
                        .apiKey(Secret.of("key-west")).provider(FakeProvider.replying("w")).build(),
                Deployment.builder("gpt-4o", "azure/gpt-4o").apiBase("https://westeu.example.com")
                        .option(REGION, "eu-central-1").provider(FakeProvider.replying("r")).build(),
                Deployment.builder("gpt-4o", "azure/gpt-4o").apiBase("https://westeu.example.com").rpm(100)
                        .provider(FakeProvider.replying("l")).build());
        // when
        router = virtual().deployments(deployments).build();
        List<String> ids = router.deployments().stream().map(Deployment::id).toList();
        List<String> again;
        try (Router second = virtual().deployments(deployments).build()) {
            again = second.deployments().stream().map(Deployment::id).toList();
        }
        // then: route + '@' + a hash of the settings, the same in every build, never of the key
        assertThat(ids).doesNotHaveDuplicates().allMatch(id -> id.matches("azure/gpt-4o@[0-9a-f]{8}"));
        assertThat(again).isEqualTo(ids);
        assertThat(router.describe().toJson()).contains(ids);
        List<String> rekeyed;
        try (Router third = virtual().deployments(List.of(deployments.get(0).toBuilder()
                .apiKey(Secret.of("another-key")).build(), deployments.get(1))).build()) {
            rekeyed = third.deployments().stream().map(Deployment::id).toList();
        }
        assertThat(rekeyed).containsExactly(ids.get(0), ids.get(1));
    }

    @Test
    void givenRepeatsWithTheSameSettingsOrExplicitIds_whenBuilt_thenRepeatsAreNumberedExplicitIdsWinAndDuplicatesFail() {
        Deployment plain = Deployment.builder("g", "openai/m").provider(FakeProvider.replying("1")).build();
        router = virtual().deployment(plain).deployment(plain.toBuilder().apiKey(Secret.of("k2")).build())
                .deployment(plain.toBuilder().id("mine").apiBase("https://other.example.com").build()).build();

        assertThat(router.deployments()).extracting(Deployment::id).containsExactly("openai/m", "openai/m#2", "mine");
        assertThatThrownBy(() -> virtual().deployment(plain.toBuilder().id("x").build())
                .deployment(plain.toBuilder().id("x").rpm(5).build()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("duplicate deployment id 'x'");
    }

    @Test
    void givenOneDeploymentWithoutId_whenBuilt_thenItsIdIsItsRoute() {
        router = virtual().deployment(Deployment.builder("g", "openai/m").rpm(10).provider(FakeProvider.replying("1"))
                .build()).build();

        assertThat(router.deployments()).extracting(Deployment::id).containsExactly("openai/m");
    }
}
