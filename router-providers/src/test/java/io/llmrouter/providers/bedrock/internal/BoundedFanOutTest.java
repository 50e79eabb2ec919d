package io.llmrouter.providers.bedrock.internal;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class BoundedFanOutTest {

    /** Calls completed by hand, recording when each was started. */
    private final List<CompletableFuture<String>> started = new ArrayList<>();

    private List<Supplier<CompletableFuture<String>>> calls(int n) {
        List<Supplier<CompletableFuture<String>>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            calls.add(() -> {
                CompletableFuture<String> f = new CompletableFuture<>();
                started.add(f);
                return f;
            });
        }
        return calls;
    }

    @Test
    void givenMoreCallsThanParallelism_whenRun_thenStartsTheNextOnlyWhenOneCompletesAndKeepsOrder() throws Exception {
        // when
        CompletableFuture<List<String>> result = BoundedFanOut.run(calls(3), 2);
        // then
        assertThat(started).hasSize(2);
        started.get(1).complete("b");
        assertThat(started).hasSize(3);
        started.get(2).complete("c");
        assertThat(result).isNotDone();
        started.get(0).complete("a");
        assertThat(result.get(5, SECONDS)).containsExactly("a", "b", "c");
    }

    @Test
    void givenAFailedCall_whenRun_thenFailsWithItCancelsTheOthersAndStartsNoMore() {
        // given
        CompletableFuture<List<String>> result = BoundedFanOut.run(calls(4), 2);
        // when
        IllegalStateException boom = new IllegalStateException("boom");
        started.get(0).completeExceptionally(boom);
        // then
        Throwable t = catchThrowable(() -> result.get(5, SECONDS));
        assertThat(t).isInstanceOf(ExecutionException.class).hasCause(boom);
        assertThat(started.get(1)).isCancelled();
        assertThat(started).hasSize(2);
    }

    @Test
    void givenTheResultCancelled_whenRun_thenCancelsTheCallsInFlight() {
        // given
        CompletableFuture<List<String>> result = BoundedFanOut.run(calls(2), 2);
        // when
        result.cancel(true);
        // then
        assertThat(started).allSatisfy(f -> assertThat(f).isCancelled());
    }

    @Test
    void givenNoCalls_whenRun_thenCompletesEmpty() throws Exception {
        assertThat(BoundedFanOut.run(List.<Supplier<CompletableFuture<String>>>of(), 4).get(5, SECONDS)).isEmpty();
    }
}
