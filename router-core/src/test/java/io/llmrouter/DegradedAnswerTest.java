package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.api.RouterResponse;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Choice;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.RoutingInfo;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.ProviderServerException;
import io.llmrouter.api.exception.StreamInterruptedException;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.spi.RouterCall;
import io.llmrouter.spi.RouterListener;
import io.llmrouter.testing.FakeProvider;
import io.llmrouter.testing.VirtualTime;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Router.Builder#degradedAnswer}: the model group's answer of last resort. */
class DegradedAnswerTest {

    private final VirtualTime time = VirtualTime.create();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private Router router;

    @AfterEach
    void close() {
        if (router != null) {
            router.close();
        }
    }

    /** Records the call-ending events and the degraded answers. */
    private final RouterListener recorder = new RouterListener() {
        @Override
        public void onDegradedAnswer(RouterCall call, RouterResponse response, LlmRouterException failure) {
            events.add("degraded:" + failure.getClass().getSimpleName());
        }

        @Override
        public void onSuccess(RouterCall call, RouterResponse response) {
            events.add("success");
        }

        @Override
        public void onFailure(RouterCall call, LlmRouterException error) {
            events.add("failure:" + error.getClass().getSimpleName());
        }

        @Override
        public void onCharge(RouterCall call, RouterResponse response) {
            events.add("charge");
        }
    };

    private Router.Builder virtual() {
        return Router.builder().clock(time.clock()).scheduler(time.scheduler()).random(new SplittableRandom(7))
                .retryPolicy(r -> r.numRetries(0)).listener(recorder);
    }

    private static Deployment deployment(String group, String id, FakeProvider provider) {
        return Deployment.builder(group, "openai/gpt-4o").id(id).provider(provider)
                .price(ModelPrice.builder().inputPerMillion("1").outputPerMillion("1").build()).build();
    }

    private static ChatRequest hello() {
        return ChatRequest.ofUser("g", "hello");
    }

    @Test
    void givenEveryDeploymentDown_whenCompletion_thenTheFixedDegradedAnswerMarkedDegradedAndNotCharged() {
        router = virtual().deployment(deployment("g", "a", FakeProvider.failingWith(503)))
                .degradedAnswer("g", "We are busy; please try again soon.").build();

        ChatResponse response = router.completion(hello());

        assertThat(response.text()).isEqualTo("We are busy; please try again soon.");
        assertThat(response.model()).isEqualTo("g");
        RoutingInfo routing = response.routing().orElseThrow();
        assertThat(routing.isDegraded()).isTrue();
        assertThat(routing.deploymentId()).isEqualTo(RoutingInfo.DEGRADED);
        assertThat(routing.modelGroup()).isEqualTo("g");
        assertThat(routing.attempts()).extracting(Attempt::deploymentId).containsExactly("a");
        assertThat(routing.attempts()).allSatisfy(a -> assertThat(a.isSuccess()).isFalse());
        assertThat(response.cost().totalUsd()).hasValueSatisfying(c -> assertThat(c).isZero());
        assertThat(router.spend().total()).isZero();
        assertThat(events).containsExactly("degraded:ServiceUnavailableException", "success");
    }

    @Test
    void givenAFunction_whenAsyncCompletionFails_thenItAnswersFromTheRequest() throws Exception {
        router = virtual().deployment(deployment("g", "a", FakeProvider.failingWith(500)))
                .degradedAnswer("g", request -> ChatResponse.builder().id("d-1").created(0).model(request.model())
                        .addChoice(Choice.of(0, Message.assistant("no answer for: "
                                + request.messages().get(0).text()), FinishReason.STOP))
                        .usage(Usage.of(1_000_000, 1_000_000)).build())
                .build();

        CompletableFuture<ChatResponse> future = router.completionAsync(hello());
        time.advanceUntil(future::isDone, Duration.ofMinutes(1));

        ChatResponse response = future.get(5, TimeUnit.SECONDS);
        assertThat(response.text()).isEqualTo("no answer for: hello");
        assertThat(response.routing().orElseThrow().isDegraded()).isTrue();
        assertThat(response.cost().totalUsd()).hasValueSatisfying(c -> assertThat(c).isZero());
        assertThat(router.spend().total()).isZero();
        assertThat(events).doesNotContain("charge");
    }

    @Test
    void givenAStreamThatFailsBeforeItsFirstChunk_whenStreaming_thenTheDegradedAnswerIsOneChunk() throws Exception {
        router = virtual().deployment(deployment("g", "a", FakeProvider.failingWith(503)))
                .degradedAnswer("g", "degraded").build();
        List<ChatChunk> chunks = new CopyOnWriteArrayList<>();

        CompletableFuture<ChatResponse> future = router.streamAsync(hello(), chunks::add);
        time.advanceUntil(future::isDone, Duration.ofMinutes(1));

        assertThat(future.get(5, TimeUnit.SECONDS).routing().orElseThrow().isDegraded()).isTrue();
        assertThat(chunks).singleElement().satisfies(c -> {
            assertThat(c.text()).hasValue("degraded");
            assertThat(c.finishReason()).hasValue(FinishReason.STOP);
        });
        assertThat(events).containsExactly("degraded:ServiceUnavailableException", "success");
    }

    @Test
    void givenABlockingStreamThatFails_whenIterated_thenItYieldsTheDegradedAnswer() {
        router = Router.builder().retryPolicy(r -> r.numRetries(0))
                .deployment(deployment("g", "a", FakeProvider.failingWith(502)))
                .degradedAnswer("g", "degraded").build();

        StringBuilder text = new StringBuilder();
        try (ChatStream stream = router.stream(hello())) {
            for (ChatChunk c : stream) {
                text.append(c.text().orElse(""));
            }
        }

        assertThat(text).hasToString("degraded");
    }

    @Test
    void givenAStreamThatAlreadySentChunks_whenItBreaks_thenNoDegradedAnswer() {
        FakeProvider cut = FakeProvider.builder().streamCut(2, "a", "b", "c").build();
        router = virtual().deployment(deployment("g", "a", cut)).degradedAnswer("g", "degraded").build();
        List<ChatChunk> chunks = new CopyOnWriteArrayList<>();

        CompletableFuture<ChatResponse> future = router.streamAsync(hello(), chunks::add);
        time.advanceUntil(future::isDone, Duration.ofMinutes(1));

        assertThat(future.handle((r, e) -> e).join()).isInstanceOf(StreamInterruptedException.class);
        assertThat(chunks).extracting(c -> c.text().orElse("")).doesNotContain("degraded");
    }

    @Test
    void givenABadRequest_whenEveryDeploymentRefusesIt_thenItStillFails() {
        router = virtual().deployment(deployment("g", "a", FakeProvider.failingWith(400)))
                .degradedAnswer("g", "degraded").build();

        assertThatThrownBy(() -> router.completion(hello())).isInstanceOf(BadRequestException.class);
        assertThat(events).containsExactly("failure:BadRequestException");
    }

    @Test
    void givenAFallbackThatAnswers_whenThePrimaryFails_thenTheFallbackAnswersNotTheDegradedOne() {
        router = virtual().deployment(deployment("g", "a", FakeProvider.failingWith(503)))
                .deployment(deployment("g2", "b", FakeProvider.replying("real")))
                .fallbackPolicy(f -> f.fallbacks("g", "g2"))
                .degradedAnswer("g", "degraded").build();

        ChatResponse response = router.completion(hello());

        assertThat(response.text()).isEqualTo("real");
        assertThat(response.routing().orElseThrow().isDegraded()).isFalse();
    }

    @Test
    void givenEveryFallbackFails_whenCompletion_thenTheRequestedGroupsDegradedAnswerWithEveryAttempt() {
        router = virtual().deployment(deployment("g", "a", FakeProvider.failingWith(503)))
                .deployment(deployment("g2", "b", FakeProvider.failingWith(500)))
                .fallbackPolicy(f -> f.fallbacks("g", "g2"))
                .degradedAnswer("g", "degraded").build();

        ChatResponse response = router.completion(hello());

        assertThat(response.text()).isEqualTo("degraded");
        assertThat(response.routing().orElseThrow().attempts()).extracting(Attempt::deploymentId)
                .containsExactly("a", "b");
    }

    @Test
    void givenAHangingProvider_whenTheDeadlinePasses_thenTheDegradedAnswer() {
        router = virtual().timeouts(t -> t.deadline(Duration.ofSeconds(5)))
                .deployment(deployment("g", "a", FakeProvider.builder().hang().build()))
                .degradedAnswer("g", "degraded").build();

        CompletableFuture<ChatResponse> future = router.completionAsync(hello());
        time.advanceUntil(future::isDone, Duration.ofMinutes(1));

        assertThat(future.join().text()).isEqualTo("degraded");
        assertThat(events).containsExactly("degraded:RequestTimeoutException", "success");
    }

    @Test
    void givenAnAnswerFunctionThatThrows_whenEveryDeploymentFails_thenTheOriginalFailureWithItSuppressed() {
        IllegalStateException boom = new IllegalStateException("boom");
        router = virtual().deployment(deployment("g", "a", FakeProvider.failingWith(500)))
                .degradedAnswer("g", request -> {
                    throw boom;
                }).build();

        assertThatThrownBy(() -> router.completion(hello())).isInstanceOf(ProviderServerException.class)
                .satisfies(e -> assertThat(e.getSuppressed()).contains(boom));
        assertThat(events).containsExactly("failure:ProviderServerException");
    }

    @Test
    void givenAnUnknownGroup_whenBuilding_thenIllegalState() {
        assertThatThrownBy(() -> Router.builder().deployment(deployment("g", "a", FakeProvider.replying("ok")))
                .degradedAnswer("nope", "x").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'nope'");
    }

    @Test
    void givenAnEmbeddingRequest_whenItFails_thenNoDegradedAnswer() {
        router = virtual().deployment(deployment("g", "a", FakeProvider.failingWith(503)))
                .degradedAnswer("g", "degraded").build();

        assertThatThrownBy(() -> router.embedding(io.llmrouter.api.embedding.EmbeddingRequest.of("g", "x")))
                .isInstanceOf(LlmRouterException.class);
        assertThat(BigDecimal.ZERO.compareTo(router.spend().total())).isZero();
    }
}
