package io.llmrouter.providers.ollama.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.chat.ToolCallDelta;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.providers.internal.NdjsonReader;
import io.llmrouter.providers.internal.Redaction;
import io.llmrouter.providers.internal.SinkGate;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one {@code /api/chat} NDJSON stream (one JSON object per line) into {@link ChatChunk}s for
 * a {@link SinkGate}.
 *
 * <ul>
 * <li>each line's {@code message.content} → a text chunk, {@code message.thinking} → a reasoning
 *     piece; {@code message.tool_calls} (Ollama sends each call whole, arguments as an object) → one
 *     {@link ToolCallDelta} per call with a generated id, the name and the arguments serialized
 *     compactly, at the next tool-call index;</li>
 * <li>the line with {@code done: true} → a finish chunk ({@code done_reason} mapped as
 *     {@link OllamaChatCodec#finishReason}: {@code stop} with tool calls is tool_calls; raw value
 *     kept), then one usage chunk ({@code prompt_eval_count}, {@code eval_count}), then
 *     {@link SinkGate#onComplete()};</li>
 * <li>an {@code {"error":...}} line → {@link OllamaErrorMapper#streamError} (a retryable server
 *     failure); lines without {@code message} (e.g. keep-alives) emit nothing.</li>
 * </ul>
 *
 * <p>Every chunk carries one generated id ({@value OllamaChatCodec#RESPONSE_ID_PREFIX}...) and the
 * line's {@code model}; the first carries the role {@code assistant}. A line that is not a JSON
 * object or has a mistyped field, and a stream that ends before {@code done: true}, fail with an
 * {@link io.llmrouter.api.exception.InvalidProviderResponseException}. Not thread-safe: one reader
 * per stream, used by the thread that reads the body.
 */
public final class OllamaStreamReader {

    /** The problem reported for a stream that ends before its {@code done: true} line. */
    public static final String NO_DONE = "the stream ended without a line with done: true";

    private static final Logger log = LoggerFactory.getLogger(OllamaStreamReader.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final int MAX_TRACE_LINE = 500;

    private final SinkGate sink;
    private final ErrorContext context;
    private final OllamaErrorMapper errors;
    private final Secret key;
    private final String requestModel;
    private final RandomGenerator random;
    private final String id;
    private final Set<String> usedIds = new HashSet<>();

    private boolean roleSent;
    private boolean ended;
    private int toolCalls;

    /**
     * A reader for one stream.
     *
     * @param sink where chunks and the terminal event go
     * @param context the call's error context
     * @param errors the adapter's error mapper
     * @param key the credential sent, for redaction, or null
     * @param requestModel the model reported when a line names none
     * @param random for the generated ids
     */
    public OllamaStreamReader(SinkGate sink, ErrorContext context, OllamaErrorMapper errors, Secret key,
            String requestModel, RandomGenerator random) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.context = Objects.requireNonNull(context, "context");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.key = key;
        this.requestModel = Objects.requireNonNull(requestModel, "requestModel");
        this.random = Objects.requireNonNull(random, "random");
        this.id = OllamaChatCodec.RESPONSE_ID_PREFIX + OllamaChatCodec.id(random);
    }

    /**
     * Reads lines until {@code done: true}, an error, the end of the body or the sink's closing (a
     * cancel), and reports the outcome to the sink. A failure to read (a cut connection, a timeout)
     * is thrown for the caller to map.
     *
     * @param lines the body's lines
     * @throws IOException when reading the body fails
     */
    public void read(NdjsonReader lines) throws IOException {
        String line;
        while (!ended && !sink.isClosed() && (line = lines.next()) != null) {
            if (log.isTraceEnabled()) {
                log.trace("stream line: {}", Redaction.shorten(Redaction.text(line, key), MAX_TRACE_LINE));
            }
            try {
                handle(line);
            } catch (IllegalArgumentException e) {
                ended = true;
                sink.onError(errors.invalidStream(e.getMessage(), line, context, key, e.getCause()));
            }
        }
        if (!ended && !sink.isClosed()) {
            sink.onError(errors.invalidStream(NO_DONE, null, context, key, null));
        }
    }

    private void handle(String line) {
        JsonNode tree;
        try {
            tree = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON line: " + e.getOriginalMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException("line: expected a JSON object");
        }
        if (OllamaErrorMapper.isErrorEnvelope(tree)) {
            ended = true;
            sink.onError(errors.streamError(line, context, key));
            return;
        }
        String model = OllamaChatCodec.modelOf(tree, requestModel);
        JsonNode message = tree.get("message");
        if (message != null && !message.isNull()) {
            if (!message.isObject()) {
                throw new IllegalArgumentException("message: expected an object, was " + OllamaChatCodec.kind(message));
            }
            String text = OllamaChatCodec.optionalText(message, "content", "message.content");
            if (!text.isEmpty()) {
                emit(ChatChunk.builder(id, model).text(text));
            }
            String thinking = OllamaChatCodec.optionalText(message, "thinking", "message.thinking");
            if (!thinking.isEmpty()) {
                emit(ChatChunk.builder(id, model).reasoning(thinking));
            }
            List<ToolCall> calls = OllamaChatCodec.readToolCalls(message.get("tool_calls"), "message.tool_calls",
                    random, usedIds);
            if (!calls.isEmpty()) {
                ChatChunk.Builder chunk = ChatChunk.builder(id, model);
                for (ToolCall c : calls) {
                    chunk.addToolCall(ToolCallDelta.of(toolCalls++, c.id(), c.name(), c.arguments()));
                }
                emit(chunk);
            }
        }
        JsonNode done = tree.get("done");
        if (done != null && done.isBoolean() && done.booleanValue()) {
            String raw = OllamaChatCodec.doneReason(tree);
            Optional<Usage> usage = OllamaChatCodec.usage(tree);
            ChatChunk.Builder finish = ChatChunk.builder(id, model)
                    .finishReason(OllamaChatCodec.finishReason(raw, toolCalls > 0));
            if (raw != null) {
                finish.rawFinishReason(raw);
            }
            ended = true;
            emit(finish);
            usage.ifPresent(u -> emit(ChatChunk.builder(id, model).usage(u)));
            sink.onComplete();
        }
    }

    private void emit(ChatChunk.Builder chunk) {
        if (!roleSent) {
            chunk.role("assistant");
            roleSent = true;
        }
        sink.onChunk(chunk.build());
    }
}
