package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.api.RouterRequest;
import io.llmrouter.api.RouterResponse;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.BudgetExceededException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.StreamInterruptedException;
import io.llmrouter.budget.Budget;
import io.llmrouter.budget.BudgetPeriod;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.RouterCall;
import io.llmrouter.spi.RouterListener;
import io.llmrouter.testing.FakeProvider;
import io.llmrouter.testing.VirtualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The call-scoped listener events: their order, their call, and the MDC around them. */
class RouterCallEventsTest {

    private static final ModelPrice PRICE = ModelPrice.builder().inputPerMillion("1").outputPerMillion("2").build();

    private final VirtualTime time = VirtualTime.create();
    private final Recorder events = new Recorder();

    /** Records each call-scoped event as a line, and checks that every event of a call gets the same call. */
    static final class Recorder implements RouterListener {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final List<RouterCall> calls = new CopyOnWriteArrayList<>();
        final List<String> mdcIds = new CopyOnWriteArrayList<>();

        private void add(RouterCall call, String line) {
            if (!calls.contains(call)) {
                calls.add(call);
            }
            lines.add(line);
            mdcIds.add(String.valueOf(MDC.get("llmrouter.request_id")));
        }

        @Override
        public void onRequestStart(RouterCall call) {
            add(call, "start " + call.kind() + " " + call.modelGroup());
        }

        @Override
        public void onAttemptStart(RouterCall call, String deploymentId, String modelGroup, String providerRoute,
                int attemptNumber) {
            add(call, "attempt-start #" + attemptNumber + " " + deploymentId + " " + modelGroup + " " + providerRoute);
        }

        @Override
        public void onAttempt(RouterCall call, int attemptNumber, Attempt attempt) {
            add(call, "attempt-end #" + attemptNumber + " " + attempt.deploymentId() + " "
                    + (attempt.isSuccess() ? "ok" : attempt.errorType().orElse("?")));
        }

        @Override
        public void onRetry(RouterCall call, String modelGroup, int retryNumber, Duration delay,
                LlmRouterException cause) {
            add(call, "retry " + modelGroup + " #" + retryNumber);
        }

        @Override
        public void onFallback(RouterCall call, String fromGroup, String toGroup, LlmRouterException cause) {
            add(call, "fallback " + fromGroup + " -> " + toGroup);
        }

        @Override
        public void onCooldownStart(RouterCall call, String deploymentId, String modelGroup, Instant until,
                LlmRouterException cause) {
            add(call, "cooldown " + deploymentId);
        }

        @Override
        public void onFirstToken(RouterCall call, String deploymentId, Duration timeToFirstToken) {
            add(call, "first-token " + deploymentId + " " + timeToFirstToken.toMillis() + "ms");
        }

        @Override
        public void onStreamEnd(RouterCall call, String deploymentId, int chunks, Duration duration) {
            add(call, "stream-end " + deploymentId + " " + chunks + " chunks " + duration.toMillis() + "ms");
        }

        @Override
        public void onBudgetExceeded(RouterCall call, BudgetExceededException refusal) {
            add(call, "budget-exceeded");
        }

        @Override
        public void onCharge(RouterCall call, RouterResponse response) {
            add(call, "charge");
        }

        @Override
        public void onSuccess(RouterCall call, RouterResponse response) {
            add(call, "success");
        }

        @Override
        public void onFailure(RouterCall call, LlmRouterException error) {
            add(call, "failure " + error.getClass().getSimpleName());
        }
    }

    private Router.Builder router() {
        return Router.builder().clock(time.clock()).scheduler(time.scheduler()).listener(events)
                .strategy((context, candidates) -> candidates.get(0))
                .retryPolicy(r -> r.backoff(Duration.ZERO, Duration.ZERO));
    }

    private static Deployment priced(String group, String id, Provider provider) {
        return Deployment.builder(group, "openai/m").id(id).price(PRICE).provider(provider).build();
    }

    private <T> T await(CompletableFuture<T> f) {
        time.advanceUntil(f::isDone, Duration.ofHours(1));
        return f.join();
    }

    @Test
    void givenAnAnswer_whenCompletion_thenOneCallSeesStartAttemptChargeAndSuccessInOrder() {
        try (Router r = router().deployment(priced("g", "d1", FakeProvider.replying("hi"))).build()) {
            r.completion(ChatRequest.ofUser("g", "hello"));
        }
        assertThat(events.lines).containsExactly("start CHAT g", "attempt-start #1 d1 g openai/m",
                "attempt-end #1 d1 ok", "charge", "success");
        assertThat(events.calls).hasSize(1);
        assertThat(events.calls.get(0).id()).matches("[0-9a-f]{16}");
    }

    @Test
    void givenAFailingFirstDeployment_whenCompletionAsync_thenItCoolsAndTheRetryNumbersTheAttemptsOverTheCall() {
        FakeProvider failing = FakeProvider.failingWith(500);
        try (Router r = router().deployment(priced("g", "d1", failing)).deployment(priced("g", "d2",
                FakeProvider.replying("hi"))).build()) {
            await(r.completionAsync(ChatRequest.ofUser("g", "hello")));
        }
        assertThat(events.lines).containsExactly("start CHAT g", "attempt-start #1 d1 g openai/m",
                "cooldown d1", "attempt-end #1 d1 ProviderServerException", "retry g #1", "attempt-start #2 d2 g openai/m",
                "attempt-end #2 d2 ok", "charge", "success");
    }

    @Test
    void givenAGroupThatFails_whenCompletion_thenTheFallbackGroupsAttemptKeepsCounting() {
        try (Router r = router().retryPolicy(p -> p.numRetries(0))
                .deployment(priced("g", "d1", FakeProvider.failingWith(429)))
                .deployment(priced("h", "d2", FakeProvider.replying("hi")))
                .fallbackPolicy(f -> f.fallbacks("g", "h")).build()) {
            r.completion(ChatRequest.ofUser("g", "hello"));
        }
        // (a group's only deployment is not cooled, as in LiteLLM)
        assertThat(events.lines).containsExactly("start CHAT g", "attempt-start #1 d1 g openai/m",
                "attempt-end #1 d1 RateLimitException", "fallback g -> h",
                "attempt-start #2 d2 h openai/m", "attempt-end #2 d2 ok", "charge", "success");
    }

    @Test
    void givenAStream_whenStreamed_thenFirstTokenAndStreamEndComeBeforeTheAttemptEnds() {
        FakeProvider stream = FakeProvider.builder().scheduler(time.scheduler()).delay(Duration.ofMillis(30))
                .chunkDelay(Duration.ofMillis(10)).stream("a", "b", "c").build();
        try (Router r = router().deployment(priced("g", "d1", stream)).build()) {
            await(r.streamAsync(ChatRequest.ofUser("g", "hello"), c -> { }));
        }
        assertThat(events.lines).first().isEqualTo("start CHAT_STREAM g");
        assertThat(events.lines).containsSubsequence("attempt-start #1 d1 g openai/m", "first-token d1 30ms",
                "attempt-end #1 d1 ok", "success");
        assertThat(events.lines.stream().filter(l -> l.startsWith("stream-end"))).singleElement()
                .asString().startsWith("stream-end d1 ");
        assertThat(events.lines.indexOf(events.lines.stream().filter(l -> l.startsWith("stream-end")).findFirst()
                .orElseThrow())).isLessThan(events.lines.indexOf("attempt-end #1 d1 ok"));
    }

    @Test
    void givenAStreamCutAfterItsFirstChunk_whenStreamed_thenStreamEndThenFailure() {
        FakeProvider cut = FakeProvider.builder().scheduler(time.scheduler()).streamCut(2, "a", "b", "c").build();
        CompletableFuture<ChatResponse> f;
        try (Router r = router().deployment(priced("g", "d1", cut)).build()) {
            f = r.streamAsync(ChatRequest.ofUser("g", "hello"), c -> { });
            time.advanceUntil(f::isDone, Duration.ofHours(1));
        }
        assertThat(f).isCompletedExceptionally();
        assertThat(events.lines).containsSubsequence("first-token d1 0ms", "stream-end d1 2 chunks 0ms",
                "attempt-end #1 d1 StreamInterruptedException", "failure StreamInterruptedException");
        assertThat(f.handle((x, e) -> e).join()).isInstanceOf(StreamInterruptedException.class);
    }

    @Test
    void givenAUserOverBudget_whenCompletion_thenBudgetExceededThenFailureWithoutAttempt() {
        try (Router r = router().deployment(priced("g", "d1", FakeProvider.replying("hi")))
                .budget(Budget.forUser("alice").limitUsd("0.000001").period(BudgetPeriod.DAILY).build()).build()) {
            ChatRequest request = ChatRequest.builder("g").addMessage(Message.user("hello")).user("alice")
                    .maxTokens(1_000).build();
            assertThatThrownBy(() -> r.completion(request)).isInstanceOf(BudgetExceededException.class);
        }
        assertThat(events.lines).containsExactly("start CHAT g", "budget-exceeded", "failure BudgetExceededException");
    }

    @Test
    void givenAnUnknownGroup_whenCompletion_thenStartAndFailureOnTheCallersThread() {
        try (Router r = router().deployment(priced("g", "d1", FakeProvider.replying("hi"))).build()) {
            assertThatThrownBy(() -> r.completion(ChatRequest.ofUser("nope", "hello")))
                    .isInstanceOf(BadRequestException.class);
        }
        assertThat(events.lines).containsExactly("start CHAT nope", "failure BadRequestException");
    }

    @Test
    void givenAListenerOfTheRequestOnlyEvents_whenCalled_thenTheCallEventsReachIt() {
        List<String> old = new CopyOnWriteArrayList<>();
        RouterListener requestOnly = new RouterListener() {
            @Override
            public void onAttempt(RouterRequest request, Attempt attempt) {
                old.add("attempt " + request.model() + " " + attempt.deploymentId());
            }

            @Override
            public void onSuccess(RouterRequest request, RouterResponse response) {
                old.add("success " + request.model());
            }
        };
        try (Router r = router().listener(requestOnly).deployment(priced("g", "d1", FakeProvider.replying("hi")))
                .build()) {
            r.completion(ChatRequest.ofUser("g", "hello"));
        }
        assertThat(old).containsExactly("attempt g d1", "success g");
    }

    @Test
    void givenACallersMdc_whenCompletion_thenTheProviderAndListenersSeeTheCallAndTheCallersValuesComeBack() {
        Map<String, String> seenByProvider = new java.util.concurrent.ConcurrentHashMap<>();
        Provider recording = new Provider() {
            @Override
            public String name() {
                return "recording";
            }

            @Override
            public CompletableFuture<ChatResponse> completeAsync(ProviderCall call) {
                seenByProvider.putAll(MDC.getCopyOfContextMap());
                return FakeProvider.replying("hi").completeAsync(call);
            }
        };
        MDC.put("llmrouter.model_group", "the caller's");
        try (Router r = router().deployment(priced("g", "d1", recording)).build()) {
            r.completion(ChatRequest.ofUser("g", "hello"));
            String id = events.calls.get(0).id();
            assertThat(seenByProvider).containsEntry("llmrouter.request_id", id)
                    .containsEntry("llmrouter.model_group", "g").containsEntry("llmrouter.deployment", "d1");
            assertThat(events.mdcIds).containsOnly(id);
            assertThat(MDC.get("llmrouter.model_group")).isEqualTo("the caller's");
            assertThat(MDC.get("llmrouter.request_id")).isNull();
            assertThat(MDC.get("llmrouter.deployment")).isNull();
        } finally {
            MDC.clear();
        }
    }

    @Test
    void givenNoListener_whenCompletion_thenTheProviderStillSeesTheMdc() {
        Map<String, String> seen = new java.util.concurrent.ConcurrentHashMap<>();
        Provider recording = new Provider() {
            @Override
            public String name() {
                return "recording";
            }

            @Override
            public CompletableFuture<ChatResponse> completeAsync(ProviderCall call) {
                seen.putAll(MDC.getCopyOfContextMap());
                return FakeProvider.replying("hi").completeAsync(call);
            }
        };
        try (Router r = Router.builder().deployment(priced("g", "d1", recording)).build()) {
            r.completion(ChatRequest.ofUser("g", "hello"));
        }
        assertThat(seen.get("llmrouter.request_id")).matches("[0-9a-f]{16}");
        assertThat(MDC.get("llmrouter.request_id")).isNull();
    }

}
