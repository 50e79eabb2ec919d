package io.llmrouter.providers.gemini.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.internal.OpenAiJsonCodec;
import io.llmrouter.providers.internal.AsyncHttpCall;
import io.llmrouter.providers.internal.HttpExchange;
import io.llmrouter.providers.internal.JsonHttp;
import io.llmrouter.providers.internal.PullHttpStream;
import io.llmrouter.providers.internal.Redaction;
import io.llmrouter.providers.internal.SinkGate;
import io.llmrouter.providers.internal.SseEvent;
import io.llmrouter.providers.internal.SseEventReader;
import io.llmrouter.spi.ChunkSink;
import io.llmrouter.spi.StreamHandle;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import okhttp3.Headers;
import okhttp3.Request;
import okhttp3.ResponseBody;
import org.slf4j.Logger;

/**
 * One {@code streamGenerateContent?alt=sse} stream, for every host of the Gemini format (Google AI
 * Studio and Vertex AI): reads its events into the sink and makes sure the sink hears at most one
 * of {@code onComplete} / {@code onError}, and nothing after it or after the handle's cancel.
 *
 * <p>Gemini's stream has no terminator: a body that ends before every candidate has its
 * {@code finishReason} is an {@link io.llmrouter.api.exception.InvalidProviderResponseException};
 * an error envelope inside the stream is mapped by {@link GeminiErrorMapper#streamError}.
 *
 * <p>Two drivers, one translation: {@link #open} reads the whole body on the OkHttp thread
 * (push-style), {@link #pull} one event per {@link io.llmrouter.spi.ChunkSource#next()} on the
 * reader's thread (pull-style, through a {@link PullHttpStream}); both run {@link #step()}.
 */
public final class GeminiSseStream implements AsyncHttpCall.BodyReader, PullHttpStream.EventReader {
    private final SinkGate gate;
    private final String modelId;
    private final Secret key;
    private final long maxEventBytes;
    private final GeminiErrorMapper errors;
    private final JsonHttp http;
    private final Supplier<RandomGenerator> random;
    private final Logger log;
    private ErrorContext context;
    private GeminiStreamReader reader;
    private SseEventReader events;

    private GeminiSseStream(SinkGate gate, String modelId, ErrorContext context, Secret key, long maxEventBytes,
            GeminiErrorMapper errors, JsonHttp http, Supplier<RandomGenerator> random, Logger log) {
        this.gate = gate;
        this.modelId = modelId;
        this.context = context;
        this.key = key;
        this.maxEventBytes = maxEventBytes;
        this.errors = errors;
        this.http = http;
        this.random = random;
        this.log = log;
    }

    /**
     * Sends {@code request} and streams its answer into {@code sink}.
     *
     * @param http the adapter's HTTP plumbing (client, error mapping of a refused stream)
     * @param errors the adapter's Gemini error mapper (events, transport failures)
     * @param request the {@code streamGenerateContent} request
     * @param timeout the whole stream's limit
     * @param maxBytes the most bytes of the body
     * @param maxEventBytes the most bytes of one event
     * @param sink receives the chunks and the terminal event
     * @param modelId the model named in the chunks
     * @param context the call's context
     * @param key the credential sent, for redaction, or null
     * @param random the source of generated ids, asked on the reading thread
     * @param log the adapter's logger, for TRACE lines
     * @return a handle whose {@code cancel()} silences the sink and closes the connection
     */
    public static StreamHandle open(JsonHttp http, GeminiErrorMapper errors, Request request, Duration timeout,
            long maxBytes, long maxEventBytes, ChunkSink sink, String modelId, ErrorContext context, Secret key,
            Supplier<RandomGenerator> random, Logger log) {
        SinkGate gate = new SinkGate(sink);
        GeminiSseStream stream = new GeminiSseStream(gate, modelId, context, key, maxEventBytes, errors, http, random,
                log);
        StreamHandle handle = AsyncHttpCall.stream(http.client(), request, timeout, maxBytes, stream,
                stream::httpError, stream::transportFailure);
        return () -> {
            gate.cancel();
            handle.cancel();
        };
    }

    /**
     * Sends {@code request} on the calling thread and returns the stream, each event of which is
     * read by the thread that pulls it: the same chunks and failures as {@link #open}, thrown
     * instead of reported (an HTTP error or a connection failure from here).
     *
     * @param http the adapter's HTTP plumbing (client, error mapping of a refused stream)
     * @param errors the adapter's Gemini error mapper (events, transport failures)
     * @param stream the pull-style stream to open, whose gate hears the events
     * @param request the {@code streamGenerateContent} request
     * @param timeout the whole stream's limit
     * @param maxBytes the most bytes of a body that is not a stream
     * @param maxEventBytes the most bytes of one event
     * @param modelId the model named in the chunks
     * @param context the call's context
     * @param key the credential sent, for redaction, or null
     * @param random the source of generated ids, asked on the reading thread
     * @param log the adapter's logger, for TRACE lines
     * @return {@code stream}, open
     * @throws LlmRouterException when the stream cannot be opened
     */
    public static PullHttpStream pull(JsonHttp http, GeminiErrorMapper errors, PullHttpStream stream,
            Request request, Duration timeout, long maxBytes, long maxEventBytes, String modelId, ErrorContext context,
            Secret key, Supplier<RandomGenerator> random, Logger log) {
        GeminiSseStream events = new GeminiSseStream(stream.gate(), modelId, context, key, maxEventBytes, errors,
                http, random, log);
        return stream.open(http.client(), request, timeout, maxBytes, events,
                exchange -> http.streamRefused(exchange, context, key), e -> errors.transportFailure(e, context));
    }

    /** Reads a 2xx body to its end, on the OkHttp thread (push-style). */
    @Override
    public void read(ResponseBody body, Headers headers) {
        start(body, headers);
        while (step()) {
            // one event per step
        }
    }

    /** Starts reading a 2xx body, on the reading thread. */
    @Override
    public void start(ResponseBody body, Headers headers) {
        context = errors.streamContext(context, headers, key);
        // created here: ThreadLocalRandom must be drawn from on the thread that uses it
        reader = new GeminiStreamReader(modelId, random.get());
        events = new SseEventReader(body.source(), maxEventBytes);
    }

    /**
     * Reads and handles the next event (at the body's end, the end-of-stream rule); the outcome
     * goes to the gate, a read failure as its typed failure.
     *
     * @return false once the stream has ended, failed or been closed
     */
    @Override
    public boolean step() {
        if (gate.isClosed()) {
            return false;
        }
        SseEvent event;
        try {
            event = events.next();
        } catch (IOException e) {
            // Reported here rather than thrown to AsyncHttpCall, which would drop it once cancelled;
            // after our own cancel the gate is closed and this is dropped too.
            transportFailure(e);
            return false;
        }
        if (event == null) {
            ended();
            return false;
        }
        if (gate.isClosed()) {
            return false;
        }
        int number = reader.events() + 1;
        if (log.isTraceEnabled()) {
            log.trace("{} stream event {}: {}", context.deploymentId().orElse("?"), number,
                    Redaction.shorten(Redaction.text(event.data(), key), JsonHttp.MAX_TRACE_BODY));
        }
        List<ChatChunk> chunks;
        try {
            JsonNode tree = OpenAiJsonCodec.parse(event.data());
            if (GeminiStreamReader.isError(tree)) {
                fail(errors.streamError(tree, context, key));
                return false;
            }
            chunks = reader.read(tree);
        } catch (IllegalArgumentException e) {
            fail(errors.invalidStream("event " + number + ": " + e.getMessage(), event.data(), context, key, e));
            return false;
        }
        for (ChatChunk chunk : chunks) {
            if (!deliver(chunk)) {
                return false;
            }
        }
        return true;
    }

    /** The body has ended: complete, with the usage chunk, when every candidate has finished. */
    private void ended() {
        if (gate.isClosed()) {
            return;
        }
        if (!reader.isFinished()) {
            fail(errors.invalidStream("the stream ended before a finishReason (after " + reader.events()
                    + " event(s))", null, context, key, null));
            return;
        }
        Optional<ChatChunk> usage = reader.usageChunk();
        if (usage.isPresent() && !deliver(usage.get())) {
            return;
        }
        gate.onComplete();
    }

    /** Hands a chunk to the sink; false when the stream is over (closed, or the sink threw). */
    private boolean deliver(ChatChunk chunk) {
        if (gate.isClosed()) {
            return false;
        }
        try {
            gate.onChunk(chunk);
            return true;
        } catch (RuntimeException e) {
            fail(new LlmRouterException(context.provider().orElse("") + ": the chunk sink threw "
                    + e.getClass().getName(), context, e));
            return false;
        }
    }

    private void httpError(HttpExchange exchange) {
        fail(http.streamRefused(exchange, context, key));
    }

    private void transportFailure(IOException e) {
        fail(errors.transportFailure(e, context));
    }

    private void fail(LlmRouterException error) {
        gate.onError(error);
    }
}
