package io.llmrouter.providers.cohere.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one Cohere v2 chat event stream into {@link ChatChunk}s for a {@link SinkGate}. The event
 * type is the JSON {@code type} field (as Cohere's SDKs dispatch), else the {@code event:} name.
 *
 * <ul>
 * <li>{@code message-start}: remembers the generation {@code id} (every chunk carries it; a failed
 *     generation names it as the provider request id). Emits nothing.</li>
 * <li>{@code content-start} / {@code content-delta}: {@code delta.message.content.text} → a text
 *     chunk; {@code delta.message.content.thinking} → a reasoning piece.</li>
 * <li>{@code tool-plan-delta}: {@code delta.message.tool_plan} → a reasoning piece (the plan is the
 *     model's reasoning, as the non-streaming adapter reports it); the whole plan so far also goes
 *     out as the message's {@value CohereChatCodec#TOOL_PLAN} extra field when the first tool call
 *     starts, so that the accumulated message can be sent back.</li>
 * <li>{@code tool-call-start}: a {@link ToolCallDelta} with the call's id, name and its initial
 *     arguments, at the event's {@code index}; {@code tool-call-delta}: an arguments fragment,
 *     verbatim; {@code tool-call-end}: a call that received no arguments gets {@code "{}"}.</li>
 * <li>{@code message-end}: {@code delta.finish_reason} → a finish chunk (mapped as
 *     {@link CohereChatCodec#finishReason}, raw value kept), then one usage chunk from
 *     {@code delta.usage.billed_units} (floats such as {@code 18.0} rounded), then
 *     {@link SinkGate#onComplete()}. {@code ERROR} and {@code TIMEOUT} fail the stream instead
 *     ({@link CohereErrorMapper#failedStream}).</li>
 * <li>{@code content-end}, {@code citation-start}, {@code citation-end}, {@code debug}, the
 *     {@code [DONE]} terminator after {@code message-end} and unknown types are ignored.</li>
 * </ul>
 *
 * <p>The first chunk emitted carries the role {@code assistant}. An event that is not JSON or lacks
 * a required field, an event before {@code message-start}, and a stream that ends before
 * {@code message-end} fail with an {@link io.llmrouter.api.exception.InvalidProviderResponseException}.
 * Not thread-safe: one reader per stream, used by the thread that reads the body.
 */
public final class CohereStreamReader {

    /** The problem reported for a stream that ends before {@code message-end}. */
    public static final String NO_MESSAGE_END = "the stream ended without message-end";

    private static final Logger log = LoggerFactory.getLogger(CohereStreamReader.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final int MAX_TRACE_EVENT = 500;

    private final SinkGate sink;
    private final ErrorContext context;
    private final CohereErrorMapper errors;
    private final Secret key;
    private final String model;

    private String id;
    private boolean roleSent;
    private boolean ended;
    private final StringBuilder toolPlan = new StringBuilder();
    private boolean toolPlanSent;
    /** Tool-call index → whether it received arguments. */
    private final Map<Integer, Boolean> toolCalls = new HashMap<>();

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
     * @param model the model every chunk reports (the request's: Cohere does not echo it)
     */
    public CohereStreamReader(SinkGate sink, ErrorContext context, CohereErrorMapper errors, Secret key,
            String model) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.context = Objects.requireNonNull(context, "context");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.key = key;
        this.model = Objects.requireNonNull(model, "model");
    }

    /**
     * Reads events until {@code message-end}, a failure, the end of the body or the sink's closing
     * (a cancel), and reports the outcome to the sink. A failure to read (a cut connection, a
     * timeout) is thrown for the caller to map.
     *
     * @param events the body's events
     * @throws IOException when reading the body fails
     */
    public void read(SseEventReader events) throws IOException {
        SseEvent event;
        while (!ended && !sink.isClosed() && (event = events.next()) != null) {
            try {
                handle(event);
            } catch (BadEvent e) {
                sink.onError(errors.invalidStream(e.getMessage(), event.data(), context, key, e.getCause()));
            }
        }
        if (!ended && !sink.isClosed()) {
            sink.onError(errors.invalidStream(NO_MESSAGE_END, null, context, key, null));
        }
    }

    private void handle(SseEvent event) {
        if (event.isDone()) {
            throw new BadEvent("[DONE] before message-end");
        }
        JsonNode data = parse(event);
        String type = data.path("type").isTextual() ? data.path("type").textValue() : event.name().orElse("");
        if (log.isTraceEnabled()) {
            log.trace("stream event {}: {}", type, Redaction.shorten(Redaction.text(event.data(), key),
                    MAX_TRACE_EVENT));
        }
        switch (type) {
            case "message-start" -> messageStart(data);
            case "content-start", "content-delta" -> content(data, type);
            case "tool-plan-delta" -> toolPlanDelta(data);
            case "tool-call-start" -> toolCallStart(data);
            case "tool-call-delta" -> toolCallDelta(data);
            case "tool-call-end" -> toolCallEnd(data);
            case "message-end" -> messageEnd(data);
            default -> {
                // content-end, citation-start/-end, debug and future event types
            }
        }
    }

    private void messageStart(JsonNode data) {
        if (id != null) {
            throw new BadEvent("a second message-start");
        }
        JsonNode v = data.get("id");
        if (v == null || !v.isTextual() || v.textValue().isBlank()) {
            throw new BadEvent("message-start.id: expected a non-blank string, was " + CohereChatCodec.kind(v));
        }
        id = v.textValue();
    }

    private void content(JsonNode data, String event) {
        started(event);
        JsonNode content = message(data, event).path("content");
        if (!content.isObject()) {
            return;
        }
        String text = optionalText(content, "text", event + ".delta.message.content.text");
        if (!text.isEmpty()) {
            emit(chunk().text(text));
        }
        String thinking = optionalText(content, "thinking", event + ".delta.message.content.thinking");
        if (!thinking.isEmpty()) {
            emit(chunk().reasoning(thinking));
        }
    }

    private void toolPlanDelta(JsonNode data) {
        started("tool-plan-delta");
        String piece = optionalText(message(data, "tool-plan-delta"), CohereChatCodec.TOOL_PLAN,
                "tool-plan-delta.delta.message.tool_plan");
        if (!piece.isEmpty()) {
            toolPlan.append(piece);
            emit(chunk().reasoning(piece));
        }
    }

    private void toolCallStart(JsonNode data) {
        started("tool-call-start");
        int index = index(data, "tool-call-start");
        if (toolCalls.containsKey(index)) {
            throw new BadEvent("tool call " + index + " started twice");
        }
        JsonNode call = message(data, "tool-call-start").path("tool_calls");
        String path = "tool-call-start.delta.message.tool_calls";
        if (!call.isObject()) {
            throw new BadEvent(path + ": expected an object, was " + CohereChatCodec.kind(call));
        }
        String callId = nonBlank(call, "id", path + ".id");
        JsonNode function = call.path("function");
        String name = nonBlank(function, "name", path + ".function.name");
        String arguments = optionalText(function, "arguments", path + ".function.arguments");
        toolCalls.put(index, !arguments.isEmpty());
        ChatChunk.Builder chunk = chunk().addToolCall(ToolCallDelta.of(index, callId, name, arguments));
        if (!toolPlanSent && toolPlan.length() > 0) {
            toolPlanSent = true;
            chunk.putExtraField(CohereChatCodec.TOOL_PLAN, JsonNodeFactory.instance.textNode(toolPlan.toString()));
        }
        emit(chunk);
    }

    private void toolCallDelta(JsonNode data) {
        started("tool-call-delta");
        int index = index(data, "tool-call-delta");
        if (!toolCalls.containsKey(index)) {
            throw new BadEvent("tool-call-delta for tool call " + index + ", which never started");
        }
        String fragment = optionalText(message(data, "tool-call-delta").path("tool_calls").path("function"),
                "arguments", "tool-call-delta.delta.message.tool_calls.function.arguments");
        if (!fragment.isEmpty()) {
            toolCalls.put(index, true);
            emit(chunk().addToolCall(ToolCallDelta.of(index, null, null, fragment)));
        }
    }

    private void toolCallEnd(JsonNode data) {
        started("tool-call-end");
        int index = index(data, "tool-call-end");
        Boolean hasArguments = toolCalls.get(index);
        if (hasArguments == null) {
            throw new BadEvent("tool-call-end for tool call " + index + ", which never started");
        }
        if (!hasArguments) {
            toolCalls.put(index, true);
            emit(chunk().addToolCall(ToolCallDelta.of(index, null, null, "{}")));
        }
    }

    private void messageEnd(JsonNode data) {
        started("message-end");
        JsonNode delta = data.path("delta");
        JsonNode finish = delta.get("finish_reason");
        String raw = finish != null && finish.isTextual() && !finish.textValue().isBlank() ? finish.textValue()
                : null;
        Optional<io.llmrouter.api.exception.LlmRouterException> failed = errors.failedStream(raw, id, context, key);
        if (failed.isPresent()) {
            ended = true;
            sink.onError(failed.get());
            return;
        }
        Usage usage = null;
        JsonNode billed = delta.path("usage").path("billed_units");
        if (billed.isObject()) {
            try {
                usage = Usage.builder()
                        .promptTokens(CohereChatCodec.tokenCount(billed, "input_tokens",
                                "message-end.delta.usage.billed_units.input_tokens"))
                        .completionTokens(CohereChatCodec.tokenCount(billed, "output_tokens",
                                "message-end.delta.usage.billed_units.output_tokens"))
                        .build();
            } catch (IllegalArgumentException e) {
                throw new BadEvent(e.getMessage(), e);
            }
        }
        ChatChunk.Builder end = chunk().finishReason(CohereChatCodec.finishReason(raw));
        if (raw != null) {
            end.rawFinishReason(raw);
        }
        ended = true;
        emit(end);
        if (usage != null) {
            emit(chunk().usage(usage));
        }
        sink.onComplete();
    }

    // ------------------------------------------------------------------------------ helpers

    private void started(String event) {
        if (id == null) {
            throw new BadEvent(event + " before message-start");
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

    private static JsonNode message(JsonNode data, String event) {
        JsonNode message = data.path("delta").path("message");
        if (!message.isObject()) {
            throw new BadEvent(event + ".delta.message: expected an object, was " + CohereChatCodec.kind(message));
        }
        return message;
    }

    private static int index(JsonNode data, String event) {
        JsonNode v = data.get("index");
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0) {
            throw new BadEvent(event + ".index: expected a non-negative integer, was "
                    + (v == null ? "absent" : v));
        }
        return v.intValue();
    }

    /** The string at {@code field}, empty when absent or null. */
    private static String optionalText(JsonNode parent, String field, String path) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw new BadEvent(path + ": expected a string, was " + CohereChatCodec.kind(v));
        }
        return v.textValue();
    }

    private static String nonBlank(JsonNode parent, String field, String path) {
        JsonNode v = parent.get(field);
        if (v == null || !v.isTextual() || v.textValue().isBlank()) {
            throw new BadEvent(path + ": expected a non-blank string, was " + CohereChatCodec.kind(v));
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
