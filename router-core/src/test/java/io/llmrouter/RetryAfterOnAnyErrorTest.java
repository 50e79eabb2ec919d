package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.testing.FakeProvider;
import io.llmrouter.testing.VirtualTime;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The router honours {@code LlmRouterException.retryAfter()} whatever the error type, not only for a 429. */
class RetryAfterOnAnyErrorTest {

    private final VirtualTime time = VirtualTime.create();

    @Test
    void givenA503WithRetryAfter_whenRetried_thenWaitsExactlyTheRetryAfterInVirtualTime() {
        // given: the only deployment answers 503 retry-after 3 s, then OK
        FakeProvider provider = FakeProvider.builder().fail(503, Duration.ofSeconds(3)).reply("ok").build();
        try (Router router = Router.builder().clock(time.clock()).scheduler(time.scheduler())
                .random(new SplittableRandom(7))
                .deployment(Deployment.builder("g", "openai/g").id("only").provider(provider).build()).build()) {
            // when
            CompletableFuture<ChatResponse> future = router.completionAsync(ChatRequest.ofUser("g", "hello"));
            // then: the retry waits the 3 s asked for, not the 500 ms default backoff
            time.advance(Duration.ofMillis(2999));
            assertThat(provider.callCount()).isEqualTo(1);
            time.advance(Duration.ofMillis(1));
            assertThat(provider.callCount()).isEqualTo(2);
            List<Attempt> attempts = future.join().routing().orElseThrow().attempts();
            assertThat(attempts.get(0).errorType()).contains("ServiceUnavailableException");
            assertThat(attempts.get(0).retryAfter()).contains(Duration.ofSeconds(3));
        }
    }
}
