package io.llmrouter.examples;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.budget.Budget;
import io.llmrouter.budget.BudgetPeriod;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.micrometer.RouterMetrics;
import io.llmrouter.opentelemetry.RouterTracing;
import io.llmrouter.testing.FakeProvider;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Metrics and traces for one router: {@link RouterMetrics} on a Micrometer registry and
 * {@link RouterTracing} on the OpenTelemetry SDK. A call made under the application's own span
 * fails over from a rate-limited group to its fallback; the example prints the span tree and the
 * meters it left. No network and no key: the deployments are {@link FakeProvider}s.
 *
 * <p>Run it with {@code mvn -q -pl router-examples exec:java
 * -Dexec.mainClass=io.llmrouter.examples.ObservabilityExample}.
 */
public final class ObservabilityExample {

    private static final ModelPrice PRICE = ModelPrice.builder().inputPerMillion("2.5").outputPerMillion("10")
            .build();

    private ObservabilityExample() {
    }

    /**
     * Routes one call and prints its spans and meters.
     *
     * @param args ignored
     * @throws Exception if the call fails
     */
    public static void main(String[] args) throws Exception {
        // The application's choices: a registry (Prometheus in production) and an SDK with an exporter.
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Collected spans = new Collected();
        SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
        OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).build();

        RouterMetrics metrics = RouterMetrics.create(registry);
        RouterTracing tracing = RouterTracing.create(otel);
        try (Router router = Router.builder()
                .listener(metrics)
                .listener(tracing)
                .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").id("primary-eu").price(PRICE)
                        .provider(FakeProvider.builder().delay(Duration.ofMillis(20))
                                .fail(429, Duration.ofSeconds(30)).build()).build())
                .deployment(Deployment.builder("gpt-4o-mini", "openai/gpt-4o-mini").id("backup-us").price(PRICE)
                        .provider(FakeProvider.builder().delay(Duration.ofMillis(40)).usage(Usage.of(12, 9))
                                .reply("Bonjour !").build()).build())
                .fallbackPolicy(f -> f.fallbacks("gpt-4o", "gpt-4o-mini"))
                .retryPolicy(r -> r.numRetries(0))
                .budget(Budget.forModelGroup("gpt-4o-mini").limitUsd("5").period(BudgetPeriod.DAILY).build())
                .build()) {
            metrics.bind(router);
            tracing.bind(router);

            // The application's span, current when it calls the router: the router's span nests under it,
            // and its attempts under the router's span, although they complete on other threads.
            Span handler = otel.getTracer("example-app").spanBuilder("POST /translate").startSpan();
            ChatResponse answer;
            Scope scope = handler.makeCurrent();
            try {
                answer = router.completionAsync(ChatRequest.ofUser("gpt-4o", "Say hello in French"))
                        .get(10, TimeUnit.SECONDS);
            } finally {
                scope.close();
                handler.end();
            }
            System.out.println("answer: " + answer.text() + " (from " + answer.routing().orElseThrow().deploymentId()
                    + ")");

            System.out.println();
            System.out.println("spans:");
            spans.printTree();

            System.out.println();
            System.out.println("meters:");
            registry.getMeters().stream().map(ObservabilityExample::line).sorted()
                    .forEach(l -> System.out.println("  " + l));
        } finally {
            tracerProvider.close();
        }
    }

    private static String line(Meter m) {
        String tags = m.getId().getTags().stream().map(t -> t.getKey() + "=\"" + t.getValue() + "\"")
                .collect(Collectors.joining(",", "{", "}"));
        String value;
        if (m instanceof Counter c) {
            value = String.valueOf(c.count());
        } else if (m instanceof Timer t) {
            value = "count=" + t.count() + " max=" + (long) t.max(TimeUnit.MILLISECONDS) + "ms";
        } else if (m instanceof Gauge g) {
            value = String.valueOf(g.value());
        } else {
            value = m.measure().iterator().next().toString();
        }
        return m.getId().getName() + tags + " " + value;
    }

    /** An exporter that keeps the spans, to print them as a tree. */
    private static final class Collected implements SpanExporter {
        private final List<SpanData> spans = new CopyOnWriteArrayList<>();

        @Override
        public CompletableResultCode export(Collection<SpanData> batch) {
            spans.addAll(batch);
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }

        void printTree() {
            spans.stream().filter(s -> !s.getParentSpanContext().isValid()).forEach(root -> print(root, 1));
        }

        private void print(SpanData span, int depth) {
            long millis = TimeUnit.NANOSECONDS.toMillis(span.getEndEpochNanos() - span.getStartEpochNanos());
            System.out.println("  ".repeat(depth) + span.getName() + " [" + span.getKind() + ", "
                    + span.getStatus().getStatusCode() + ", " + millis + " ms]");
            span.getAttributes().forEach((k, v) -> System.out.println("  ".repeat(depth + 2) + k.getKey() + " = " + v));
            span.getEvents().forEach(e -> System.out.println("  ".repeat(depth + 2) + "event " + e.getName() + " "
                    + e.getAttributes().asMap().entrySet().stream().map(a -> a.getKey().getKey() + "=" + a.getValue())
                            .collect(Collectors.joining(", "))));
            spans.stream().filter(c -> c.getParentSpanId().equals(span.getSpanId()))
                    .sorted((a, b) -> Long.compare(a.getStartEpochNanos(), b.getStartEpochNanos()))
                    .forEach(c -> print(c, depth + 1));
        }
    }
}
