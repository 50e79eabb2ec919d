package io.llmrouter.providers.internal;

import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.RequestCancelledException;
import io.llmrouter.spi.CallCancellation;
import io.llmrouter.spi.ChunkSink;
import io.llmrouter.spi.ChunkSource;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import okhttp3.Call;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A provider stream read on the caller's thread ({@link io.llmrouter.spi.Provider#openStream}):
 * {@link #open} sends the request with OkHttp's synchronous {@code execute()} on the calling
 * thread and maps a non-2xx answer as the push-style stream does; each {@link #next()} has the
 * adapter's {@link EventReader} read one server-sent event on the calling thread, its chunks
 * collected through a {@link SinkGate} (the same reader and the same end-of-stream rule as the
 * push-style stream). No thread hand-off anywhere.
 *
 * <p>Cancellation: {@link #close()} or the call's {@link CallCancellation}, from any thread,
 * cancels the OkHttp call; a read blocked at that moment fails, and {@link #next()} throws a
 * {@link RequestCancelledException}. The response is released exactly once, by whichever of the
 * reader and the closer holds it last (never while a read is running on another thread).
 *
 * <p>Use: {@code PullHttpStream s = new PullHttpStream(...)}; build the adapter's reader on
 * {@link #gate()}; then {@link #open}. Reading is single-threaded.
 */
public final class PullHttpStream implements ChunkSource, ChunkSink {

    private static final Logger log = LoggerFactory.getLogger(PullHttpStream.class);

    private static final int IDLE = 0;
    private static final int READING = 1;
    private static final int CLOSED = 2;

    /** Reads a 2xx stream one event at a time, on the reader's thread. */
    public interface EventReader {
        /**
         * Starts reading the 2xx body.
         *
         * @param body the body (released by the stream)
         * @param headers the answer's headers
         */
        void start(ResponseBody body, Headers headers);

        /**
         * Reads the next event and tells the gate what it says (chunks, the end, a failure).
         *
         * @return false once the stream has ended (the gate heard its end or was closed)
         */
        boolean step();
    }

    private final SinkGate gate = new SinkGate(this);
    private final ArrayDeque<ChatChunk> pending = new ArrayDeque<>(4);
    private final String provider;
    private final CallCancellation cancellation;
    private final ErrorContext context;
    /** {@link #IDLE}, {@link #READING} (a read runs on the reader's thread) or {@link #CLOSED}. */
    private final AtomicInteger state = new AtomicInteger(IDLE);
    private volatile Call call;
    private Response response;
    private EventReader reader;
    private boolean ended;
    private RuntimeException failure;

    /**
     * @param provider the provider's name, for messages
     * @param cancellation the call's cancellation signal
     * @param context the call's error context
     */
    public PullHttpStream(String provider, CallCancellation cancellation, ErrorContext context) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.cancellation = Objects.requireNonNull(cancellation, "cancellation");
        this.context = Objects.requireNonNull(context, "context");
    }

    /** The gate the adapter's reader tells the stream's events to. */
    public SinkGate gate() {
        return gate;
    }

    /**
     * Sends the request on the calling thread and starts {@code events} on a 2xx body.
     *
     * @param client the client
     * @param request the request
     * @param timeout the whole stream's time limit
     * @param maxBytes the most bytes of a non-2xx body read
     * @param events reads the 2xx body, built on {@link #gate()}
     * @param onError maps a non-2xx answer to its typed failure
     * @param onFailure maps a transport failure to its typed failure
     * @return this stream, open
     * @throws LlmRouterException the mapped failure; a {@link RequestCancelledException} when
     *     cancelled or interrupted
     */
    public PullHttpStream open(OkHttpClient client, Request request, Duration timeout, long maxBytes,
            EventReader events, Function<HttpExchange, ? extends RuntimeException> onError,
            Function<IOException, ? extends RuntimeException> onFailure) {
        if (Thread.currentThread().isInterrupted()) {
            throw new RequestCancelledException(provider + ": interrupted before sending the request", context, null);
        }
        Call c = client.newCall(request);
        if (timeout.compareTo(AsyncHttpCall.LONGEST_TIMEOUT) <= 0) {
            c.timeout().timeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
            WatchdogPacer.touch();
        }
        call = c;
        cancellation.onCancel(this::close);
        long start = System.nanoTime();
        Response r;
        try {
            r = c.execute();
        } catch (IOException e) {
            throw failure(e, onFailure);
        }
        try {
            ResponseBody body = r.body();
            if (log.isDebugEnabled()) {
                log.debug("{} {} -> {} (stream, pulled) after {} ms", request.method(),
                        Redaction.url(request.url().toString()), r.code(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            }
            if (!r.isSuccessful() || body == null) {
                HttpExchange exchange;
                try {
                    exchange = AsyncHttpCall.exchange(r, body, start, maxBytes);
                } catch (IOException e) {
                    throw failure(e, onFailure);
                }
                throw onError.apply(exchange);
            }
            events.start(body, r.headers());
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
        response = r;
        reader = events;
        if (!state.compareAndSet(IDLE, IDLE)) {
            release(); // closed while the request was sent
        }
        return this;
    }

    private RuntimeException failure(IOException e, Function<IOException, ? extends RuntimeException> onFailure) {
        if (Thread.currentThread().isInterrupted()) {
            return new RequestCancelledException(provider + ": interrupted while waiting for the answer", context, e);
        }
        if (state.get() == CLOSED || cancellation.isCancelled()) {
            return new RequestCancelledException(provider + ": the stream was closed", context, e);
        }
        return onFailure.apply(e);
    }

    @Override
    public Optional<ChatChunk> next() {
        while (true) {
            ChatChunk chunk = pending.poll();
            if (chunk != null) {
                return Optional.of(chunk);
            }
            if (failure != null) {
                finish();
                throw failure;
            }
            if (ended) {
                finish();
                return Optional.empty();
            }
            if (!state.compareAndSet(IDLE, READING)) {
                throw cancelled(); // closed: the closer released the response
            }
            boolean more;
            try {
                more = reader.step();
            } catch (RuntimeException e) {
                if (state.compareAndSet(READING, CLOSED)) {
                    release();
                }
                throw e;
            }
            if (!state.compareAndSet(READING, IDLE)) {
                release(); // closed during the read: the closer left the response to this thread
                throw cancelled();
            }
            if (!more && !ended && failure == null && pending.isEmpty()) {
                finish();
                throw cancelled();
            }
        }
    }

    private RequestCancelledException cancelled() {
        return new RequestCancelledException(provider + ": the stream was closed", context, null);
    }

    /** The stream has ended on the reader's thread: release the response unless a closer did. */
    private void finish() {
        if (state.compareAndSet(IDLE, CLOSED)) {
            release();
        }
    }

    private void release() {
        Response r = response;
        if (r != null) {
            response = null;
            r.close();
        }
    }

    @Override
    public void close() {
        gate.cancel();
        int was = state.getAndSet(CLOSED);
        if (was == CLOSED) {
            return;
        }
        Call c = call;
        if (c != null) {
            c.cancel();
        }
        if (was == IDLE) {
            release(); // no read runs; the reader will not touch the response again
        }
    }

    // ------------------------------------------------------------------------------ the gate's sink

    /** From the reader, on the reading thread. */
    @Override
    public void onChunk(ChatChunk chunk) {
        pending.add(chunk);
    }

    /** From the reader, on the reading thread. */
    @Override
    public void onComplete() {
        ended = true;
    }

    /** From the reader, on the reading thread. */
    @Override
    public void onError(Throwable error) {
        if (Thread.currentThread().isInterrupted()) {
            failure = new RequestCancelledException(provider + ": interrupted while reading the stream", context,
                    error);
        } else if (error instanceof RuntimeException re) {
            failure = re;
        } else {
            failure = new LlmRouterException(provider + ": the stream failed", context, error);
        }
    }
}
