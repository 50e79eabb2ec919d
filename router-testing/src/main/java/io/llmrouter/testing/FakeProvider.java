package io.llmrouter.testing;

import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Choice;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.embedding.Embedding;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.embedding.EmbeddingResponse;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.ProviderConnectionException;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ChunkSink;
import io.llmrouter.spi.EmbeddingCall;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.StreamHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A scriptable, in-memory provider for unit tests: canned replies, failures by HTTP status or
 * exception, delays, calls that never answer, and a record of the requests received.
 *
 * <pre>{@code
 * FakeProvider primary = FakeProvider.failingWith(429);
 * FakeProvider backup = FakeProvider.replying("hi");
 * Router router = Router.builder()
 *     .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").id("primary").provider(primary).build())
 *     .deployment(Deployment.builder("claude", "anthropic/claude-sonnet-4-5").id("backup").provider(backup).build())
 *     .fallbackPolicy(f -> f.fallbacks("gpt-4o", "claude"))
 *     .build();
 * }</pre>
 *
 * <p>A script is a list of steps, consumed one per call; the last step repeats for every later
 * call. A reply's usage is given with {@link Builder#usage(Usage)}, or estimated at four
 * characters per token (at least one) of the request's message text and of the reply. Failures
 * are fresh typed exceptions for each call, mapped from the status as a real adapter maps it
 * ({@link LlmRouterException#ofStatus}).
 *
 * <p>It records the last {@link Builder#maxRecordedCalls(int)} calls (default
 * {@value #DEFAULT_MAX_RECORDED_CALLS}) and drops older ones, so it can drive soak tests of
 * millions of calls in constant memory and constant work per call; {@link #callCount()} counts
 * every call.
 *
 * <p>Thread-safe; calls may arrive concurrently (each takes the next step atomically).
 *
 * @since 0.1.0
 */
public final class FakeProvider implements Provider {

    /** The provider name used in error contexts unless set: {@value}. */
    public static final String DEFAULT_NAME = "fake";
    /** Components of generated embedding vectors unless set: {@value}. */
    public static final int DEFAULT_DIMENSIONS = 8;
    /** Calls recorded for {@link #calls()} and {@link #embeddingRequests()} unless set: the last {@value}. */
    public static final int DEFAULT_MAX_RECORDED_CALLS = 1_000;

    private final String name;
    private final List<Step> steps;
    private final Usage usage;
    private final ScheduledExecutorService scheduler;
    private final AtomicInteger calls = new AtomicInteger();
    private final RecentCalls<ProviderCall> received;
    private final RecentCalls<EmbeddingCall> receivedEmbeddings;
    private final int dimensions;

    private FakeProvider(Builder b) {
        this.name = b.name;
        this.steps = List.copyOf(b.steps);
        this.usage = b.usage;
        this.scheduler = b.scheduler;
        this.dimensions = b.dimensions;
        this.received = new RecentCalls<>(b.maxRecordedCalls);
        this.receivedEmbeddings = new RecentCalls<>(b.maxRecordedCalls);
    }

    /** A provider that always replies {@code text}. */
    public static FakeProvider replying(String text) {
        return builder().reply(text).build();
    }

    /** A provider that always fails with the typed exception for HTTP {@code status}. */
    public static FakeProvider failingWith(int status) {
        return builder().fail(status).build();
    }

    /** A provider that always fails with HTTP {@code status} and the given retry-after (for 402, 429, 503, 529). */
    public static FakeProvider failingWith(int status, Duration retryAfter) {
        return builder().fail(status, retryAfter).build();
    }

    /** A new script builder. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletableFuture<ChatResponse> completeAsync(ProviderCall call) {
        Objects.requireNonNull(call, "call");
        int n = calls.getAndIncrement();
        received.add(call);
        Step step = steps.get(Math.min(n, steps.size() - 1));
        return respond(step, call.endpoint(), () -> {
            if (step.response != null) {
                return step.response;
            }
            ChatRequest request = call.request();
            Usage u = usage != null ? usage : Usage.of(estimate(requestChars(request)), estimate(step.text.length()));
            return ChatResponse.builder()
                    .id("fake-" + (n + 1))
                    .created(0)
                    .model(request.model())
                    .addChoice(Choice.of(0, Message.assistant(step.text), FinishReason.STOP))
                    .usage(u)
                    .build();
        });
    }

    /**
     * Embeds with the same script: a reply step answers with deterministic vectors of
     * {@link Builder#dimensions(int)} components derived from each input's text (equal texts give
     * equal vectors); failure, hang and delay steps behave as for chat.
     */
    @Override
    public CompletableFuture<EmbeddingResponse> embedAsync(EmbeddingCall call) {
        Objects.requireNonNull(call, "call");
        int n = calls.getAndIncrement();
        receivedEmbeddings.add(call);
        Step step = steps.get(Math.min(n, steps.size() - 1));
        return respond(step, call.endpoint(), () -> {
            EmbeddingRequest request = call.request();
            EmbeddingResponse.Builder b = EmbeddingResponse.builder().model(request.model());
            int chars = 0;
            for (int i = 0; i < request.inputs().size(); i++) {
                String text = request.inputs().get(i);
                chars += text.length();
                b.addEmbedding(Embedding.of(i, vectorOf(text, request.dimensions().orElse(dimensions))));
            }
            int prompt = estimate(chars);
            return b.usage(usage != null ? usage : Usage.builder().promptTokens(prompt).totalTokens(prompt).build())
                    .build();
        });
    }

    /**
     * Streams with the same script: a stream step sends its pieces as chunks (then a finish chunk
     * and a usage chunk, unless it is scripted to be cut, to stall or to end without its terminal
     * event); a reply step streams its whole text as one chunk; failure, hang and delay steps
     * behave as for chat, before the first chunk. Chunk delays use {@link Builder#scheduler}.
     */
    @Override
    public StreamHandle streamAsync(ProviderCall call, ChunkSink sink) {
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(sink, "sink");
        int n = calls.getAndIncrement();
        received.add(call);
        Step step = steps.get(Math.min(n, steps.size() - 1));
        AtomicBoolean cancelled = new AtomicBoolean();
        if (step.hang) {
            return () -> cancelled.set(true);
        }
        Runnable start = () -> {
            if (cancelled.get()) {
                return;
            }
            if (step.error != null) {
                sink.onError(step.error.apply(call.endpoint()));
                return;
            }
            List<String> pieces = step.pieces != null ? step.pieces
                    : List.of(step.response != null ? step.response.text() : step.text);
            int emit = step.pieces != null ? step.emit : pieces.size();
            emit(call, sink, step, pieces, emit, 0, n, cancelled);
        };
        schedule(start, step.delay);
        return () -> cancelled.set(true);
    }

    private void emit(ProviderCall call, ChunkSink sink, Step step, List<String> pieces, int emit, int i, int n,
            AtomicBoolean cancelled) {
        while (i < emit) {
            if (cancelled.get()) {
                return;
            }
            ChatChunk.Builder c = ChatChunk.builder("fake-" + (n + 1), call.providerModel()).text(pieces.get(i));
            if (i == 0) {
                c.role("assistant");
            }
            sink.onChunk(c.build());
            i++;
            if (i < emit && !step.chunkDelay.isZero()) {
                int next = i;
                schedule(() -> emit(call, sink, step, pieces, emit, next, n, cancelled), step.chunkDelay);
                return;
            }
        }
        if (cancelled.get()) {
            return;
        }
        switch (step.end) {
            case CUT -> sink.onError(new ProviderConnectionException("fake: connection reset after " + emit
                    + " chunk(s) (scripted)", contextOf(name, call.endpoint())));
            case STALL -> { }
            case NO_TERMINAL -> sink.onError(new InvalidProviderResponseException("fake: the stream ended without its"
                    + " terminal event (scripted)", contextOf(name, call.endpoint())));
            case COMPLETE -> {
                sink.onChunk(ChatChunk.builder("fake-" + (n + 1), call.providerModel()).finishReason(FinishReason.STOP)
                        .build());
                int chars = 0;
                for (String p : pieces) {
                    chars += p.length();
                }
                Usage u = usage != null ? usage : Usage.of(estimate(requestChars(call.request())), estimate(chars));
                sink.onChunk(ChatChunk.builder("fake-" + (n + 1), call.providerModel()).usage(u).build());
                sink.onComplete();
            }
        }
    }

    private void schedule(Runnable task, Duration delay) {
        if (delay.isZero()) {
            task.run();
        } else if (scheduler != null) {
            scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        } else {
            CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS).execute(task);
        }
    }

    private static float[] vectorOf(String text, int dimensions) {
        SplittableRandom random = new SplittableRandom(text.hashCode());
        float[] v = new float[dimensions];
        for (int i = 0; i < dimensions; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return v;
    }

    private <T> CompletableFuture<T> respond(Step step, Endpoint endpoint, Supplier<T> success) {
        if (step.hang) {
            return new CompletableFuture<>();
        }
        Supplier<CompletableFuture<T>> outcome = () -> step.error != null
                ? CompletableFuture.failedFuture(step.error.apply(endpoint))
                : CompletableFuture.completedFuture(success.get());
        if (step.delay.isZero()) {
            return outcome.get();
        }
        if (scheduler != null) {
            CompletableFuture<T> answer = new CompletableFuture<>();
            scheduler.schedule(() -> outcome.get().whenComplete((r, e) -> {
                if (e == null) {
                    answer.complete(r);
                } else {
                    answer.completeExceptionally(e);
                }
            }), step.delay.toNanos(), TimeUnit.NANOSECONDS);
            return answer;
        }
        Executor later = CompletableFuture.delayedExecutor(step.delay.toNanos(), TimeUnit.NANOSECONDS);
        return CompletableFuture.supplyAsync(outcome, later).thenCompose(f -> f);
    }

    private static int requestChars(ChatRequest request) {
        int chars = 0;
        for (Message m : request.messages()) {
            chars += m.text().length();
        }
        return chars;
    }

    private static int estimate(int chars) {
        return Math.max(1, (chars + 3) / 4);
    }

    /** How many calls this provider received (chat, stream and embedding), all of them. */
    public int callCount() {
        return calls.get();
    }

    /**
     * The requests received, in order (their model is the provider model of the deployment): the
     * last {@link Builder#maxRecordedCalls(int)} chat and stream calls.
     */
    public List<ChatRequest> requests() {
        List<ProviderCall> recent = received.snapshot();
        List<ChatRequest> out = new ArrayList<>(recent.size());
        recent.forEach(c -> out.add(c.request()));
        return List.copyOf(out);
    }

    /** The embedding requests received, in order: the last {@link Builder#maxRecordedCalls(int)}. */
    public List<EmbeddingRequest> embeddingRequests() {
        List<EmbeddingCall> recent = receivedEmbeddings.snapshot();
        List<EmbeddingRequest> out = new ArrayList<>(recent.size());
        recent.forEach(c -> out.add(c.request()));
        return List.copyOf(out);
    }

    /**
     * The calls received, with their deployment settings, in order: the last
     * {@link Builder#maxRecordedCalls(int)} chat and stream calls.
     */
    public List<ProviderCall> calls() {
        return List.copyOf(received.snapshot());
    }

    @Override
    public String toString() {
        return "FakeProvider[" + name + ", steps=" + steps.size() + ", calls=" + calls.get() + "]";
    }

    private static ErrorContext contextOf(String name, Endpoint endpoint) {
        return ErrorContext.builder().provider(name).deploymentId(endpoint.deploymentId())
                .model(endpoint.providerModel()).build();
    }

    /**
     * The last {@code max} calls: constant work per call (the copy-on-write list it replaces
     * copied every earlier call on each new one, so a long test slowed down quadratically).
     */
    private static final class RecentCalls<T> {
        private final int max;
        private final ArrayDeque<T> calls;

        RecentCalls(int max) {
            this.max = max;
            this.calls = new ArrayDeque<>(Math.min(max, 16));
        }

        synchronized void add(T call) {
            if (max == 0) {
                return;
            }
            if (calls.size() == max) {
                calls.removeFirst();
            }
            calls.addLast(call);
        }

        synchronized List<T> snapshot() {
            return new ArrayList<>(calls);
        }
    }

    /** How a scripted stream ends. */
    private enum StreamEnd { COMPLETE, CUT, STALL, NO_TERMINAL }

    private static final class Step {
        final String text;
        final ChatResponse response;
        final Function<Endpoint, LlmRouterException> error;
        final boolean hang;
        final Duration delay;
        final List<String> pieces;
        final int emit;
        final StreamEnd end;
        final Duration chunkDelay;

        Step(String text, ChatResponse response, Function<Endpoint, LlmRouterException> error, boolean hang,
                Duration delay) {
            this(text, response, error, hang, delay, null, 0, StreamEnd.COMPLETE, Duration.ZERO);
        }

        Step(String text, ChatResponse response, Function<Endpoint, LlmRouterException> error, boolean hang,
                Duration delay, List<String> pieces, int emit, StreamEnd end, Duration chunkDelay) {
            this.text = text;
            this.response = response;
            this.error = error;
            this.hang = hang;
            this.delay = delay;
            this.pieces = pieces;
            this.emit = emit;
            this.end = end;
            this.chunkDelay = chunkDelay;
        }
    }

    /**
     * Builds a {@link FakeProvider} script; not thread-safe.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private String name = DEFAULT_NAME;
        private final List<Step> steps = new ArrayList<>();
        private Usage usage;
        private Duration delay = Duration.ZERO;
        private ScheduledExecutorService scheduler;
        private int dimensions = DEFAULT_DIMENSIONS;
        private Duration chunkDelay = Duration.ZERO;
        private int maxRecordedCalls = DEFAULT_MAX_RECORDED_CALLS;

        private Builder() {
        }

        /**
         * How many of the latest calls to keep for {@link FakeProvider#calls()},
         * {@link FakeProvider#requests()} and (separately) {@link FakeProvider#embeddingRequests()},
         * 0 or more; default {@value FakeProvider#DEFAULT_MAX_RECORDED_CALLS}. Older calls are
         * dropped; {@link FakeProvider#callCount()} still counts them.
         */
        public Builder maxRecordedCalls(int maxRecordedCalls) {
            if (maxRecordedCalls < 0) {
                throw new IllegalArgumentException("maxRecordedCalls must not be negative, was " + maxRecordedCalls);
            }
            this.maxRecordedCalls = maxRecordedCalls;
            return this;
        }

        /** Components of generated embedding vectors, at least 1; default {@value FakeProvider#DEFAULT_DIMENSIONS}. */
        public Builder dimensions(int dimensions) {
            if (dimensions < 1) {
                throw new IllegalArgumentException("dimensions must be at least 1, was " + dimensions);
            }
            this.dimensions = dimensions;
            return this;
        }

        /**
         * Runs delayed steps on {@code scheduler}, e.g. {@link VirtualTime#scheduler()} so delays
         * follow virtual time; default: real time.
         */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** The provider name reported in error contexts; default {@value FakeProvider#DEFAULT_NAME}. */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
            this.name = name;
            return this;
        }

        /** The usage every generated reply reports, instead of the estimate. */
        public Builder usage(Usage usage) {
            this.usage = Objects.requireNonNull(usage, "usage");
            return this;
        }

        /** Delays every step added after this call by {@code delay} (zero for none). */
        public Builder delay(Duration delay) {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("delay must not be negative, was " + delay);
            }
            this.delay = delay;
            return this;
        }

        /** Next call: reply with an assistant message of {@code text}. */
        public Builder reply(String text) {
            steps.add(new Step(Objects.requireNonNull(text, "text"), null, null, false, delay));
            return this;
        }

        /** Next call: reply with exactly {@code response}. */
        public Builder reply(ChatResponse response) {
            steps.add(new Step(null, Objects.requireNonNull(response, "response"), null, false, delay));
            return this;
        }

        /** Next call: fail with the typed exception for HTTP {@code status}. */
        public Builder fail(int status) {
            return fail(status, null);
        }

        /**
         * Next call: fail with HTTP {@code status}; {@code retryAfter} (may be null) is kept where the
         * status table keeps one (402, 429, 503, 529; see {@link LlmRouterException#ofStatus}).
         */
        public Builder fail(int status, Duration retryAfter) {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("status must be an HTTP error status (400-599), was " + status);
            }
            String provider = name;
            steps.add(new Step(null, null, endpoint -> LlmRouterException.ofStatus(status,
                    "fake: HTTP " + status + " (scripted failure)", contextOf(provider, endpoint), retryAfter), false, delay));
            return this;
        }

        /** Next call: fail with the exception {@code error} makes from the call's endpoint (a fresh one per call). */
        public Builder fail(Function<Endpoint, ? extends LlmRouterException> error) {
            Objects.requireNonNull(error, "error");
            steps.add(new Step(null, null, error::apply, false, delay));
            return this;
        }

        /** Delays each chunk of stream steps added after this call by {@code delay} (zero for none). */
        public Builder chunkDelay(Duration delay) {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("chunkDelay must not be negative, was " + delay);
            }
            this.chunkDelay = delay;
            return this;
        }

        /** Next call (streamed): send {@code pieces} as chunks, then a finish chunk, a usage chunk and the end. */
        public Builder stream(String... pieces) {
            return streamStep(List.of(pieces), pieces.length, StreamEnd.COMPLETE);
        }

        /** Next call (streamed): send the first {@code after} of {@code pieces}, then cut the connection. */
        public Builder streamCut(int after, String... pieces) {
            return streamStep(List.of(pieces), checkAfter(after, pieces), StreamEnd.CUT);
        }

        /** Next call (streamed): send the first {@code after} of {@code pieces}, then go silent. */
        public Builder streamStall(int after, String... pieces) {
            return streamStep(List.of(pieces), checkAfter(after, pieces), StreamEnd.STALL);
        }

        /** Next call (streamed): send all {@code pieces}, then end with neither finish reason nor terminal event (a cut). */
        public Builder streamWithoutEnd(String... pieces) {
            return streamStep(List.of(pieces), pieces.length, StreamEnd.NO_TERMINAL);
        }

        private Builder streamStep(List<String> pieces, int emit, StreamEnd end) {
            if (pieces.isEmpty()) {
                throw new IllegalArgumentException("a stream needs at least one piece");
            }
            steps.add(new Step(null, null, null, false, delay, pieces, emit, end, chunkDelay));
            return this;
        }

        private static int checkAfter(int after, String... pieces) {
            if (after < 0 || after > pieces.length) {
                throw new IllegalArgumentException("after must be 0.." + pieces.length + ", was " + after);
            }
            return after;
        }

        /** Next call: never answer (until the router's timeout or a cancel). */
        public Builder hang() {
            steps.add(new Step(null, null, null, true, delay));
            return this;
        }

        /**
         * The provider.
         *
         * @throws IllegalStateException if no step was added
         */
        public FakeProvider build() {
            if (steps.isEmpty()) {
                throw new IllegalStateException("a FakeProvider needs at least one step: reply(..), fail(..) or hang()");
            }
            return new FakeProvider(this);
        }
    }
}
