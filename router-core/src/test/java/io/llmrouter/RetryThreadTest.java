package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Choice;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.ProviderServerException;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderCall;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where a retry runs: one with no wait (another healthy deployment takes it) starts at once on the
 * thread that saw the failure, so a blocking {@code completion()} makes it with the provider's
 * synchronous call on the caller's thread, like its first attempt; one that waits runs after the
 * wait on the router's scheduler, with the asynchronous call.
 */
class RetryThreadTest {

    private Router router;

    @AfterEach
    void close() {
        if (router != null) {
            router.close();
        }
    }

    /** How one call reached a provider: through which method, on which thread. */
    record Reached(String deploymentId, String method, Thread thread) {
    }

    /** A provider with its own synchronous call that records each call; fails every call with a 500 when {@code fails}. */
    static final class Recording implements Provider {
        final List<Reached> calls;
        private final boolean fails;

        Recording(List<Reached> calls, boolean fails) {
            this.calls = calls;
            this.fails = fails;
        }

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public CompletableFuture<ChatResponse> completeAsync(ProviderCall call) {
            calls.add(new Reached(call.endpoint().deploymentId(), "completeAsync", Thread.currentThread()));
            try {
                return CompletableFuture.completedFuture(answer(call));
            } catch (LlmRouterException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public ChatResponse complete(ProviderCall call) {
            calls.add(new Reached(call.endpoint().deploymentId(), "complete", Thread.currentThread()));
            return answer(call);
        }

        private ChatResponse answer(ProviderCall call) {
            if (fails) {
                throw new ProviderServerException(call.endpoint().deploymentId() + ": 500", ErrorContext.builder()
                        .provider("recording").deploymentId(call.endpoint().deploymentId()).statusCode(500).build());
            }
            return ChatResponse.builder().id("r").model("m")
                    .addChoice(Choice.of(0, Message.assistant("from " + call.endpoint().deploymentId()), FinishReason.STOP))
                    .build();
        }
    }

    @Test
    void givenAnotherHealthyDeployment_whenTheFirstFails_thenTheRetryIsASynchronousCallOnTheCallersThread() {
        List<Reached> calls = new CopyOnWriteArrayList<>();
        router = Router.builder()
                .deployment(Deployment.builder("gpt", "openai/gpt-4o").id("first").order(1)
                        .provider(new Recording(calls, true)).build())
                .deployment(Deployment.builder("gpt", "openai/gpt-4o").id("second").order(2)
                        .provider(new Recording(calls, false)).build())
                .retryPolicy(r -> r.numRetries(1))
                .build();

        ChatResponse response = router.completion(ChatRequest.ofUser("gpt", "hi"));

        assertThat(response.text()).isEqualTo("from second");
        Thread caller = Thread.currentThread();
        assertThat(calls).containsExactly(new Reached("first", "complete", caller),
                new Reached("second", "complete", caller));
    }

    @Test
    void givenNoOtherDeployment_whenTheRetryWaits_thenItRunsAsynchronouslyOnTheScheduler() {
        List<Reached> calls = new CopyOnWriteArrayList<>();
        Recording flaky = new Recording(calls, true);
        router = Router.builder()
                .deployment(Deployment.builder("gpt", "openai/gpt-4o").id("only").provider(flaky)
                        .cooldownTime(Duration.ZERO).build())
                .retryPolicy(r -> r.numRetries(1).backoff(Duration.ofMillis(1), Duration.ofMillis(1)))
                .build();

        try {
            router.completion(ChatRequest.ofUser("gpt", "hi"));
        } catch (ProviderServerException expected) {
            // both attempts fail; what matters is where each ran
        }

        assertThat(calls).hasSize(2);
        assertThat(calls.get(0)).isEqualTo(new Reached("only", "complete", Thread.currentThread()));
        assertThat(calls.get(1).method()).isEqualTo("completeAsync");
        assertThat(calls.get(1).thread()).isNotSameAs(Thread.currentThread());
    }

    @Test
    void givenAHundredRetriesWithoutWait_whenEveryAttemptFails_thenAllAreMadeWithABoundedNestingOnTheCaller() {
        List<Reached> calls = new CopyOnWriteArrayList<>();
        router = Router.builder()
                .deployment(Deployment.builder("gpt", "openai/gpt-4o").id("only").provider(new Recording(calls, true))
                        .cooldownTime(Duration.ZERO).build())
                .retryPolicy(r -> r.numRetries(100).backoff(Duration.ZERO, Duration.ZERO))
                .build();

        try {
            router.completion(ChatRequest.ofUser("gpt", "hi"));
        } catch (ProviderServerException expected) {
            // every attempt fails; what matters is that all were made, and where
        }

        assertThat(calls).hasSize(101);
        // the first attempt and 16 retries nested on the caller's thread; the 17th retry went through
        // the scheduler, which started a fresh stack
        Thread caller = Thread.currentThread();
        assertThat(calls.stream().filter(c -> c.thread() == caller).count()).isEqualTo(17);
        assertThat(calls.get(17).thread()).isNotSameAs(caller);
    }
}
