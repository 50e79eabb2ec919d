package io.llmrouter.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.CachePolicy;
import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.budget.Budget;
import io.llmrouter.budget.BudgetPeriod;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.spi.Provider;
import io.llmrouter.testing.FakeProvider;
import io.llmrouter.testing.VirtualTime;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The exact span trees of router calls, exported by the OpenTelemetry SDK's in-memory exporter. */
class RouterTracingTest {

    @RegisterExtension
    static final OpenTelemetryExtension otel = OpenTelemetryExtension.create();

    private static final ModelPrice PRICE = ModelPrice.builder().inputPerMillion("1").outputPerMillion("2").build();

    private final VirtualTime time = VirtualTime.create();

    private FakeProvider.Builder fake() {
        return FakeProvider.builder().scheduler(time.scheduler()).usage(Usage.of(1_000, 500))
                .delay(Duration.ofMillis(100));
    }

    private static Deployment deployment(String group, String id, String route, Provider provider) {
        return Deployment.builder(group, route).id(id).price(PRICE).provider(provider).build();
    }

    private Router.Builder router(RouterTracing tracing) {
        return Router.builder().clock(time.clock()).scheduler(time.scheduler()).listener(tracing)
                .strategy((context, candidates) -> candidates.get(0))
                .retryPolicy(r -> r.backoff(Duration.ZERO, Duration.ZERO));
    }

    private <T> CompletableFuture<T> run(CompletableFuture<T> f) {
        time.advanceUntil(f::isDone, Duration.ofHours(1));
        return f;
    }

    /** The exported spans as an indented tree: name, kind, status, attributes (sorted) and events. */
    private static String tree() {
        List<SpanData> spans = otel.getSpans();
        StringBuilder out = new StringBuilder();
        spans.stream().filter(s -> spans.stream().noneMatch(p -> p.getSpanId().equals(s.getParentSpanId())))
                .forEach(root -> render(root, spans, 0, out));
        return out.toString();
    }

    private static void render(SpanData span, List<SpanData> all, int depth, StringBuilder out) {
        out.append("  ".repeat(depth)).append(span.getName()).append(" [").append(span.getKind()).append(' ')
                .append(span.getStatus().getStatusCode()).append("] ").append(attributes(span.getAttributes()))
                .append('\n');
        for (EventData e : span.getEvents()) {
            out.append("  ".repeat(depth + 1)).append("event ").append(e.getName()).append(' ')
                    .append(attributes(e.getAttributes())).append('\n');
        }
        all.stream().filter(c -> c.getParentSpanId().equals(span.getSpanId()))
                .sorted(Comparator.comparing(c -> c.getAttributes().get(AttributeKey.longKey("llmrouter.attempt"))))
                .forEach(child -> render(child, all, depth + 1, out));
    }

    private static String attributes(Attributes attributes) {
        return attributes.asMap().entrySet().stream()
                .map(e -> e.getKey().getKey() + "=" + (e.getKey().getKey().equals("llmrouter.request_id")
                        ? (String.valueOf(e.getValue()).matches("[0-9a-f]{16}") ? "<id>" : "bad id " + e.getValue())
                        : e.getValue()))
                .sorted().collect(Collectors.joining(", ", "{", "}"));
    }

    @Test
    void givenACachedAnswer_whenAskedAgain_thenTheSecondCallSpanSaysCacheHitAndHasNoAttemptChild() {
        RouterTracing tracing = RouterTracing.create(otel.getOpenTelemetry());
        try (Router router = router(tracing).deployment(deployment("g", "d1", "openai/gpt-4o", fake().reply("hi").build()))
                .cache(CachePolicy.builder().groups(List.of("g")).build()).build()) {
            run(router.completionAsync(ChatRequest.ofUser("g", "hello"))).join();
            time.advance(Duration.ofSeconds(3));
            run(router.completionAsync(ChatRequest.ofUser("g", "hello"))).join();
        }
        List<SpanData> calls = otel.getSpans().stream().filter(s -> s.getName().equals("chat g")).toList();
        assertThat(calls).hasSize(2);
        SpanData hit = calls.get(1);
        assertThat(hit.getAttributes().get(AttributeKey.booleanKey("llmrouter.cache.hit"))).isTrue();
        assertThat(hit.getAttributes().get(AttributeKey.longKey("llmrouter.cache.age_ms"))).isEqualTo(3_000L);
        assertThat(otel.getSpans()).noneMatch(s -> s.getParentSpanId().equals(hit.getSpanId()));
        assertThat(calls.get(0).getAttributes().get(AttributeKey.booleanKey("llmrouter.cache.hit"))).isNull();
    }

    @Test
    void givenAnAnswer_whenCompletion_thenOneCallSpanWithOneAttemptChild() {
        RouterTracing tracing = RouterTracing.create(otel.getOpenTelemetry());
        try (Router router = router(tracing).deployment(Deployment.builder("g", "openai/gpt-4o").id("d1")
                .price(PRICE).apiBase("https://api.example.com:8443/v1").provider(fake().reply("hi").build())
                .build()).build()) {
            tracing.bind(router);
            run(router.completionAsync(ChatRequest.builder("g").addMessage(Message.user("hello"))
                    .temperature(0.2).maxTokens(64).build())).join();
        }
        assertThat(tree()).isEqualTo("""
                chat g [CLIENT UNSET] {gen_ai.operation.name=chat, gen_ai.provider.name=openai, \
                gen_ai.request.max_tokens=64, gen_ai.request.model=g, gen_ai.request.temperature=0.2, \
                gen_ai.response.finish_reasons=[stop], gen_ai.response.id=fake-1, gen_ai.response.model=gpt-4o, \
                gen_ai.usage.input_tokens=1000, gen_ai.usage.output_tokens=500, llmrouter.attempts=1, \
                llmrouter.cost.usd=0.002, llmrouter.deployment.id=d1, llmrouter.fallback=false, \
                llmrouter.model_group=g, llmrouter.request_id=<id>}
                  chat gpt-4o [CLIENT UNSET] {gen_ai.operation.name=chat, gen_ai.provider.name=openai, \
                gen_ai.request.model=gpt-4o, llmrouter.attempt=1, llmrouter.deployment.id=d1, \
                llmrouter.model_group=g, server.address=api.example.com, server.port=8443}
                """);
        assertThat(tracing.openCalls()).isZero();
    }

    @Test
    void givenAFailingFirstDeployment_whenCompletion_thenTheRetryIsAnEventAndBothAttemptsAreChildren() {
        RouterTracing tracing = RouterTracing.create(otel.getOpenTelemetry());
        try (Router router = router(tracing)
                .deployment(deployment("g", "d1", "openai/gpt-4o", fake().fail(500).build()))
                .deployment(deployment("g", "d2", "anthropic/claude-sonnet-4-5", fake().reply("hi").build())).build()) {
            run(router.completionAsync(ChatRequest.ofUser("g", "hello"))).join();
        }
        assertThat(tree()).isEqualTo("""
                chat g [CLIENT UNSET] {gen_ai.operation.name=chat, gen_ai.provider.name=anthropic, \
                gen_ai.request.model=g, gen_ai.response.finish_reasons=[stop], gen_ai.response.id=fake-1, \
                gen_ai.response.model=claude-sonnet-4-5, gen_ai.usage.input_tokens=1000, \
                gen_ai.usage.output_tokens=500, llmrouter.attempts=2, llmrouter.cost.usd=0.002, \
                llmrouter.deployment.id=d2, llmrouter.fallback=false, llmrouter.model_group=g, llmrouter.request_id=<id>}
                  event retry {error.type=provider_server, llmrouter.model_group=g, llmrouter.retry_delay_ms=0, \
                llmrouter.retry_number=1}
                  chat gpt-4o [CLIENT ERROR] {error.type=provider_server, gen_ai.operation.name=chat, \
                gen_ai.provider.name=openai, gen_ai.request.model=gpt-4o, llmrouter.attempt=1, \
                llmrouter.deployment.id=d1, llmrouter.model_group=g}
                    event cooldown {error.type=provider_server, llmrouter.cooldown.until=2026-01-01T00:00:05.100Z, \
                llmrouter.deployment.id=d1, llmrouter.model_group=g}
                  chat claude-sonnet-4-5 [CLIENT UNSET] {gen_ai.operation.name=chat, gen_ai.provider.name=anthropic, \
                gen_ai.request.model=claude-sonnet-4-5, llmrouter.attempt=2, llmrouter.deployment.id=d2, \
                llmrouter.model_group=g}
                """);
    }

    @Test
    void givenAGroupThatFails_whenCompletion_thenTheFallbackIsAnEventAndTheAnsweringGroupIsNamed() {
        RouterTracing tracing = RouterTracing.create(otel.getOpenTelemetry());
        try (Router router = router(tracing).retryPolicy(r -> r.numRetries(0))
                .deployment(deployment("g", "d1", "openai/gpt-4o", fake().fail(429).build()))
                .deployment(deployment("h", "d2", "anthropic/claude-sonnet-4-5", fake().reply("hi").build()))
                .fallbackPolicy(f -> f.fallbacks("g", "h")).build()) {
            run(router.completionAsync(ChatRequest.ofUser("g", "hello"))).join();
        }
        assertThat(tree()).isEqualTo("""
                chat g [CLIENT UNSET] {gen_ai.operation.name=chat, gen_ai.provider.name=anthropic, \
                gen_ai.request.model=g, gen_ai.response.finish_reasons=[stop], gen_ai.response.id=fake-1, \
                gen_ai.response.model=claude-sonnet-4-5, gen_ai.usage.input_tokens=1000, \
                gen_ai.usage.output_tokens=500, llmrouter.attempts=2, llmrouter.cost.usd=0.002, \
                llmrouter.deployment.id=d2, llmrouter.fallback=true, llmrouter.model_group=h, llmrouter.request_id=<id>}
                  event fallback {error.type=rate_limit, llmrouter.fallback_group=h, llmrouter.model_group=g}
                  chat gpt-4o [CLIENT ERROR] {error.type=rate_limit, gen_ai.operation.name=chat, \
                gen_ai.provider.name=openai, gen_ai.request.model=gpt-4o, llmrouter.attempt=1, \
                llmrouter.deployment.id=d1, llmrouter.model_group=g}
                  chat claude-sonnet-4-5 [CLIENT UNSET] {gen_ai.operation.name=chat, gen_ai.provider.name=anthropic, \
                gen_ai.request.model=claude-sonnet-4-5, llmrouter.attempt=2, llmrouter.deployment.id=d2, \
                llmrouter.model_group=h}
                """);
    }

    @Test
    void givenEveryAttemptFailing_whenCompletion_thenTheCallSpanIsAnErrorWithItsType() {
        RouterTracing tracing = RouterTracing.create(otel.getOpenTelemetry());
        try (Router router = router(tracing).retryPolicy(r -> r.numRetries(1))
                .deployment(deployment("g", "d1", "openai/gpt-4o", fake().fail(503).build())).build()) {
            assertThat(run(router.completionAsync(ChatRequest.ofUser("g", "hello")))).isCompletedExceptionally();
        }
        assertThat(tree()).isEqualTo("""
                chat g [CLIENT ERROR] {error.type=service_unavailable, gen_ai.operation.name=chat, \
                gen_ai.request.model=g, llmrouter.attempts=2, llmrouter.request_id=<id>}
                  event retry {error.type=service_unavailable, llmrouter.model_group=g, llmrouter.retry_delay_ms=0, \
                llmrouter.retry_number=1}
                  chat gpt-4o [CLIENT ERROR] {error.type=service_unavailable, gen_ai.operation.name=chat, \
                gen_ai.provider.name=openai, gen_ai.request.model=gpt-4o, llmrouter.attempt=1, \
                llmrouter.deployment.id=d1, llmrouter.model_group=g}
                  chat gpt-4o [CLIENT ERROR] {error.type=service_unavailable, gen_ai.operation.name=chat, \
                gen_ai.provider.name=openai, gen_ai.request.model=gpt-4o, llmrouter.attempt=2, \
                llmrouter.deployment.id=d1, llmrouter.model_group=g}
                """);
        assertThat(otel.getSpans().stream().filter(s -> s.getName().equals("chat g")).findFirst().orElseThrow()
                .getEvents()).extracting(EventData::getName).containsExactly("retry");
    }

    @Test
    void givenAStream_whenStreamed_thenTheAttemptSpanHasFirstTokenAndStreamEndEvents() {
        RouterTracing tracing = RouterTracing.create(otel.getOpenTelemetry());
        FakeProvider stream = fake().chunkDelay(Duration.ofMillis(10)).stream("a", "b", "c").build();
        try (Router router = router(tracing).deployment(deployment("g", "d1", "openai/gpt-4o", stream)).build()) {
            run(router.streamAsync(ChatRequest.ofUser("g", "hello"), c -> { })).join();
        }
        assertThat(tree()).startsWith("chat g [CLIENT UNSET] {gen_ai.operation.name=chat, ")
                .contains("""
                          chat gpt-4o [CLIENT UNSET] {gen_ai.operation.name=chat, gen_ai.provider.name=openai, \
                        gen_ai.request.model=gpt-4o, llmrouter.attempt=1, llmrouter.deployment.id=d1, \
                        llmrouter.model_group=g}
                            event first_token {llmrouter.time_to_first_token_ms=100}
                            event stream_end {llmrouter.stream.chunks=5}
                        """);
    }

    @Test
    void givenAStreamCutAfterTwoChunks_whenStreamed_thenBothSpansAreErrorsOfAnInterruptedStream() {
        RouterTracing tracing = RouterTracing.create(otel.getOpenTelemetry());
        FakeProvider cut = fake().chunkDelay(Duration.ofMillis(10)).streamCut(2, "a", "b", "c").build();
        try (Router router = router(tracing).deployment(deployment("g", "d1", "openai/gpt-4o", cut)).build()) {
            assertThat(run(router.streamAsync(ChatRequest.ofUser("g", "hello"), c -> { })))
                    .isCompletedExceptionally();
        }
        assertThat(tree()).isEqualTo("""
                chat g [CLIENT ERROR] {error.type=stream_interrupted, gen_ai.operation.name=chat, \
                gen_ai.request.model=g, llmrouter.attempts=1, llmrouter.request_id=<id>}
                  chat gpt-4o [CLIENT ERROR] {error.type=stream_interrupted, gen_ai.operation.name=chat, \
                gen_ai.provider.name=openai, gen_ai.request.model=gpt-4o, llmrouter.attempt=1, \
                llmrouter.deployment.id=d1, llmrouter.model_group=g}
                    event first_token {llmrouter.time_to_first_token_ms=100}
                    event stream_end {llmrouter.stream.chunks=2}
                """);
    }

    @Test
    void givenAUserOverBudget_whenCompletion_thenTheCallSpanHasTheRefusalAndNoAttempt() {
        RouterTracing tracing = RouterTracing.create(otel.getOpenTelemetry());
        try (Router router = router(tracing)
                .deployment(deployment("g", "d1", "openai/gpt-4o", fake().reply("hi").build()))
                .budget(Budget.forUser("alice").limitUsd("0.000001").period(BudgetPeriod.DAILY).build()).build()) {
            ChatRequest request = ChatRequest.builder("g").addMessage(Message.user("hello")).user("alice")
                    .maxTokens(1_000).build();
            assertThat(run(router.completionAsync(request))).isCompletedExceptionally();
        }
        assertThat(tree()).isEqualTo("""
                chat g [CLIENT ERROR] {error.type=budget_exceeded, gen_ai.operation.name=chat, \
                gen_ai.request.max_tokens=1000, gen_ai.request.model=g, llmrouter.attempts=0, \
                llmrouter.request_id=<id>}
                  event budget_exceeded {error.type=budget_exceeded}
                """);
    }

    @Test
    void givenContentCaptureOff_whenCompletion_thenNoSpanHoldsThePromptOrTheAnswer() {
        RouterTracing tracing = RouterTracing.create(otel.getOpenTelemetry());
        try (Router router = router(tracing).deployment(Deployment.builder("g", "openai/gpt-4o").id("d1")
                .apiKey(io.llmrouter.api.Secret.of("sk-secret-key")).provider(fake().reply("the answer").build())
                .build()).build()) {
            run(router.completionAsync(ChatRequest.ofUser("g", "my secret prompt"))).join();
        }
        assertThat(tree()).doesNotContain("my secret prompt", "the answer", "sk-secret-key", "gen_ai.input.messages");
    }

    @Test
    void givenContentCaptureOn_whenCompletion_thenTheCallSpanHoldsTheMessagesButNotTheKey() {
        RouterTracing tracing = RouterTracing.builder(otel.getOpenTelemetry()).captureContent().build();
        try (Router router = router(tracing).deployment(Deployment.builder("g", "openai/gpt-4o").id("d1")
                .apiKey(io.llmrouter.api.Secret.of("sk-secret-key")).provider(fake().reply("the \"answer\"").build())
                .build()).build()) {
            run(router.completionAsync(ChatRequest.builder("g").addMessage(Message.system("be brief"))
                    .addMessage(Message.user("hello")).build())).join();
        }
        Attributes call = otel.getSpans().stream().filter(s -> s.getName().equals("chat g")).findFirst()
                .orElseThrow().getAttributes();
        assertThat(call.get(RouterTracing.INPUT_MESSAGES)).isEqualTo("[{\"role\":\"system\",\"parts\":[{\"type\":"
                + "\"text\",\"content\":\"be brief\"}]},{\"role\":\"user\",\"parts\":[{\"type\":\"text\","
                + "\"content\":\"hello\"}]}]");
        assertThat(call.get(RouterTracing.OUTPUT_MESSAGES)).isEqualTo("[{\"role\":\"assistant\",\"parts\":[{"
                + "\"type\":\"text\",\"content\":\"the \\\"answer\\\"\"}]}]");
        assertThat(tree()).doesNotContain("sk-secret-key");
    }

    @Test
    void givenACurrentSpan_whenCompletionAsyncRetriesOnOtherThreads_thenTheCallSpanIsItsChildAndParentsEveryAttempt()
            throws Exception {
        RouterTracing tracing = RouterTracing.create(otel.getOpenTelemetry());
        ScheduledExecutorService providerThreads = Executors.newScheduledThreadPool(2);
        Tracer tracer = otel.getOpenTelemetry().getTracer("test");
        Span parent = tracer.spanBuilder("handler").startSpan();
        try (Router router = Router.builder().listener(tracing).strategy((context, candidates) -> candidates.get(0))
                .retryPolicy(r -> r.backoff(Duration.ofMillis(5), Duration.ofMillis(5)))
                .deployment(deployment("g", "d1", "openai/gpt-4o", FakeProvider.builder().scheduler(providerThreads)
                        .delay(Duration.ofMillis(5)).fail(500).reply("hi").build())).build()) {
            CompletableFuture<ChatResponse> answer;
            Scope scope = parent.makeCurrent();
            try {
                answer = router.completionAsync(ChatRequest.ofUser("g", "hello"));
            } finally {
                scope.close();
            }
            answer.get(5, TimeUnit.SECONDS);
            CompletableFuture<ChatResponse> streamed;
            scope = parent.makeCurrent();
            try {
                streamed = router.streamAsync(ChatRequest.ofUser("g", "hello again"), c -> { });
            } finally {
                scope.close();
            }
            streamed.get(5, TimeUnit.SECONDS);
        } finally {
            parent.end();
            providerThreads.shutdownNow();
        }
        Map<String, SpanData> byId = otel.getSpans().stream().collect(Collectors.toMap(SpanData::getSpanId, s -> s));
        List<SpanData> calls = new ArrayList<>();
        for (SpanData s : otel.getSpans()) {
            if (s.getName().equals("chat g")) {
                calls.add(s);
            }
        }
        assertThat(calls).hasSize(2).allSatisfy(call -> {
            assertThat(call.getParentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());
            assertThat(call.getTraceId()).isEqualTo(parent.getSpanContext().getTraceId());
        });
        List<SpanData> attempts = otel.getSpans().stream().filter(s -> s.getName().equals("chat gpt-4o")).toList();
        assertThat(attempts).hasSize(3).allSatisfy(a -> assertThat(byId.get(a.getParentSpanId()).getName())
                .isEqualTo("chat g"));
        assertThat(tracing.openCalls()).isZero();
    }
}
