package io.llmrouter.providers.anthropic.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ToolCallDelta;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.providers.internal.Redaction;
import io.llmrouter.providers.internal.SinkGate;
import io.llmrouter.providers.internal.SseEvent;
import io.llmrouter.providers.internal.SseEventReader;
import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one Messages API event stream into {@link ChatChunk}s for a {@link SinkGate}.
 *
 * <ul>
 * <li>{@code message_start}: remembers the message {@code id} and {@code model} (every chunk
 *     carries them) and the initial usage. Emits nothing, so that a failure right after it (an
 *     {@code overloaded_error} event) still comes before the first chunk and can fail over.</li>
 * <li>{@code content_block_start}: a {@code text} block emits its initial text, if any; a
 *     {@code tool_use} block emits a {@link ToolCallDelta} with the call's id, name and empty
 *     arguments, at index = the block's position among the message's {@code tool_use} blocks (not
 *     the content block index, which also counts text and thinking blocks). A {@code thinking}
 *     block's text goes out as {@link io.llmrouter.api.chat.ChatChunk#reasoning()} pieces; when a
 *     {@code thinking} or {@code redacted_thinking} block stops, a chunk carries every such block so
 *     far, signatures included, as the message's {@code thinking_blocks} extra field, so the
 *     accumulated message can be sent back. Server-tool blocks emit nothing.</li>
 * <li>{@code content_block_delta}: {@code text_delta} on a text block → a text chunk;
 *     {@code input_json_delta} on a {@code tool_use} block → an arguments fragment, verbatim (the
 *     first fragment is often {@code ""}, which is skipped). {@code thinking_delta} goes
 *     out as reasoning, {@code signature_delta} completes its block; {@code citations_delta} and
 *     deltas of other blocks are skipped.</li>
 * <li>{@code content_block_stop}: a {@code tool_use} block that received no arguments (a tool
 *     without parameters) emits {@code "{}"}, as the non-streaming adapter reports its empty
 *     {@code input}.</li>
 * <li>{@code message_delta}: {@code delta.stop_reason} → a finish chunk, mapped as
 *     {@link AnthropicResponseReader#finishReason}, raw value kept; {@code usage} (cumulative)
 *     updates each field present.</li>
 * <li>{@code message_stop}: a usage chunk (prompt = {@code input_tokens +
 *     cache_creation_input_tokens + cache_read_input_tokens}, the last value of each field), then
 *     {@link SinkGate#onComplete()}.</li>
 * <li>{@code ping} and unknown event types are ignored; {@code error} →
 *     {@link AnthropicErrorMapper#streamError}.</li>
 * </ul>
 *
 * <p>The first chunk emitted carries the role {@code assistant}. An event that is not JSON, lacks
 * a required field, or refers to a block that never started, and a stream that ends without
 * {@code message_stop} before {@code message_delta} sent the stop reason, fail with an
 * {@link io.llmrouter.api.exception.InvalidProviderResponseException}. A stream that ends after the
 * stop reason but without {@code message_stop} is complete, as if {@code message_stop} had come (the
 * one end-of-stream rule of every adapter: a finish reason makes the answer whole).
 *
 * <p>Driven whole on the HTTP client's thread ({@link #read}) or one event at a time on the
 * reader's thread ({@link #start}, then {@link #step}, for a pull-style stream). Not
 * thread-safe: one reader per stream, used by the thread that reads the body.
 */
public final class AnthropicStreamReader {

    /** The problem reported for a stream that ends before its stop reason and terminal event. */
    public static final String NO_MESSAGE_STOP = "the stream ended without message_stop";

    private static final Logger log = LoggerFactory.getLogger(AnthropicStreamReader.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final int MAX_TRACE_EVENT = 500;
    private static final int UNSET = -1;

    private final SinkGate sink;
    private final ErrorContext context;
    private final AnthropicErrorMapper errors;
    private final Secret key;

    private SseEventReader events;
    private String id;
    private String model;
    private boolean roleSent;
    /** Whether message_delta has sent the stop reason (the answer is whole). */
    private boolean stopReasonSeen;
    private final Map<Integer, Block> blocks = new HashMap<>();
    /** The thinking and redacted_thinking blocks finished so far, with their signatures. */
    private final ArrayNode thinkingBlocks = JSON.createArrayNode();
    private int toolCalls;
    private int inputTokens = UNSET;
    private int cacheCreationTokens = UNSET;
    private int cacheReadTokens = UNSET;
    private int outputTokens = UNSET;
    private int thinkingTokens = UNSET;
    private int webSearchRequests = UNSET;
    private String serviceTier;

    /** A content block seen in the stream. {@code toolIndex} is -1 for blocks that are not tool calls. */
    private static final class Block {
        final String type;
        final int toolIndex;
        boolean hasArguments;
        /** A thinking or redacted_thinking block as it will be sent back; null for other blocks. */
        ObjectNode thinking;

        Block(String type, int toolIndex) {
            this.type = type;
            this.toolIndex = toolIndex;
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
     * @param context the call's error context
     * @param errors the adapter's error mapper
     * @param key the credential sent, for redaction, or null
     */
    public AnthropicStreamReader(SinkGate sink, ErrorContext context, AnthropicErrorMapper errors,
            Secret key) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.context = Objects.requireNonNull(context, "context");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.key = key;
    }

    /**
     * Reads events until {@code message_stop}, an error, the end of the body or the sink's
     * closing (a cancel), and reports the outcome to the sink. A failure to read (a cut
     * connection, a timeout) is thrown for the caller to map.
     *
     * @param events the body's events
     * @throws IOException when reading the body fails
     */
    public void read(SseEventReader events) throws IOException {
        start(events);
        while (step()) {
            // one event per step
        }
    }

    /**
     * Starts reading {@code events} one at a time with {@link #step()} (the pull-style driver;
     * {@link #read} is the push-style one).
     *
     * @param events the body's events
     * @return this reader
     */
    public AnthropicStreamReader start(SseEventReader events) {
        this.events = Objects.requireNonNull(events, "events");
        return this;
    }

    /**
     * Reads and handles the next event; at the end of the body applies the end-of-stream rule.
     * The outcome goes to the sink; a failure to read is thrown for the caller to map.
     *
     * @return false once the stream has ended, failed or been closed
     * @throws IOException when reading the body fails
     */
    public boolean step() throws IOException {
        if (sink.isClosed()) {
            return false;
        }
        SseEvent event = events.next();
        if (event == null) {
            if (stopReasonSeen) {
                messageStop(); // the answer was whole: only the terminator is missing
            } else {
                sink.onError(errors.invalidStream(NO_MESSAGE_STOP, null, context, key, null));
            }
            return false;
        }
        try {
            handle(event);
        } catch (BadEvent e) {
            sink.onError(errors.invalidStream(e.getMessage(), event.data(), context, key, e.getCause()));
        }
        return !sink.isClosed();
    }

    private void handle(SseEvent event) {
        JsonNode data = null;
        String name = event.name().orElse(null);
        if (name == null) {
            data = parse(event);
            name = data.path("type").asText("");
        }
        if (log.isTraceEnabled()) {
            log.trace("stream event {}: {}", name,
                    Redaction.shorten(Redaction.text(event.data(), key), MAX_TRACE_EVENT));
        }
        switch (name) {
            case "ping" -> {
                // keep-alive
            }
            case "error" -> sink.onError(errors.streamError(event.data(), context, key));
            case "message_start" -> messageStart(data != null ? data : parse(event));
            case "content_block_start" -> contentBlockStart(data != null ? data : parse(event));
            case "content_block_delta" -> contentBlockDelta(data != null ? data : parse(event));
            case "content_block_stop" -> contentBlockStop(data != null ? data : parse(event));
            case "message_delta" -> messageDelta(data != null ? data : parse(event));
            case "message_stop" -> messageStop();
            default -> {
                // unknown event types are ignored, as Anthropic's versioning policy asks
            }
        }
    }

    private void messageStart(JsonNode data) {
        if (id != null) {
            throw new BadEvent("a second message_start");
        }
        JsonNode message = data.get("message");
        if (message == null || !message.isObject()) {
            throw new BadEvent("message_start.message: expected an object");
        }
        String messageId = text(message, "id", "message_start.message");
        model = text(message, "model", "message_start.message");
        id = messageId;
        usage(message.get("usage"), "message_start.message.usage");
    }

    private void contentBlockStart(JsonNode data) {
        started("content_block_start");
        int index = index(data, "content_block_start");
        if (blocks.containsKey(index)) {
            throw new BadEvent("content block " + index + " started twice");
        }
        JsonNode block = data.get("content_block");
        if (block == null || !block.isObject()) {
            throw new BadEvent("content_block_start.content_block: expected an object");
        }
        String type = block.path("type").asText("");
        switch (type) {
            case "text" -> {
                blocks.put(index, new Block(type, -1));
                JsonNode text = block.get("text");
                if (text != null && text.isTextual() && !text.textValue().isEmpty()) {
                    emit(chunk().text(text.textValue()));
                }
            }
            case "tool_use" -> {
                String callId = text(block, "id", "content_block_start.content_block");
                String name = text(block, "name", "content_block_start.content_block");
                int toolIndex = toolCalls++;
                blocks.put(index, new Block(type, toolIndex));
                emit(chunk().addToolCall(ToolCallDelta.of(toolIndex, callId, name, "")));
            }
            case "thinking", "redacted_thinking" -> {
                Block b = new Block(type, -1);
                b.thinking = block.deepCopy();
                blocks.put(index, b);
                JsonNode text = block.get("thinking");
                if (text != null && text.isTextual() && !text.textValue().isEmpty()) {
                    emit(chunk().reasoning(text.textValue()));
                }
            }
            default -> blocks.put(index, new Block(type, -1)); // server tools
        }
    }

    private void contentBlockDelta(JsonNode data) {
        started("content_block_delta");
        int index = index(data, "content_block_delta");
        Block block = blocks.get(index);
        if (block == null) {
            throw new BadEvent("content_block_delta for block " + index + ", which never started");
        }
        JsonNode delta = data.get("delta");
        if (delta == null || !delta.isObject()) {
            throw new BadEvent("content_block_delta.delta: expected an object");
        }
        switch (delta.path("type").asText("")) {
            case "text_delta" -> {
                String text = text(delta, "text", "content_block_delta.delta", true);
                if (block.type.equals("text") && !text.isEmpty()) {
                    emit(chunk().text(text));
                }
            }
            case "input_json_delta" -> {
                String fragment = text(delta, "partial_json", "content_block_delta.delta", true);
                if (block.type.equals("tool_use") && !fragment.isEmpty()) {
                    block.hasArguments = true;
                    emit(chunk().addToolCall(ToolCallDelta.of(block.toolIndex, null, null, fragment)));
                }
            }
            case "thinking_delta" -> {
                String thinking = text(delta, "thinking", "content_block_delta.delta", true);
                if (block.thinking != null && !thinking.isEmpty()) {
                    block.thinking.put("thinking", block.thinking.path("thinking").asText("") + thinking);
                    emit(chunk().reasoning(thinking));
                }
            }
            case "signature_delta" -> {
                String signature = text(delta, "signature", "content_block_delta.delta", true);
                if (block.thinking != null) {
                    block.thinking.put("signature", block.thinking.path("signature").asText("") + signature);
                }
            }
            default -> {
                // citations_delta, future delta types
            }
        }
    }

    private void contentBlockStop(JsonNode data) {
        started("content_block_stop");
        int index = index(data, "content_block_stop");
        Block block = blocks.get(index);
        if (block == null) {
            throw new BadEvent("content_block_stop for block " + index + ", which never started");
        }
        if (block.type.equals("tool_use") && !block.hasArguments) {
            block.hasArguments = true;
            emit(chunk().addToolCall(ToolCallDelta.of(block.toolIndex, null, null, "{}")));
        }
        if (block.thinking != null) {
            // the blocks so far, signatures included: what the next turn must send back
            thinkingBlocks.add(block.thinking);
            emit(chunk().putExtraField(AnthropicRequestBody.THINKING_BLOCKS, thinkingBlocks));
        }
    }

    private void messageDelta(JsonNode data) {
        started("message_delta");
        JsonNode delta = data.get("delta");
        if (delta != null && !delta.isNull() && !delta.isObject()) {
            throw new BadEvent("message_delta.delta: expected an object");
        }
        usage(data.get("usage"), "message_delta.usage");
        JsonNode stop = delta == null ? null : delta.get("stop_reason");
        if (stop != null && !stop.isNull()) {
            if (!stop.isTextual() || stop.textValue().isBlank()) {
                throw new BadEvent("message_delta.delta.stop_reason: expected a string, was " + stop);
            }
            stopReasonSeen = true;
            emit(chunk().finishReason(AnthropicResponseReader.finishReason(stop.textValue()))
                    .rawFinishReason(stop.textValue()));
        }
    }

    private void messageStop() {
        started("message_stop");
        if (inputTokens != UNSET || cacheCreationTokens != UNSET || cacheReadTokens != UNSET
                || outputTokens != UNSET) {
            int cacheCreation = Math.max(cacheCreationTokens, 0);
            int cacheRead = Math.max(cacheReadTokens, 0);
            int output = Math.max(outputTokens, 0);
            int prompt;
            try {
                prompt = Math.addExact(Math.addExact(Math.max(inputTokens, 0), cacheCreation), cacheRead);
                Math.addExact(prompt, output);
            } catch (ArithmeticException e) {
                throw new BadEvent("usage: token counts overflow an int", e);
            }
            Usage.Builder u = Usage.builder().promptTokens(prompt).completionTokens(output).cachedTokens(cacheRead)
                    .cacheCreationTokens(cacheCreation).reasoningTokens(Math.max(thinkingTokens, 0))
                    .searchQueries(Math.max(webSearchRequests, 0));
            if (serviceTier != null) {
                u.serviceTier(serviceTier);
            }
            emit(chunk().usage(u.build()));
        }
        sink.onComplete();
    }

    // ------------------------------------------------------------------------------ helpers

    private void started(String event) {
        if (id == null) {
            throw new BadEvent(event + " before message_start");
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

    /** Keeps the last value of each usage field present (message_delta's counts are cumulative). */
    private void usage(JsonNode usage, String path) {
        if (usage == null || usage.isNull()) {
            return;
        }
        if (!usage.isObject()) {
            throw new BadEvent(path + ": expected an object");
        }
        inputTokens = count(usage, "input_tokens", path, inputTokens);
        cacheCreationTokens = count(usage, "cache_creation_input_tokens", path, cacheCreationTokens);
        cacheReadTokens = count(usage, "cache_read_input_tokens", path, cacheReadTokens);
        outputTokens = count(usage, "output_tokens", path, outputTokens);
        JsonNode details = usage.get("output_tokens_details");
        if (details != null && details.isObject()) {
            thinkingTokens = count(details, "thinking_tokens", path + ".output_tokens_details", thinkingTokens);
        }
        JsonNode serverTools = usage.get("server_tool_use");
        if (serverTools != null && serverTools.isObject()) {
            webSearchRequests = count(serverTools, "web_search_requests", path + ".server_tool_use",
                    webSearchRequests);
        }
        JsonNode tier = usage.get("service_tier");
        if (tier != null && tier.isTextual()) {
            serviceTier = tier.textValue();
        }
    }

    private static int count(JsonNode parent, String field, String path, int previous) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) {
            return previous;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0) {
            throw new BadEvent(path + "." + field + ": expected a non-negative integer, was " + v);
        }
        return v.intValue();
    }

    private static int index(JsonNode data, String event) {
        JsonNode v = data.get("index");
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0) {
            throw new BadEvent(event + ".index: expected a non-negative integer, was " + (v == null ? "absent" : v));
        }
        return v.intValue();
    }

    private static String text(JsonNode parent, String field, String path) {
        return text(parent, field, path, false);
    }

    private static String text(JsonNode parent, String field, String path, boolean mayBeEmpty) {
        JsonNode v = parent.get(field);
        if (v == null || !v.isTextual() || (!mayBeEmpty && v.textValue().isBlank())) {
            throw new BadEvent(path + "." + field + ": expected a" + (mayBeEmpty ? "" : " non-blank") + " string, was "
                    + (v == null ? "absent" : v.getNodeType().toString().toLowerCase(Locale.ROOT)));
        }
        return v.textValue();
    }

    private static JsonNode parse(SseEvent event) {
        JsonNode tree;
        try {
            tree = JSON.readTree(event.data());
        } catch (JsonProcessingException e) {
            throw new BadEvent("malformed JSON in " + event.name().map(n -> n + " event").orElse("an event") + ": "
                    + e.getOriginalMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new BadEvent(event.name().map(n -> n + " event").orElse("event") + ": expected a JSON object");
        }
        return tree;
    }
}
