package io.llmrouter.providers.bedrock.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ToolCallDelta;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.providers.internal.Redaction;
import io.llmrouter.providers.internal.SinkGate;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one ConverseStream answer (decoded AWS event-stream messages) into {@link ChatChunk}s for
 * a {@link SinkGate}. Messages are told apart by their {@code :message-type} header.
 *
 * <p>{@code event} messages, by {@code :event-type} (the payload is that union member's JSON):
 * <ul>
 * <li>{@code messageStart {role}}: emits nothing (so a failure right after it still comes before
 *     the first chunk and can fail over); the first chunk emitted carries the role
 *     {@code assistant}.</li>
 * <li>{@code contentBlockStart {contentBlockIndex, start}}: {@code start.toolUse {toolUseId, name}}
 *     → a {@link ToolCallDelta} with the id, the name and empty arguments, at index = the block's
 *     position among the message's tool-use blocks (not the content block index, which also
 *     counts text blocks). Text blocks have no start event. Other starts emit nothing.</li>
 * <li>{@code contentBlockDelta {contentBlockIndex, delta}}: {@code delta.text} → a text chunk
 *     (empty texts skipped); {@code delta.toolUse.input} (a piece of JSON text) → an arguments
 *     fragment, verbatim, for that block's tool index; {@code reasoningContent} and other delta
 *     kinds are skipped.</li>
 * <li>{@code contentBlockStop}: a tool-use block that received no input emits {@code "{}"}, as the
 *     non-streaming adapter reports an absent {@code input}.</li>
 * <li>{@code messageStop {stopReason}}: a finish chunk, mapped by
 *     {@link ConverseResponseReader#finishReason}, the raw value kept.</li>
 * <li>{@code metadata {usage, metrics, trace}}: the terminal event. {@code usage} → a usage chunk
 *     ({@link ConverseResponseReader#usage}); then {@link SinkGate#onComplete()}.</li>
 * <li>Unknown event types are ignored (new union members must not break old clients).</li>
 * </ul>
 *
 * <p>{@code exception} messages → {@link BedrockErrorMapper#streamException} (by
 * {@code :exception-type}); {@code error} messages → {@link BedrockErrorMapper#streamError}.
 *
 * <p>A corrupted frame ({@link EventStreamDecoder}), an event whose payload is not a JSON object
 * or lacks a required field, content before {@code messageStart}, tool input for a block that did
 * not start as tool use, {@code metadata} before {@code messageStop}, and a stream that ends
 * before {@code messageStop} fail with an {@link InvalidProviderResponseException}. A stream that
 * ends after {@code messageStop} without {@code metadata} is complete, without usage (the one
 * end-of-stream rule of every adapter: a finish reason makes the answer whole). Not thread-safe:
 * one reader per stream, used by the thread that reads the body.
 */
public final class ConverseStreamReader {

    /** The problem reported for a stream that ends before {@code messageStop} (and {@code metadata}). */
    public static final String NO_METADATA = "the stream ended without messageStop and its metadata event";

    private static final Logger log = LoggerFactory.getLogger(ConverseStreamReader.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final int MAX_TRACE_EVENT = 500;

    private final SinkGate sink;
    private final String id;
    private final String model;
    private final ErrorContext context;
    private final BedrockErrorMapper errors;
    private final List<Secret> secrets;

    private boolean started;
    private boolean stopped;
    private boolean roleSent;
    private final Map<Integer, Block> blocks = new HashMap<>();
    private int toolCalls;

    /** A content block seen in the stream; {@code toolIndex} is -1 for blocks that are not tool use. */
    private static final class Block {
        final int toolIndex;
        boolean hasInput;

        Block(int toolIndex) {
            this.toolIndex = toolIndex;
        }

        boolean isToolUse() {
            return toolIndex >= 0;
        }
    }

    /** An event the reader cannot make sense of; becomes an InvalidProviderResponseException. */
    private static final class BadEvent extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadEvent(String problem) {
            super(problem);
        }

        BadEvent(String problem, Throwable cause) {
            super(problem, cause);
        }
    }

    /**
     * A reader for one stream.
     *
     * @param sink where chunks and the terminal event go
     * @param id the id every chunk carries (ConverseStream events have none)
     * @param model the model every chunk carries
     * @param context the call's error context
     * @param errors the adapter's error mapper
     * @param secrets the call's credentials, for redaction
     */
    public ConverseStreamReader(SinkGate sink, String id, String model, ErrorContext context,
            BedrockErrorMapper errors, List<Secret> secrets) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.id = Objects.requireNonNull(id, "id");
        this.model = Objects.requireNonNull(model, "model");
        this.context = Objects.requireNonNull(context, "context");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.secrets = List.copyOf(secrets);
    }

    /**
     * Reads messages until {@code metadata}, an exception, the end of the body or the sink's
     * closing (a cancel), and reports the outcome to the sink. A failure to read (a cut
     * connection, a timeout) is thrown for the caller to map.
     *
     * @param messages the body's messages
     * @throws IOException when reading the body fails
     */
    public void read(EventStreamDecoder messages) throws IOException {
        while (!sink.isClosed()) {
            Optional<EventStreamMessage> next;
            try {
                next = messages.next();
            } catch (InvalidProviderResponseException e) {
                sink.onError(e);
                return;
            }
            if (next.isEmpty()) {
                break;
            }
            EventStreamMessage message = next.get();
            try {
                handle(message);
            } catch (BadEvent e) {
                sink.onError(errors.invalidStream(e.getMessage(), message.payloadUtf8(), context, secrets,
                        e.getCause()));
            }
        }
        if (!sink.isClosed()) {
            if (stopped) {
                sink.onComplete(); // the answer was whole at messageStop: only the usage is missing
            } else {
                sink.onError(errors.invalidStream(NO_METADATA, null, context, secrets, null));
            }
        }
    }

    private void handle(EventStreamMessage message) {
        String messageType = message.stringHeader(EventStreamMessage.MESSAGE_TYPE)
                .orElseThrow(() -> new BadEvent("a message without a " + EventStreamMessage.MESSAGE_TYPE
                        + " string header"));
        switch (messageType) {
            case "event" -> event(message);
            case "exception" -> sink.onError(errors.streamException(
                    message.stringHeader(EventStreamMessage.EXCEPTION_TYPE).orElse(""), message.payloadUtf8(),
                    context, secrets));
            case "error" -> sink.onError(errors.streamError(
                    message.stringHeader(EventStreamMessage.ERROR_CODE).orElse(""),
                    message.stringHeader(EventStreamMessage.ERROR_MESSAGE).orElse(""), context, secrets));
            default -> throw new BadEvent("unknown " + EventStreamMessage.MESSAGE_TYPE + " '" + messageType + "'");
        }
    }

    private void event(EventStreamMessage message) {
        String type = message.stringHeader(EventStreamMessage.EVENT_TYPE)
                .orElseThrow(() -> new BadEvent("an event without a " + EventStreamMessage.EVENT_TYPE
                        + " string header"));
        if (log.isTraceEnabled()) {
            log.trace("stream event {}: {}", type, Redaction.shorten(BedrockErrorMapper.redact(message.payloadUtf8(),
                    secrets), MAX_TRACE_EVENT));
        }
        switch (type) {
            case "messageStart" -> messageStart(parse(message, type));
            case "contentBlockStart" -> contentBlockStart(parse(message, type));
            case "contentBlockDelta" -> contentBlockDelta(parse(message, type));
            case "contentBlockStop" -> contentBlockStop(parse(message, type));
            case "messageStop" -> messageStop(parse(message, type));
            case "metadata" -> metadata(parse(message, type));
            default -> {
                // unknown union members are ignored
            }
        }
    }

    private void messageStart(JsonNode data) {
        if (started) {
            throw new BadEvent("a second messageStart");
        }
        JsonNode role = data.get("role");
        if (role == null || !role.isTextual()) {
            throw new BadEvent("messageStart.role: expected a string, was " + kind(role));
        }
        started = true;
    }

    private void contentBlockStart(JsonNode data) {
        open("contentBlockStart");
        int index = index(data, "contentBlockStart");
        if (blocks.containsKey(index)) {
            throw new BadEvent("content block " + index + " started twice");
        }
        JsonNode toolUse = data.path("start").get("toolUse");
        if (toolUse == null) {
            blocks.put(index, new Block(-1));
            return;
        }
        if (!toolUse.isObject()) {
            throw new BadEvent("contentBlockStart.start.toolUse: expected an object");
        }
        String callId = text(toolUse, "toolUseId", "contentBlockStart.start.toolUse");
        String name = text(toolUse, "name", "contentBlockStart.start.toolUse");
        int toolIndex = toolCalls++;
        blocks.put(index, new Block(toolIndex));
        emit(chunk().addToolCall(ToolCallDelta.of(toolIndex, callId, name, "")));
    }

    private void contentBlockDelta(JsonNode data) {
        open("contentBlockDelta");
        int index = index(data, "contentBlockDelta");
        JsonNode delta = data.get("delta");
        if (delta == null || !delta.isObject()) {
            throw new BadEvent("contentBlockDelta.delta: expected an object, was " + kind(delta));
        }
        if (delta.has("text")) {
            JsonNode text = delta.get("text");
            if (!text.isTextual()) {
                throw new BadEvent("contentBlockDelta.delta.text: expected a string, was " + kind(text));
            }
            blocks.putIfAbsent(index, new Block(-1)); // text blocks have no contentBlockStart
            if (!text.textValue().isEmpty()) {
                emit(chunk().text(text.textValue()));
            }
        } else if (delta.has("toolUse")) {
            Block block = blocks.get(index);
            if (block == null || !block.isToolUse()) {
                throw new BadEvent("contentBlockDelta.delta.toolUse for content block " + index
                        + ", which did not start as tool use");
            }
            String fragment = text(delta.get("toolUse"), "input", "contentBlockDelta.delta.toolUse", true);
            if (!fragment.isEmpty()) {
                block.hasInput = true;
                emit(chunk().addToolCall(ToolCallDelta.of(block.toolIndex, null, null, fragment)));
            }
        }
        // reasoningContent, citation and future delta kinds: not content
    }

    private void contentBlockStop(JsonNode data) {
        open("contentBlockStop");
        Block block = blocks.get(index(data, "contentBlockStop"));
        if (block != null && block.isToolUse() && !block.hasInput) {
            block.hasInput = true;
            emit(chunk().addToolCall(ToolCallDelta.of(block.toolIndex, null, null, "{}")));
        }
    }

    private void messageStop(JsonNode data) {
        open("messageStop");
        if (stopped) {
            throw new BadEvent("a second messageStop");
        }
        String stopReason = text(data, "stopReason", "messageStop");
        stopped = true;
        emit(chunk().finishReason(ConverseResponseReader.finishReason(stopReason)).rawFinishReason(stopReason));
    }

    private void metadata(JsonNode data) {
        if (!stopped) {
            throw new BadEvent("metadata before messageStop");
        }
        JsonNode usage = data.get("usage");
        if (usage != null && !usage.isNull()) {
            if (!usage.isObject()) {
                throw new BadEvent("metadata.usage: expected an object, was " + kind(usage));
            }
            try {
                emit(chunk().usage(ConverseResponseReader.usage(usage)));
            } catch (IllegalArgumentException e) {
                throw new BadEvent("metadata." + e.getMessage(), e);
            }
        }
        sink.onComplete();
    }

    // ------------------------------------------------------------------------------ helpers

    private void open(String event) {
        if (!started) {
            throw new BadEvent(event + " before messageStart");
        }
        if (stopped) {
            throw new BadEvent(event + " after messageStop");
        }
    }

    private ChatChunk.Builder chunk() {
        return ChatChunk.builder(id, model);
    }

    private void emit(ChatChunk.Builder chunk) {
        if (!roleSent) {
            chunk.role("assistant");
            roleSent = true;
        }
        sink.onChunk(chunk.build());
    }

    private static int index(JsonNode data, String event) {
        JsonNode v = data.get("contentBlockIndex");
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0) {
            throw new BadEvent(event + ".contentBlockIndex: expected a non-negative integer, was "
                    + (v == null ? "absent" : v));
        }
        return v.intValue();
    }

    private static String text(JsonNode parent, String field, String path) {
        return text(parent, field, path, false);
    }

    private static String text(JsonNode parent, String field, String path, boolean mayBeEmpty) {
        JsonNode v = parent == null ? null : parent.get(field);
        if (v == null || !v.isTextual() || (!mayBeEmpty && v.textValue().isBlank())) {
            throw new BadEvent(path + "." + field + ": expected a" + (mayBeEmpty ? "" : " non-blank") + " string, was "
                    + kind(v));
        }
        return v.textValue();
    }

    private static String kind(JsonNode v) {
        return v == null ? "absent" : v.getNodeType().toString().toLowerCase(Locale.ROOT);
    }

    private static JsonNode parse(EventStreamMessage message, String type) {
        JsonNode tree;
        try {
            tree = JSON.readTree(message.payloadUtf8());
        } catch (JsonProcessingException e) {
            throw new BadEvent("malformed JSON in the " + type + " event: " + e.getOriginalMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new BadEvent(type + " event: expected a JSON object");
        }
        return tree;
    }
}
