package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.RoutingInfo;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.testing.FakeProvider;
import io.llmrouter.testing.VirtualTime;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Wildcard routes ({@code openai/*}, {@code *}): any model name of a provider, forwarded as requested. */
class WildcardRoutesTest {

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

    private ChatResponse call(String model) {
        CompletableFuture<ChatResponse> f = router.completionAsync(ChatRequest.ofUser(model, "hello"));
        time.advanceUntil(f::isDone, Duration.ofHours(1));
        return f.join();
    }

    private static RoutingInfo routing(ChatResponse r) {
        return r.routing().orElseThrow();
    }

    @Test
    void givenAnOpenAiWildcard_whenAnyOpenAiModelIsRequested_thenTheRequestedModelIsForwardedAndPriced() {
        FakeProvider openai = FakeProvider.replying("ok");
        router = virtual().deployment(Deployment.builder("openai/*", "openai/*").provider(openai).build()).build();

        ChatResponse mini = call("openai/gpt-4o-mini");
        ChatResponse full = call("openai/gpt-4o");

        assertThat(openai.calls()).extracting(c -> c.providerRoute())
                .containsExactly("openai/gpt-4o-mini", "openai/gpt-4o");
        assertThat(routing(mini).providerRoute()).isEqualTo("openai/gpt-4o-mini");
        assertThat(routing(mini).modelGroup()).isEqualTo("openai/gpt-4o-mini");
        assertThat(mini.cost().isPriced()).isTrue();
        assertThat(full.cost().isPriced()).isTrue();
        // gpt-4o costs more per token than gpt-4o-mini: each model's own price is used
        assertThat(full.cost().outputUsd()).isGreaterThan(mini.cost().outputUsd());
    }

    @Test
    void givenAnOpenAiWildcard_whenABareOpenAiModelNameIsRequested_thenItsProviderIsInferredFromThePriceTable() {
        FakeProvider openai = FakeProvider.replying("ok");
        router = virtual().deployment(Deployment.builder("openai/*", "openai/*").provider(openai).build()).build();

        ChatResponse r = call("gpt-4o-mini");

        assertThat(openai.calls()).extracting(c -> c.providerRoute()).containsExactly("openai/gpt-4o-mini");
        assertThat(routing(r).modelGroup()).isEqualTo("gpt-4o-mini");
        assertThat(r.cost().isPriced()).isTrue();
        assertThatThrownBy(() -> router.completion(ChatRequest.ofUser("claude-3-5-sonnet-20240620", "hi")))
                .isInstanceOf(BadRequestException.class);
    }

    @Test
    void givenAnExplicitGroupAndACatchAll_whenItsNameIsRequested_thenTheExplicitGroupWins() {
        FakeProvider explicit = FakeProvider.replying("explicit");
        FakeProvider any = FakeProvider.replying("any");
        router = virtual()
                .deployment(Deployment.builder("*", "openai/*").provider(any).build())
                .deployment(Deployment.builder("gpt-4o", "azure/my-gpt-4o").provider(explicit).build())
                .build();

        call("gpt-4o");
        call("gpt-4o-mini");

        assertThat(explicit.calls()).extracting(c -> c.providerRoute()).containsExactly("azure/my-gpt-4o");
        assertThat(any.calls()).extracting(c -> c.providerRoute()).containsExactly("openai/gpt-4o-mini");
    }

    @Test
    void givenAProviderWildcardAndACatchAll_whenAProviderModelIsRequested_thenTheMostSpecificWildcardServesIt() {
        FakeProvider anthropic = FakeProvider.replying("anthropic");
        FakeProvider catchAll = FakeProvider.replying("catch-all");
        router = virtual()
                .deployment(Deployment.builder("*", "openai/*").provider(catchAll).build())
                .deployment(Deployment.builder("anthropic/*", "anthropic/*").provider(anthropic).build())
                .build();

        call("anthropic/claude-3-5-sonnet-20240620");
        call("gpt-4o");

        assertThat(anthropic.calls()).extracting(c -> c.providerRoute())
                .containsExactly("anthropic/claude-3-5-sonnet-20240620");
        assertThat(catchAll.calls()).extracting(c -> c.providerRoute()).containsExactly("openai/gpt-4o");
    }

    @Test
    void givenAWildcardModel_whenItFailsAndIsRequestedAgain_thenItsHealthIsKeptPerModel() {
        FakeProvider openai = FakeProvider.builder().fail(500).reply("ok").reply("ok").build();
        router = virtual().retryPolicy(r -> r.numRetries(0))
                .cooldownPolicy(c -> c.allowedFails(0).cooldownTime(Duration.ofMinutes(1)))
                .deployment(Deployment.builder("openai/*", "openai/*").provider(openai).build()).build();
        CompletableFuture<ChatResponse> first = router.completionAsync(ChatRequest.ofUser("openai/gpt-4o", "hi"));
        time.advanceUntil(first::isDone, Duration.ofSeconds(1));
        assertThat(first).isCompletedExceptionally();

        // gpt-4o's deployment cools down; another model of the same wildcard is unaffected
        CompletableFuture<ChatResponse> again = router.completionAsync(ChatRequest.ofUser("openai/gpt-4o", "hi"));
        time.advanceUntil(again::isDone, Duration.ofSeconds(1));
        assertThat(again).isCompletedExceptionally();
        assertThat(call("openai/gpt-4o-mini").routing().orElseThrow().deploymentId())
                .isEqualTo("openai/*[openai/gpt-4o-mini]");
        assertThat(openai.callCount()).isEqualTo(2);
    }

    @Test
    void givenOnlyAProviderWildcard_whenAnotherProvidersModelIsRequested_thenUnknownGroupBeforeAnyCall() {
        FakeProvider openai = FakeProvider.replying("ok");
        router = virtual().deployment(Deployment.builder("openai/*", "openai/*").provider(openai).build()).build();

        assertThatThrownBy(() -> router.completion(ChatRequest.ofUser("anthropic/claude-3-opus", "hi")))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("unknown model group 'anthropic/claude-3-opus'");
        assertThat(openai.callCount()).isZero();
    }

    @Test
    void givenDefaultFallbacks_whenAModelNoWildcardMatchesIsRequested_thenItStillFallsBack() {
        FakeProvider openai = FakeProvider.replying("openai");
        FakeProvider backup = FakeProvider.replying("backup");
        router = virtual()
                .deployment(Deployment.builder("openai/*", "openai/*").provider(openai).build())
                .deployment(Deployment.builder("backup", "openai/gpt-4o-mini").provider(backup).build())
                .fallbackPolicy(f -> f.defaultFallbacks("backup"))
                .build();

        ChatResponse r = call("mistral/mistral-large");

        assertThat(routing(r).modelGroup()).isEqualTo("backup");
        assertThat(openai.callCount()).isZero();
    }
}
