package io.llmrouter.spi;

import io.llmrouter.api.RouterRequest;
import java.time.Instant;
import java.util.Objects;

/**
 * One call to the router, as its {@link RouterListener} sees it: the id the router gave it, the
 * request, what kind of call it is and when it started. The router passes the same instance to
 * every event of the call, on whatever thread the event happens, so a listener can keep per-call
 * state (a span, a start time) in a map keyed by it and remove it when the call ends
 * ({@link RouterListener#onSuccess(RouterCall, io.llmrouter.api.RouterResponse)} or
 * {@link RouterListener#onFailure(RouterCall, io.llmrouter.api.exception.LlmRouterException)}).
 *
 * <p>The router makes one only when a listener is registered. Equality is identity: two calls
 * with the same request are two calls. Immutable and thread-safe.
 *
 * <pre>{@code
 * public void onRequestStart(RouterCall call) {
 *     spans.put(call, tracer.start(call.kind().operationName() + " " + call.modelGroup()));
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class RouterCall {

    /** What the caller asked the router for. */
    public enum Kind {
        /** A chat completion answered in one piece ({@code completion}, {@code completionAsync}). */
        CHAT("chat"),
        /** A streamed chat completion ({@code stream}, {@code streamAsync}). */
        CHAT_STREAM("chat"),
        /** An embedding ({@code embedding}, {@code embeddingAsync}). */
        EMBEDDING("embeddings"),
        /** A legacy text completion ({@code textCompletion}, {@code textCompletionAsync}). */
        TEXT_COMPLETION("text_completion"),
        /** A moderation ({@code moderation}, {@code moderationAsync}). */
        MODERATION("moderation"),
        /** A rerank ({@code rerank}, {@code rerankAsync}). */
        RERANK("rerank"),
        /** An image generation ({@code imageGeneration}, {@code imageGenerationAsync}). */
        IMAGE_GENERATION("image_generation"),
        /** A text-to-speech call ({@code speech}, {@code speechAsync}). */
        SPEECH("speech"),
        /** A transcription ({@code transcription}, {@code transcriptionAsync}). */
        TRANSCRIPTION("transcription"),
        /** A Responses API pass-through ({@code responses}, {@code responsesAsync}). */
        RESPONSES("responses");

        private final String operationName;

        Kind(String operationName) {
            this.operationName = operationName;
        }

        /**
         * The OpenTelemetry GenAI operation name ({@code gen_ai.operation.name}): {@code chat} or
         * {@code embeddings}.
         */
        public String operationName() {
            return operationName;
        }
    }

    private final String id;
    private final RouterRequest request;
    private final Kind kind;
    private final Instant startedAt;

    private RouterCall(String id, RouterRequest request, Kind kind, Instant startedAt) {
        this.id = Objects.requireNonNull(id, "id");
        this.request = Objects.requireNonNull(request, "request");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
    }

    /**
     * A call; the router makes them (listener tests may too).
     *
     * @param id the call's id (also in the SLF4J MDC as {@code llmrouter.request_id})
     * @param request the request as the caller sent it
     * @param kind what kind of call it is
     * @param startedAt when it started (router clock)
     * @return the call
     * @throws NullPointerException if an argument is null
     */
    public static RouterCall of(String id, RouterRequest request, Kind kind, Instant startedAt) {
        return new RouterCall(id, request, kind, startedAt);
    }

    /** The call's id: unique per router with overwhelming probability (random, 16 hex digits). */
    public String id() {
        return id;
    }

    /** The request as the caller sent it. */
    public RouterRequest request() {
        return request;
    }

    /** The model group the caller asked for (a fallback may answer from another: see the events). */
    public String modelGroup() {
        return request.model();
    }

    /** What kind of call it is. */
    public Kind kind() {
        return kind;
    }

    /** Whether the answer is streamed. */
    public boolean isStreaming() {
        return kind == Kind.CHAT_STREAM;
    }

    /** When the call started (router clock). */
    public Instant startedAt() {
        return startedAt;
    }

    @Override
    public String toString() {
        return "RouterCall[id=" + id + ", kind=" + kind + ", modelGroup=" + request.model() + "]";
    }
}
