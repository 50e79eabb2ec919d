package io.llmrouter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.retry.Retry;
import io.llmrouter.Deployment;
import io.llmrouter.RequestOptions;
import io.llmrouter.RetryPolicy;
import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.testing.FakeProvider;
import io.llmrouter.testing.VirtualTime;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Resilience4j's Retry runs a group's attempts with a bounded maxAttempts, reading each attempt's outcome. */
class RetryLoopTest {

    private final VirtualTime time = VirtualTime.create();
    private Router router;

    @AfterEach
    void close() {
        if (router != null) {
            router.close();
        }
    }

    @Test
    void givenTwoRetries_whenEveryAttemptFails_thenTheGroupsRetryIsBoundedAtThreeAttempts() {
        FakeProvider broken = FakeProvider.failingWith(500);
        router = routerWith(broken);

        CompletableFuture<ChatResponse> future = router.completionAsync(ChatRequest.ofUser("g", "hi"));
        time.advanceUntil(future::isDone, Duration.ofMinutes(1));

        assertThat(future).isCompletedExceptionally();
        assertThat(broken.callCount()).isEqualTo(1 + RetryPolicy.DEFAULT_NUM_RETRIES);
        Retry retry = Engines.of(router).group("g").retry(1 + RetryPolicy.DEFAULT_NUM_RETRIES);
        assertThat(retry.getRetryConfig().getMaxAttempts()).as("1 + the group's retries").isEqualTo(3);
        assertThat(retry.getMetrics().getNumberOfFailedCallsWithoutRetryAttempt())
                .as("failures reach the retry as results, not as exceptions").isZero();
    }

    @Test
    void givenRequestRetries_whenAnAttemptSucceedsAfterFailures_thenTheRequestsBoundRunsTheLoop() {
        FakeProvider flaky = FakeProvider.builder().fail(500).fail(500).fail(500).reply("ok").build();
        router = routerWith(flaky);

        CompletableFuture<ChatResponse> future = router.completionAsync(ChatRequest.ofUser("g", "hi"),
                RequestOptions.builder().retryPolicy(retryP -> retryP.numRetries(5)).build());
        time.advanceUntil(future::isDone, Duration.ofMinutes(1));

        assertThat(future.join().text()).isEqualTo("ok");
        Retry retry = Engines.of(router).group("g").retry(6);
        assertThat(retry.getMetrics().getNumberOfSuccessfulCallsWithRetryAttempt()).isEqualTo(1);
    }

    private Router routerWith(FakeProvider provider) {
        return Router.builder().clock(time.clock()).scheduler(time.scheduler()).random(new SplittableRandom(7))
                .deployment(Deployment.builder("g", "openai/gpt-4o").id("only").provider(provider).build())
                .build();
    }
}
