package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.testing.FakeProvider;
import io.llmrouter.testing.VirtualTime;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A call to one deployment by id ({@link RequestOptions.Builder#deployment(String)}): no selection, but retries, cooldown and cost. */
class DirectDeploymentCallTest {

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

    private static RequestOptions to(String id) {
        return RequestOptions.builder().deployment(id).build();
    }

    private ChatResponse await(CompletableFuture<ChatResponse> future) {
        time.advanceUntil(future::isDone, Duration.ofHours(1));
        return future.join();
    }

    @Test
    void givenTwoDeployments_whenTheRequestNamesOne_thenEveryCallGoesToItWithItsCost() {
        FakeProvider a = FakeProvider.replying("a");
        FakeProvider b = FakeProvider.replying("b");
        router = virtual()
                .deployment(Deployment.builder("gpt", "openai/gpt-4o").id("a").provider(a).build())
                .deployment(Deployment.builder("gpt", "openai/gpt-4o-mini").id("b").provider(b).build())
                .build();

        for (int i = 0; i < 10; i++) {
            ChatResponse r = await(router.completionAsync(ChatRequest.ofUser("gpt", "hi"), to("b")));
            assertThat(r.routing()).hasValueSatisfying(info -> assertThat(info.deploymentId()).isEqualTo("b"));
            assertThat(r.cost().isPriced()).isTrue();
        }

        assertThat(a.callCount()).isZero();
        assertThat(b.callCount()).isEqualTo(10);
    }

    @Test
    void givenAFailingDeployment_whenCalledById_thenRetriesStayOnItAndTheOtherIsNeverTried() {
        FakeProvider a = FakeProvider.builder().fail(500).fail(500).reply("a").build();
        FakeProvider b = FakeProvider.replying("b");
        router = virtual().retryPolicy(r -> r.numRetries(2))
                .deployment(Deployment.builder("gpt", "openai/gpt-4o").id("a").provider(a).build())
                .deployment(Deployment.builder("gpt", "openai/gpt-4o").id("b").provider(b).build())
                .build();

        ChatResponse r = await(router.completionAsync(ChatRequest.ofUser("gpt", "hi"), to("a")));

        assertThat(r.routing()).hasValueSatisfying(info -> assertThat(info.attempts()).hasSize(3));
        assertThat(a.callCount()).isEqualTo(3);
        assertThat(b.callCount()).isZero();
    }

    @Test
    void givenADeploymentCoolingDown_whenCalledById_thenItIsCalledAnyway() {
        FakeProvider a = FakeProvider.builder().fail(500).reply("a").build();
        FakeProvider b = FakeProvider.replying("b");
        router = virtual().retryPolicy(r -> r.numRetries(0))
                .cooldownPolicy(c -> c.allowedFails(0).cooldownTime(Duration.ofMinutes(1)))
                .deployment(Deployment.builder("gpt", "openai/gpt-4o").id("a").provider(a).build())
                .deployment(Deployment.builder("gpt", "openai/gpt-4o").id("b").provider(b).build())
                .build();
        CompletableFuture<ChatResponse> first = router.completionAsync(ChatRequest.ofUser("gpt", "hi"), to("a"));
        time.advanceUntil(first::isDone, Duration.ofMinutes(1));
        assertThat(first).isCompletedExceptionally();
        assertThat(router.deploymentStatuses()).filteredOn(s -> s.deploymentId().equals("a"))
                .singleElement().satisfies(s -> assertThat(s.coolingUntil()).isPresent());

        ChatResponse r = await(router.completionAsync(ChatRequest.ofUser("gpt", "hi"), to("a")));

        assertThat(r.routing()).hasValueSatisfying(info -> assertThat(info.deploymentId()).isEqualTo("a"));
        assertThat(a.callCount()).isEqualTo(2);
        assertThat(b.callCount()).isZero();
    }

    @Test
    void givenACachedAnswer_whenTheSameRequestNamesADeployment_thenThatDeploymentIsCalled() {
        FakeProvider a = FakeProvider.replying("a");
        router = virtual().cache(CachePolicy.builder().build())
                .deployment(Deployment.builder("gpt", "openai/gpt-4o").id("a").provider(a).build()).build();
        await(router.completionAsync(ChatRequest.ofUser("gpt", "hi")));

        ChatResponse pinned = await(router.completionAsync(ChatRequest.ofUser("gpt", "hi"), to("a")));

        assertThat(pinned.cache()).isEmpty();
        assertThat(a.callCount()).isEqualTo(2);
    }

    @Test
    void givenAnUnknownId_whenCalled_thenBadRequestBeforeAnyCall() {
        FakeProvider a = FakeProvider.replying("a");
        router = virtual().deployment(Deployment.builder("gpt", "openai/gpt-4o").id("a").provider(a).build()).build();

        assertThatThrownBy(() -> router.completion(ChatRequest.ofUser("gpt", "hi"), to("nope")))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("unknown deployment id 'nope'")
                .hasMessageContaining("[a]");
        assertThat(a.callCount()).isZero();
    }

    @Test
    void givenABlankId_whenBuildingOptions_thenIllegalArgument() {
        assertThatThrownBy(() -> RequestOptions.builder().deployment(" "))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
