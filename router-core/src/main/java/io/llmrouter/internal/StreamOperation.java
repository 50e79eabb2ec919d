package io.llmrouter.internal;

import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.ChatStreamAccumulator;
import io.llmrouter.api.chat.Cost;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.RoutingInfo;
import io.llmrouter.api.chat.StreamOptions;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.api.exception.StreamInterruptedException;
import io.llmrouter.spi.CallCancellation;
import io.llmrouter.spi.ChunkSink;
import io.llmrouter.spi.ChunkSource;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.StreamHandle;
import io.llmrouter.control.AttemptContext;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Streaming as an {@link Operation}: each attempt opens a provider stream whose chunks are passed
 * to the caller as they come. Until the first chunk reaches the caller a failure, a rate limit or a
 * missed time-to-first-token is an ordinary attempt failure (retried, cooled, fallen back from,
 * invisibly); after it, whatever ends the request (the provider's error, the idle timer, the
 * router's per-call timeout or the request's deadline) is reported as a
 * {@link StreamInterruptedException} carrying the text so far: {@link #callerFailure} is the one
 * place that wraps, and the router passes every failure of a streaming request through it. The
 * attempt's future completes with the accumulated response when the provider reports the stream's
 * end.
 *
 * <p>Two kinds of chunk are held back rather than committing the stream: chunks that say nothing
 * but the role (OpenAI's first chunk), until a chunk with content follows; and, when the first
 * chunk with content is a {@link FinishReason#CONTENT_FILTER content-filter} finish, the rest of the
 * stream, so that the router can send the filtered answer to the content-policy fallback as it
 * does for a completion. Held chunks reach the caller when the router accepts the answer
 * ({@link #release}).
 *
 * <p>One instance per request (it holds the caller's consumer and the attempt that reached the
 * caller, if any).
 */
final class StreamOperation implements Operation<ChatRequest, ChatResponse>, ChunkPuller {

    private final Consumer<ChatChunk> downstream;
    /** The thread that reads the stream with {@link #pull()}, or null when chunks are pushed to the consumer. */
    private final Thread caller;
    /** The pulled attempt whose chunks reached the caller, read by {@link #pull()}; null if none. */
    private volatile Attempt pulling;
    /** Set once the request has ended: no stream may be pulled any more. */
    private volatile boolean ended;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Duration firstTokenTimeout;
    private final Duration idleTimeout;
    private final Duration requestFirstTokenTimeout;
    private final Duration requestIdleTimeout;
    /** The attempt whose chunks reached the caller (set by the first one); from then on nothing is retried. */
    private volatile Attempt committed;
    /** The attempt in flight (attempts run one after another). */
    private volatile Attempt current;
    /** The request, when a listener wants its first-token and stream-end events; else null. */
    private volatile RequestExecution<?, ?> observer;
    /** The rules that check each chunk and the attempt they check it for, set before each such attempt opens. */
    private volatile RequestControls chunkRules;
    private volatile AttemptContext chunkAttempt;

    /**
     * @param downstream the caller's consumer
     * @param scheduler the router's scheduler
     * @param clock the router's clock
     * @param firstTokenTimeout the router's default time to first chunk
     * @param idleTimeout the router's default quiet gap
     * @param requestFirstTokenTimeout the request's override, or null
     * @param requestIdleTimeout the request's override, or null
     */
    StreamOperation(Consumer<ChatChunk> downstream, ScheduledExecutorService scheduler, Clock clock,
            Duration firstTokenTimeout, Duration idleTimeout, Duration requestFirstTokenTimeout,
            Duration requestIdleTimeout) {
        this(downstream, null, scheduler, clock, firstTokenTimeout, idleTimeout, requestFirstTokenTimeout,
                requestIdleTimeout);
    }

    /**
     * A stream read by a blocking reader: an attempt that starts on {@code caller}'s thread, on a
     * provider with its own {@link Provider#openStream}, is opened and read there (its first chunk
     * within this call, the rest through {@link #pull()}); other attempts are pushed as usual.
     *
     * @param downstream the caller's consumer
     * @param caller the thread that opens the stream and reads it, or null to push every attempt
     * @param scheduler the router's scheduler
     * @param clock the router's clock
     * @param firstTokenTimeout the router's default time to first chunk
     * @param idleTimeout the router's default quiet gap
     * @param requestFirstTokenTimeout the request's override, or null
     * @param requestIdleTimeout the request's override, or null
     */
    StreamOperation(Consumer<ChatChunk> downstream, Thread caller, ScheduledExecutorService scheduler, Clock clock,
            Duration firstTokenTimeout, Duration idleTimeout, Duration requestFirstTokenTimeout,
            Duration requestIdleTimeout) {
        this.downstream = downstream;
        this.caller = caller;
        this.scheduler = scheduler;
        this.clock = clock;
        this.firstTokenTimeout = firstTokenTimeout;
        this.idleTimeout = idleTimeout;
        this.requestFirstTokenTimeout = requestFirstTokenTimeout;
        this.requestIdleTimeout = requestIdleTimeout;
    }

    /** Sends the first-token and stream-end events to {@code execution}'s listeners. */
    void observe(RequestExecution<?, ?> execution) {
        observer = execution;
    }

    /** Has the next attempt's chunks checked by {@code controls}' chunk rules, for {@code attempt}. */
    void checkChunks(RequestControls controls, AttemptContext attempt) {
        chunkRules = controls;
        chunkAttempt = attempt;
    }

    /** Replays an interceptor's answer to the caller. */
    @Override
    public void deliver(ChatResponse answer) {
        replay(answer);
    }

    @Override
    public boolean mayRecover() {
        return committed == null;
    }

    /**
     * {@code failure} as the caller must see it: once a chunk has reached the caller, a
     * {@link StreamInterruptedException} with the text and chunk count delivered, whatever the
     * failure (already such an exception: unchanged); before that, {@code failure} itself.
     */
    @Override
    public LlmRouterException callerFailure(LlmRouterException failure) {
        Attempt a = committed;
        return a == null ? failure : a.interrupted(failure);
    }

    /** Delivers the chunks the accepted attempt held back (a role-only chunk, a filtered answer). */
    @Override
    public void release() {
        Attempt a = current;
        if (a != null) {
            a.flush();
        }
    }

    @Override
    public CompletableFuture<ChatResponse> call(DeploymentState state, ChatRequest request) {
        Duration ttft = requestFirstTokenTimeout != null ? requestFirstTokenTimeout
                : state.deployment().firstTokenTimeout().orElse(firstTokenTimeout);
        Duration idle = requestIdleTimeout != null ? requestIdleTimeout
                : state.deployment().streamIdleTimeout().orElse(idleTimeout);
        return open(state.provider(), request, state.endpoint(), ttft, idle, state);
    }

    @Override
    public CompletableFuture<ChatResponse> call(Provider provider, ChatRequest request, Endpoint endpoint) {
        return open(provider, request, endpoint, firstTokenTimeout, idleTimeout, null);
    }

    private CompletableFuture<ChatResponse> open(Provider provider, ChatRequest request, Endpoint endpoint,
            Duration ttft, Duration idle, DeploymentState state) {
        ChatRequest.Builder b = request.toBuilder().model(endpoint.providerModel()).stream(true);
        if (request.streamOptions().isEmpty()) {
            b.streamOptions(StreamOptions.includeUsage(true));
        }
        Attempt attempt = new Attempt(endpoint, ttft, idle, state, chunkRules, chunkAttempt);
        chunkRules = null;
        chunkAttempt = null;
        current = attempt;
        if (caller != null && Thread.currentThread() == caller && hasOwnPull(provider)) {
            CallCancellation signal = CallCancellation.create();
            attempt.handle = () -> {
                signal.cancel();
                ChunkSource source = attempt.source;
                if (source != null) {
                    source.close(); // also for an adapter that did not register with the signal
                }
            };
            attempt.pulled = true;
            if (ended) {
                signal.cancel(); // the request ended while this attempt was being set up
            }
            openPulled(attempt, provider, ProviderCall.of(b.build(), endpoint, signal));
        } else {
            try {
                attempt.handle = provider.streamAsync(ProviderCall.of(b.build(), endpoint), attempt);
            } catch (RuntimeException e) {
                attempt.onError(e);
            }
        }
        attempt.result.whenComplete((r, e) -> attempt.stop());
        return attempt.result;
    }

    /**
     * Opens {@code attempt}'s stream on this (the caller's) thread and reads it until a chunk has
     * reached the caller or the attempt has ended (so a failure before the first chunk is an
     * ordinary attempt failure, retried as a pushed stream's); the reader pulls the rest.
     */
    private void openPulled(Attempt attempt, Provider provider, ProviderCall call) {
        try {
            attempt.source = provider.openStream(call);
        } catch (RuntimeException e) {
            attempt.onError(e);
            return;
        }
        while (attempt.delivered.get() == 0 && attempt.pullOnce()) {
            // until the first chunk reaches the caller (held chunks do not)
        }
        if (!attempt.result.isDone()) {
            pulling = attempt;
        }
    }

    @Override
    public boolean pull() {
        Attempt a = pulling;
        if (a == null) {
            return false;
        }
        if (!a.pullOnce()) {
            pulling = null;
        }
        return true;
    }

    /** Ends the request's pulled stream, if any (deadline, close): a reader blocked in it wakes. */
    @Override
    public void cancelRunningCall() {
        ended = true;
        Attempt a = current;
        if (a != null && a.pulled) {
            a.handle.cancel();
        }
    }

    private static final ClassValue<Boolean> OWN_PULL = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            try {
                return type.getMethod("openStream", ProviderCall.class).getDeclaringClass() != Provider.class;
            } catch (NoSuchMethodException e) {
                return false;
            }
        }
    };

    /** Whether the provider reads its own stream on the caller's thread (not the default's queue over the push stream). */
    static boolean hasOwnPull(Provider provider) {
        return OWN_PULL.get(provider.getClass());
    }

    @Override
    public ChatResponse finish(ChatResponse response, Cost cost, RoutingInfo routing) {
        return response.toBuilder().cost(cost).routing(routing).build();
    }

    /**
     * Replays a cached answer to the caller as a provider stream would send it: per choice, a
     * chunk with the role and the content (text, refusal, reasoning, tool calls), then one with
     * the finish reason; last, a chunk with the usage.
     *
     * @throws LlmRouterException when the caller's consumer throws
     */
    void replay(ChatResponse response) {
        String id = response.id();
        String model = response.model();
        List<ChatChunk> chunks = new ArrayList<>(response.choices().size() * 2 + 1);
        for (io.llmrouter.api.chat.Choice c : response.choices()) {
            io.llmrouter.api.chat.Message m = c.message();
            ChatChunk.Builder content = ChatChunk.builder(id, model).choiceIndex(c.index()).role("assistant");
            if (!m.text().isEmpty()) {
                content.text(m.text());
            }
            m.refusal().ifPresent(content::refusal);
            m.reasoningContent().ifPresent(content::reasoning);
            for (int i = 0; i < m.toolCalls().size(); i++) {
                io.llmrouter.api.chat.ToolCall t = m.toolCalls().get(i);
                content.addToolCall(io.llmrouter.api.chat.ToolCallDelta.of(i, t.id(), t.name(), t.arguments()));
            }
            chunks.add(content.build());
            chunks.add(ChatChunk.builder(id, model).choiceIndex(c.index()).finishReason(c.finishReason())
                    .rawFinishReason(c.rawFinishReason()).build());
        }
        response.usage().ifPresent(u -> chunks.add(ChatChunk.builder(id, model).usage(u).build()));
        for (ChatChunk c : chunks) {
            try {
                downstream.accept(c);
            } catch (RuntimeException e) {
                throw new LlmRouterException("the stream's consumer threw " + e.getClass().getName(),
                        ErrorContext.builder().model(model).build(), e);
            }
        }
    }

    /**
     * Sends a whole answer (a degraded answer) to the caller as one chunk per choice, with the
     * role, the text and the finish reason.
     *
     * @throws LlmRouterException when the caller's consumer throws
     */
    void deliverWhole(ChatResponse response) {
        for (io.llmrouter.api.chat.Choice c : response.choices()) {
            ChatChunk.Builder chunk = ChatChunk.builder(response.id(), response.model()).choiceIndex(c.index())
                    .role("assistant").finishReason(c.finishReason()).rawFinishReason(c.rawFinishReason());
            if (!c.message().text().isEmpty()) {
                chunk.text(c.message().text());
            }
            try {
                downstream.accept(chunk.build());
            } catch (RuntimeException e) {
                throw new LlmRouterException("the stream's consumer threw " + e.getClass().getName(),
                        ErrorContext.builder().model(response.model()).build(), e);
            }
        }
    }

    /** One provider stream: the sink, its timers and its accumulator. Events arrive in order on one thread. */
    private final class Attempt implements ChunkSink {
        final CompletableFuture<ChatResponse> result = new CompletableFuture<>();
        final ChatStreamAccumulator accumulator = new ChatStreamAccumulator();
        final Endpoint endpoint;
        final Duration idle;
        final DeploymentState state;
        final long startMillis = clock.instant().toEpochMilli();
        volatile StreamHandle handle = StreamHandle.NONE;
        /** Read on the caller's thread from {@link #source}; else pushed by the provider. */
        boolean pulled;
        /** The pulled stream; null when pushed (or not open yet). */
        volatile ChunkSource source;
        private final long ttftMillis;
        private volatile ScheduledFuture<?> firstTokenTimer;
        private volatile ScheduledFuture<?> idleTimer;
        /** When the last chunk arrived (router clock); the idle timer compares against it. */
        private volatile long lastChunkMillis;
        /** Chunks received but not yet passed to the caller; guarded by this attempt's lock. */
        private final List<ChatChunk> held = new ArrayList<>(2);
        /**
         * Chunks passed to the caller. Once one was, no chunk is ever held again (a chunk is held only
         * before the first delivery), so later chunks go straight through without the lock.
         */
        private final AtomicInteger delivered = new AtomicInteger();
        /** A content-filter finish came before any content: hold the rest for the router to decide. */
        private boolean holdAll;
        /** The response rules that check each chunk, and their attempt; null when none does. */
        private final RequestControls rules;
        private final AttemptContext ruleAttempt;

        Attempt(Endpoint endpoint, Duration ttft, Duration idle, DeploymentState state, RequestControls rules,
                AttemptContext ruleAttempt) {
            this.endpoint = endpoint;
            this.idle = idle;
            this.state = state;
            this.rules = rules;
            this.ruleAttempt = ruleAttempt;
            this.ttftMillis = ttft.toMillis();
            this.firstTokenTimer = scheduler.schedule(() -> {
                if (accumulator.chunkCount() == 0) {
                    fail(new RequestTimeoutException("deployment '" + endpoint.deploymentId()
                            + "' sent no first token within " + ttft, context()));
                } else if (idleTimer == firstTokenTimer) {
                    checkIdle(); // kept at the first chunk to watch the first quiet period
                }
            }, ttft.toNanos(), TimeUnit.NANOSECONDS);
        }

        private ErrorContext context() {
            String route = endpoint.providerRoute();
            return ErrorContext.builder().provider(route.substring(0, route.indexOf('/')))
                    .deploymentId(endpoint.deploymentId()).model(endpoint.providerModel()).build();
        }

        @Override
        public void onChunk(ChatChunk chunk) {
            if (result.isDone()) {
                return;
            }
            if (accumulator.chunkCount() == 0) {
                long now = clock.millis();
                lastChunkMillis = now;
                ScheduledFuture<?> ttftTimer = firstTokenTimer;
                if (ttftTimer != null && !ttftTimer.isDone() && startMillis + ttftMillis <= now + idle.toMillis()) {
                    // It fires within the first quiet period: it checks the gap then (with the default
                    // timeouts, one timer per stream instead of a cancel and a second schedule).
                    idleTimer = ttftTimer;
                } else {
                    cancel(ttftTimer);
                }
                if (state != null) {
                    Duration ttft = Duration.ofMillis(clock.instant().toEpochMilli() - startMillis);
                    state.recordFirstToken(ttft.toNanos());
                    RequestExecution<?, ?> x = observer;
                    if (x != null) {
                        x.notifyCall(l -> l.onFirstToken(x.call, state.id(), ttft));
                    }
                }
            }
            accumulator.add(chunk);
            if (rules != null) {
                // Before the caller sees the chunk: a rejection ends this attempt (retried when nothing reached the caller).
                LlmRouterException rejected = rules.checkChunk(ruleAttempt, chunk, accumulator.text(), context());
                if (rejected != null) {
                    fail(rejected);
                    return;
                }
            }
            lastChunkMillis = clock.millis();
            if (idleTimer == null) {
                armIdleTimer(idle.toNanos());
            }
            if (delivered.get() == 0) {
                synchronized (this) {
                    if (holdAll || holdsBack(chunk)) {
                        held.add(chunk);
                        return;
                    }
                }
                flush();
            }
            deliver(chunk);
        }

        /**
         * Whether a chunk before any content is held back: it says nothing but the role, or it is
         * a content-filter finish (then the rest of the stream is held too).
         */
        private boolean holdsBack(ChatChunk chunk) {
            if (chunk.finishReason().filter(FinishReason.CONTENT_FILTER::equals).isPresent()) {
                holdAll = true;
                return true;
            }
            return chunk.text().isEmpty() && chunk.refusal().isEmpty() && chunk.toolCalls().isEmpty()
                    && chunk.finishReason().isEmpty() && chunk.usage().isEmpty();
        }

        /**
         * Reads the pulled stream's next event on this thread and handles it as a pushed one.
         *
         * @return whether the attempt goes on (false once it has ended, whatever ended it)
         */
        boolean pullOnce() {
            if (result.isDone()) {
                return false;
            }
            Optional<ChatChunk> chunk;
            try {
                chunk = source.next();
            } catch (RuntimeException e) {
                onError(e);
                return false;
            }
            if (chunk.isPresent()) {
                onChunk(chunk.get());
                return !result.isDone();
            }
            onComplete();
            return false;
        }

        /** Passes the held chunks to the caller, in order. */
        void flush() {
            List<ChatChunk> out;
            synchronized (this) {
                if (held.isEmpty()) {
                    return;
                }
                out = List.copyOf(held);
                held.clear();
                holdAll = false;
            }
            for (ChatChunk c : out) {
                deliver(c);
            }
        }

        private void deliver(ChatChunk chunk) {
            // One delivering thread at a time (chunks arrive in order; held chunks are flushed by the
            // thread that holds the stream's end): an ordered store, not an atomic increment per chunk.
            int count = delivered.get();
            delivered.lazySet(count + 1);
            if (count == 0) {
                committed = this;
            }
            try {
                downstream.accept(chunk);
            } catch (RuntimeException e) {
                LlmRouterException failure = new LlmRouterException("the stream's consumer threw "
                        + e.getClass().getName(), context(), e);
                if (result.isDone()) {
                    throw interrupted(failure); // delivering an accepted answer's held chunks
                }
                fail(failure);
            }
        }

        /** {@code error} as the caller sees it after this attempt's chunks reached it. */
        LlmRouterException interrupted(Throwable error) {
            Throwable cause = Futures.unwrap(error);
            if (cause instanceof StreamInterruptedException sie) {
                return sie;
            }
            int count = delivered.get();
            String what = cause instanceof LlmRouterException lre ? lre.getMessage() : String.valueOf(cause);
            return new StreamInterruptedException("stream interrupted after " + count + " chunk(s): " + what,
                    context(), accumulator.text(), count, cause);
        }

        /**
         * One timer per quiet period, not one per chunk: when it fires it checks how long the
         * stream has really been quiet and either fails it or re-arms for the rest of the period.
         * (Scheduling a timer per chunk woke the scheduler thread for every chunk.)
         */
        private void armIdleTimer(long delayNanos) {
            idleTimer = scheduler.schedule(this::checkIdle, delayNanos, TimeUnit.NANOSECONDS);
        }

        private void checkIdle() {
            if (result.isDone()) {
                return;
            }
            long quietMillis = clock.millis() - lastChunkMillis;
            long idleMillis = idle.toMillis();
            if (quietMillis >= idleMillis) {
                fail(new RequestTimeoutException("stream from deployment '" + endpoint.deploymentId()
                        + "' stalled for " + idle + " after " + accumulator.chunkCount() + " chunk(s)", context()));
            } else {
                armIdleTimer(TimeUnit.MILLISECONDS.toNanos(idleMillis - quietMillis));
            }
        }

        @Override
        public void onComplete() {
            if (accumulator.chunkCount() == 0) {
                onError(new InvalidProviderResponseException("the stream ended without any chunk", context()));
                return;
            }
            if (!result.isDone()) {
                streamEnded();
            }
            result.complete(accumulator.toResponse());
        }

        @Override
        public void onError(Throwable error) {
            fail(error);
        }

        private void fail(Throwable error) {
            if (result.isDone()) {
                return;
            }
            if (!pulled) {
                handle.cancel();
            }
            if (committed == this) {
                streamEnded();
            }
            result.completeExceptionally(committed == this ? interrupted(error) : error);
            if (pulled) {
                // After: the reader this wakes (blocked in the source) finds the attempt failed with this error.
                handle.cancel();
            }
        }

        /** Tells the listeners that this stream, which sent chunks, ended (before the attempt settles). */
        private void streamEnded() {
            RequestExecution<?, ?> x = observer;
            if (x != null && state != null) {
                Duration took = Duration.ofMillis(Math.max(0, clock.millis() - startMillis));
                int chunks = accumulator.chunkCount();
                x.notifyCall(l -> l.onStreamEnd(x.call, state.id(), chunks, took));
            }
        }

        void stop() {
            cancel(firstTokenTimer);
            cancel(idleTimer);
            if (result.isCancelled()) {
                handle.cancel();
            }
        }

        private void cancel(ScheduledFuture<?> timer) {
            if (timer != null) {
                timer.cancel(false);
            }
        }
    }
}
