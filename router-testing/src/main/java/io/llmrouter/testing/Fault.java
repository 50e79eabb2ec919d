package io.llmrouter.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a {@link FaultServer} does with one call: answer, fail with an HTTP error in the vendor's
 * wire format, or misbehave at the transport level. Faults are values; a server's script is a
 * list of them, one per call.
 *
 * <pre>{@code
 * FaultServer upstream = FaultServer.openAi()
 *     .then(Fault.status(503)).times(3)          // the first three calls fail with 503
 *     .then(Fault.ok("hi"))                      // then every call answers "hi"
 *     .start();
 * }</pre>
 *
 * <p>What the client sees for each fault, through the bundled OpenAI adapter (Anthropic: the same
 * unless said):
 *
 * <table>
 * <caption>Faults and the typed exception they give</caption>
 * <tr><th>fault</th><th>wire</th><th>exception</th></tr>
 * <tr><td>{@link #ok(String)}</td><td>200, a chat.completion (Anthropic: a message) with usage</td><td>none</td></tr>
 * <tr><td>{@link #rateLimited()}</td><td>429, no retry-after</td><td>{@code RateLimitException}</td></tr>
 * <tr><td>{@link #rateLimited(Duration)}</td><td>429, {@code retry-after} (whole seconds, rounded up) and, OpenAI only, {@code retry-after-ms}</td><td>{@code RateLimitException} with {@code retryAfter()}</td></tr>
 * <tr><td>{@link #status(int)}</td><td>that status with the vendor's error envelope</td><td>as the adapter maps the status (500/502 {@code ProviderServerException}, 503/529 {@code ServiceUnavailableException}, ...)</td></tr>
 * <tr><td>{@link #overloaded()}</td><td>529 ({@code overloaded_error})</td><td>{@code ServiceUnavailableException}</td></tr>
 * <tr><td>{@link #htmlPage(int)}</td><td>that status with a proxy's HTML page</td><td>by status; a 200 HTML page: {@code InvalidProviderResponseException}</td></tr>
 * <tr><td>{@link #malformedJson()}</td><td>200, a complete HTTP answer whose JSON is cut in half</td><td>{@code InvalidProviderResponseException}</td></tr>
 * <tr><td>{@link #truncatedBody()}</td><td>200 with a {@code Content-Length} longer than the bytes sent, then the connection closes</td><td>{@code ProviderConnectionException} (the body read fails)</td></tr>
 * <tr><td>{@link #connectionReset()}</td><td>the request is read, then the connection closes before any response byte</td><td>{@code ProviderConnectionException} ("unexpected end of stream")</td></tr>
 * <tr><td>{@link #noAnswer()}</td><td>the request is read and never answered, until the server closes</td><td>{@code RequestTimeoutException} at the call's timeout or the request's deadline</td></tr>
 * <tr><td>{@link #contextLengthExceeded()}</td><td>400 {@code context_length_exceeded} (Anthropic: "prompt is too long")</td><td>{@code ContextWindowExceededException}</td></tr>
 * <tr><td>{@link #contentFilter()}</td><td>400 {@code content_filter} (Azure's envelope); Anthropic: 400 "Output blocked by content filtering policy"</td><td>{@code ContentPolicyViolationException}; Anthropic: {@code BadRequestException}</td></tr>
 * <tr><td>{@link #filteredAnswer()}</td><td>200, an empty answer with {@code finish_reason: content_filter} (Anthropic: {@code stop_reason: refusal})</td><td>none: finish reason {@code CONTENT_FILTER} (the router's content-policy fallback, if configured)</td></tr>
 * <tr><td>{@link #expiredKey()}</td><td>401 {@code invalid_api_key} (Anthropic: {@code authentication_error})</td><td>{@code AuthenticationException}</td></tr>
 * <tr><td>{@link #endlessBody()}</td><td>200 JSON, no length, a text that never ends</td><td>{@code InvalidProviderResponseException} at the deployment's {@code maxResponseBytes}</td></tr>
 * <tr><td>{@link #endlessStreamLine()}</td><td>200 {@code text/event-stream}, one {@code data:} line that never ends</td><td>{@code InvalidProviderResponseException} at {@code maxStreamEventBytes} (a stream call; {@code maxResponseBytes} otherwise)</td></tr>
 * <tr><td>{@link #largeBody(int)}</td><td>200, a valid chat completion of that many bytes, no length announced</td><td>{@code InvalidProviderResponseException} past {@code maxResponseBytes}, else none</td></tr>
 * </table>
 *
 * <p>Streams, in either wire format (OpenAI: {@code chat.completion.chunk} events and
 * {@code data: [DONE]}; Anthropic: {@code message_start} ... {@code message_stop}):
 * {@link #stream(int)} a whole stream, {@link #streamCut(int)} the connection cut after n chunks,
 * {@link #streamWithoutEnd(int)} a clean end after n chunks with neither finish nor terminal event,
 * {@link #streamWithoutTerminator(int)} a whole answer (finish and usage) whose terminal event is
 * missing, {@link #streamStall(int)} silent after n chunks, {@link #streamMalformed(int)} a broken
 * event after n chunks, {@link #streamFiltered()} an answer stopped by the content filter at once;
 * {@code stream(n).delayed(d)} is a slow first token.
 *
 * <p>Any fault can be slowed with {@link #delayed(Duration)} ("slow answer"); {@link #mix(long)}
 * picks among faults at random per call, reproducibly from a seed.
 *
 * <p>Immutable and thread-safe; {@link MixBuilder} is not thread-safe.
 *
 * @since 0.1.0
 */
public final class Fault {

    /** What the server does; rendered per wire format by {@link FaultServer}. */
    enum Kind {
        OK, FILTERED, STATUS, RATE_LIMIT, CONTEXT_LENGTH, CONTENT_FILTER, EXPIRED_KEY, HTML, MALFORMED_JSON, TRUNCATED_BODY,
        CONNECTION_RESET, NO_ANSWER, RAW, MIX, STREAM, ENDLESS_BODY, ENDLESS_STREAM_LINE, LARGE_BODY
    }

    /** How a streamed answer ends. */
    enum StreamEnd { COMPLETE, CUT, WITHOUT_END, WITHOUT_TERMINATOR, STALL, MALFORMED, FILTERED }

    private final Kind kind;
    private final String text;
    private final int status;
    private final Duration retryAfter;
    private final Duration delay;
    private final String contentType;
    private final long seed;
    private final List<Fault> choices;
    private final int[] cumulativeWeights;
    private final int streamEmit;
    private final StreamEnd streamEnd;

    private Fault(Kind kind, String text, int status, Duration retryAfter, Duration delay, String contentType,
            long seed, List<Fault> choices, int[] cumulativeWeights) {
        this(kind, text, status, retryAfter, delay, contentType, seed, choices, cumulativeWeights, 0,
                StreamEnd.COMPLETE);
    }

    private Fault(Kind kind, String text, int status, Duration retryAfter, Duration delay, String contentType,
            long seed, List<Fault> choices, int[] cumulativeWeights, int streamEmit, StreamEnd streamEnd) {
        this.kind = kind;
        this.text = text;
        this.status = status;
        this.retryAfter = retryAfter;
        this.delay = delay;
        this.contentType = contentType;
        this.seed = seed;
        this.choices = choices;
        this.cumulativeWeights = cumulativeWeights;
        this.streamEmit = streamEmit;
        this.streamEnd = streamEnd;
    }

    private static Fault of(Kind kind, int status) {
        return new Fault(kind, null, status, null, Duration.ZERO, null, 0, List.of(), new int[0]);
    }

    /** 200 with a realistic chat completion (Anthropic: message) answering {@code text}, with usage. */
    public static Fault ok(String text) {
        Objects.requireNonNull(text, "text");
        return new Fault(Kind.OK, text, 200, null, Duration.ZERO, null, 0, List.of(), new int[0]);
    }

    /**
     * The HTTP error {@code status} (400-599) with the vendor's error envelope for it: 429 is a
     * rate limit without retry-after, 529 Anthropic's {@code overloaded_error}.
     *
     * @throws IllegalArgumentException if {@code status} is not 400-599
     */
    public static Fault status(int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be an HTTP error status (400-599), was " + status);
        }
        return status == 429 ? rateLimited() : of(Kind.STATUS, status);
    }

    /** 429 with the vendor's rate-limit envelope and no retry-after header. */
    public static Fault rateLimited() {
        return of(Kind.RATE_LIMIT, 429);
    }

    /**
     * 429 with {@code retry-after} in whole seconds (rounded up) and, in OpenAI's format,
     * {@code retry-after-ms} in milliseconds.
     *
     * @throws IllegalArgumentException if {@code retryAfter} is negative
     */
    public static Fault rateLimited(Duration retryAfter) {
        Objects.requireNonNull(retryAfter, "retryAfter");
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative, was " + retryAfter);
        }
        return new Fault(Kind.RATE_LIMIT, null, 429, retryAfter, Duration.ZERO, null, 0, List.of(), new int[0]);
    }

    /** 529, Anthropic's "overloaded" (in OpenAI's format: a server-error envelope). */
    public static Fault overloaded() {
        return of(Kind.STATUS, 529);
    }

    /** 400 saying the prompt is longer than the model's context window. */
    public static Fault contextLengthExceeded() {
        return of(Kind.CONTEXT_LENGTH, 400);
    }

    /**
     * 200, an answer the content filter stopped: no text, {@code finish_reason: content_filter}
     * (Anthropic: {@code stop_reason: refusal}), with usage.
     */
    public static Fault filteredAnswer() {
        return of(Kind.FILTERED, 200);
    }

    /** 400 saying a content filter blocked the prompt. */
    public static Fault contentFilter() {
        return of(Kind.CONTENT_FILTER, 400);
    }

    /** 401 saying the API key is not valid (expired, revoked); OpenAI's message quotes the key masked, as OpenAI does. */
    public static Fault expiredKey() {
        return of(Kind.EXPIRED_KEY, 401);
    }

    /**
     * {@code status} (200-599) with a {@code text/html} error page, as a proxy or load balancer
     * sends it.
     *
     * @throws IllegalArgumentException if {@code status} is not 200-599
     */
    public static Fault htmlPage(int status) {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status must be 200-599, was " + status);
        }
        return of(Kind.HTML, status);
    }

    /** 200, a complete HTTP answer whose JSON body is the first half of an {@link #ok(String)} body. */
    public static Fault malformedJson() {
        return of(Kind.MALFORMED_JSON, 200);
    }

    /** 200 whose {@code Content-Length} promises the whole body, but half is sent before the connection closes. */
    public static Fault truncatedBody() {
        return of(Kind.TRUNCATED_BODY, 200);
    }

    /**
     * Reads the request, then closes the connection without answering. The JDK server closes the
     * socket normally (FIN, not RST), so the client sees the connection end before any response
     * byte (OkHttp: "unexpected end of stream").
     */
    public static Fault connectionReset() {
        return of(Kind.CONNECTION_RESET, 0);
    }

    /**
     * Reads the request and never answers: the exchange is held until the server is
     * {@linkplain FaultServer#close() closed}. A client that gives up (timeout, cancel) closes its
     * end; the server's end stays open until then, which {@link FaultServer#heldCount()} shows.
     */
    public static Fault noAnswer() {
        return of(Kind.NO_ANSWER, 0);
    }

    /**
     * 200 with a JSON chat completion whose text never ends: the body is sent without a length
     * until the client disconnects (or after {@value FaultServer#ENDLESS_BYTES} bytes, so the server
     * stops by itself). Holds a sending thread of the server while it lasts.
     */
    public static Fault endlessBody() {
        return of(Kind.ENDLESS_BODY, 200);
    }

    /**
     * 200 {@code text/event-stream} whose first {@code data:} line never ends, sent until the client
     * disconnects (or after {@value FaultServer#ENDLESS_BYTES} bytes). Holds a sending thread of the
     * server while it lasts.
     */
    public static Fault endlessStreamLine() {
        return of(Kind.ENDLESS_STREAM_LINE, 200);
    }

    /**
     * 200 with a complete, valid chat completion (Anthropic: message) of {@code bytes} bytes, its text
     * padded, sent without announcing its length (so the client cannot refuse it up front); e.g.
     * {@code largeBody(50 << 20)} for a 50 MB answer. Holds a sending thread of the server while it
     * is sent.
     *
     * @throws IllegalArgumentException if {@code bytes} is below 1024
     */
    public static Fault largeBody(int bytes) {
        if (bytes < 1024) {
            throw new IllegalArgumentException("bytes must be at least 1024, was " + bytes);
        }
        return new Fault(Kind.LARGE_BODY, Integer.toString(bytes), 200, null, Duration.ZERO, null, 0, List.of(),
                new int[0]);
    }

    /**
     * A streamed answer (OpenAI format only: {@code text/event-stream} chunks, a finish chunk, a usage
     * chunk and {@code data: [DONE]}) of {@code chunks} text chunks. With {@link #delayed(Duration)}
     * it is a slow first token.
     *
     * @throws IllegalArgumentException if {@code chunks} is less than 1
     */
    public static Fault stream(int chunks) {
        return stream(chunks, chunks, StreamEnd.COMPLETE);
    }

    /**
     * A stream that sends {@code after} of its chunks, then the connection is cut: the answer
     * declares a {@code Content-Length} longer than what is sent, so the client's read fails
     * ("unexpected end of stream").
     */
    public static Fault streamCut(int after) {
        return stream(Math.max(after, 1), after, StreamEnd.CUT);
    }

    /**
     * A stream that sends {@code after} of its chunks, then ends the body cleanly at a chunk
     * boundary: no finish reason, no terminal event ({@code [DONE]}, {@code message_stop}).
     */
    public static Fault streamWithoutEnd(int after) {
        return stream(Math.max(after, 1), after, StreamEnd.WITHOUT_END);
    }

    /**
     * A whole stream of {@code chunks} text chunks, its finish and its usage, whose body then ends
     * without the terminal event ({@code [DONE]}, {@code message_stop}).
     *
     * @throws IllegalArgumentException if {@code chunks} is less than 1
     */
    public static Fault streamWithoutTerminator(int chunks) {
        return stream(chunks, chunks, StreamEnd.WITHOUT_TERMINATOR);
    }

    /**
     * A stream stopped by the content filter before any text: the role, a
     * {@code content_filter} finish (Anthropic: {@code refusal}), usage and the terminal event.
     */
    public static Fault streamFiltered() {
        return stream(1, 0, StreamEnd.FILTERED);
    }

    /** A stream that sends {@code after} chunks, then goes silent with the connection open (a stall). */
    public static Fault streamStall(int after) {
        return stream(Math.max(after, 1), after, StreamEnd.STALL);
    }

    /** A stream that sends {@code after} chunks, then a malformed event, then ends. */
    public static Fault streamMalformed(int after) {
        return stream(Math.max(after, 1), after, StreamEnd.MALFORMED);
    }

    private static Fault stream(int chunks, int emit, StreamEnd end) {
        if (chunks < 1 || emit < 0 || emit > chunks) {
            throw new IllegalArgumentException("a stream needs 1+ chunks and 0..chunks before its end, was " + chunks
                    + "/" + emit);
        }
        // text carries the number of chunks the full answer would have had
        return new Fault(Kind.STREAM, Integer.toString(chunks), 200, null, Duration.ZERO, null, 0, List.of(),
                new int[0], emit, end);
    }

    int streamEmit() {
        return streamEmit;
    }

    StreamEnd streamEnd() {
        return streamEnd;
    }

    /**
     * Exactly this answer: {@code status} (100-599), {@code Content-Type} and body, whatever the
     * wire format.
     *
     * @throws IllegalArgumentException if {@code status} is not 100-599
     */
    public static Fault raw(int status, String contentType, String body) {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be 100-599, was " + status);
        }
        return new Fault(Kind.RAW, body, status, null, Duration.ZERO, contentType, 0, List.of(), new int[0]);
    }

    /**
     * A builder of a fault chosen at random for each call among weighted faults. The choice for
     * the server's n-th call depends only on {@code seed} and n, so a run is reproducible call by
     * call whatever the threads' timing (which request is the n-th is not).
     *
     * @param seed the seed
     * @return the builder
     */
    public static MixBuilder mix(long seed) {
        return new MixBuilder(seed);
    }

    /**
     * This fault, done {@code delay} after the request arrived: a slow answer, or a slow failure.
     * Delays of a {@link #mix(long)} add to the chosen fault's own.
     *
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public Fault delayed(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, was " + delay);
        }
        return new Fault(kind, text, status, retryAfter, delay, contentType, seed, choices, cumulativeWeights,
                streamEmit, streamEnd);
    }

    /** How long after the request this fault is done; zero unless {@link #delayed(Duration) delayed}. */
    public Duration delay() {
        return delay;
    }

    /** The HTTP status this fault answers with; 0 when there is no answer (reset, no answer, a mix). */
    public int statusCode() {
        return status;
    }

    Kind kind() {
        return kind;
    }

    String text() {
        return text;
    }

    Duration retryAfter() {
        return retryAfter;
    }

    String contentType() {
        return contentType;
    }

    /** The fault for the server's {@code call}-th call (1-based): itself, or a mix's choice (with both delays). */
    Fault resolve(long call) {
        if (kind != Kind.MIX) {
            return this;
        }
        int total = cumulativeWeights[cumulativeWeights.length - 1];
        int pick = (int) Long.remainderUnsigned(splitMix64(seed + call * 0x9E3779B97F4A7C15L), total);
        for (int i = 0; i < cumulativeWeights.length; i++) {
            if (pick < cumulativeWeights[i]) {
                Fault chosen = choices.get(i).resolve(call);
                return delay.isZero() ? chosen : chosen.delayed(chosen.delay.plus(delay));
            }
        }
        throw new IllegalStateException("unreachable: pick " + pick + " of " + total);
    }

    private static long splitMix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fault f && kind == f.kind && status == f.status && seed == f.seed
                && Objects.equals(text, f.text) && Objects.equals(retryAfter, f.retryAfter)
                && delay.equals(f.delay) && Objects.equals(contentType, f.contentType) && choices.equals(f.choices)
                && Arrays.equals(cumulativeWeights, f.cumulativeWeights) && streamEmit == f.streamEmit
                && streamEnd == f.streamEnd;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, text, status, retryAfter, delay, contentType, seed, choices)
                * 31 + Arrays.hashCode(cumulativeWeights);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Fault[").append(kind.name().toLowerCase(Locale.ROOT));
        if (status != 0) {
            sb.append(' ').append(status);
        }
        if (retryAfter != null) {
            sb.append(", retryAfter=").append(retryAfter);
        }
        if (!delay.isZero()) {
            sb.append(", delay=").append(delay);
        }
        if (kind == Kind.STREAM) {
            sb.append(' ').append(streamEnd.name().toLowerCase(Locale.ROOT)).append(" after ").append(streamEmit);
        }
        if (kind == Kind.MIX) {
            sb.append(" seed=").append(seed).append(' ').append(choices);
        }
        return sb.append(']').toString();
    }

    /**
     * Builds a {@link Fault#mix(long)}; not thread-safe.
     *
     * @since 0.1.0
     */
    public static final class MixBuilder {
        private final long seed;
        private final List<Fault> faults = new ArrayList<>();
        private final List<Integer> weights = new ArrayList<>();

        private MixBuilder(long seed) {
            this.seed = seed;
        }

        /**
         * Adds {@code fault}, chosen with probability {@code weight} / (sum of the weights).
         *
         * @throws IllegalArgumentException if {@code weight} is not positive
         */
        public MixBuilder add(int weight, Fault fault) {
            Objects.requireNonNull(fault, "fault");
            if (weight < 1) {
                throw new IllegalArgumentException("weight must be positive, was " + weight);
            }
            faults.add(fault);
            weights.add(weight);
            return this;
        }

        /**
         * The mixed fault.
         *
         * @throws IllegalStateException if no fault was added
         */
        public Fault build() {
            if (faults.isEmpty()) {
                throw new IllegalStateException("a mix needs at least one fault: call add(weight, fault)");
            }
            int[] cumulative = new int[weights.size()];
            long sum = 0;
            for (int i = 0; i < cumulative.length; i++) {
                sum += weights.get(i);
                if (sum > Integer.MAX_VALUE) {
                    throw new IllegalStateException("the weights add up to more than " + Integer.MAX_VALUE);
                }
                cumulative[i] = (int) sum;
            }
            return new Fault(Kind.MIX, null, 0, null, Duration.ZERO, null, seed, List.copyOf(faults), cumulative);
        }
    }
}
