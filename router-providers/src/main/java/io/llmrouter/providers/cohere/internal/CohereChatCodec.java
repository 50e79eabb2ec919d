package io.llmrouter.providers.cohere.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Choice;
import io.llmrouter.api.chat.ContentPart;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.ImagePart;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.ResponseFormat;
import io.llmrouter.api.chat.Role;
import io.llmrouter.api.chat.TextPart;
import io.llmrouter.api.chat.Tool;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.chat.ToolChoice;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.providers.internal.JsonKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates a {@link ChatRequest} into Cohere's {@code POST /v2/chat} body and Cohere's answer
 * back into a {@link ChatResponse}.
 *
 * <p><b>Request</b>: messages stay in the list ({@code developer} → {@code system}); content is a
 * string, or an array of {@code text} and {@code image_url} parts when the message had parts;
 * assistant {@code tool_calls} are OpenAI-shaped, with the message's {@value #TOOL_PLAN} extra
 * field sent back as {@code tool_plan}; the {@code name} of a message and other extra fields are
 * not sent. {@code top_p} → {@code p} clamped to [{@value #MIN_P}, {@value #MAX_P}];
 * {@code max_tokens} (else {@code max_completion_tokens}) → {@code max_tokens}; {@code stop} →
 * {@code stop_sequences}; {@code seed} and the penalties as given; a strict tool turns on
 * {@code strict_tools}; {@code tool_choice} {@code required}/{@code none} → {@code REQUIRED}/{@code NONE},
 * a named function → only that tool plus {@code REQUIRED}; {@code json_object} / {@code json_schema}
 * → {@code {"type":"json_object","json_schema"?}}; {@code stream: false}; then
 * {@link ChatRequest#extraBody()} merged over the top level. {@code user}, {@code metadata} and
 * {@code parallel_tool_calls} have no Cohere field and are dropped.
 *
 * <p><b>Response</b>: see {@link #readResponse}.
 *
 * <p>Stateless and thread-safe.
 */
public final class CohereChatCodec {

    /** Cohere's highest temperature. */
    public static final double MAX_TEMPERATURE = 1.0;
    /** Cohere's lowest {@code p}; a lower {@code top_p} is raised to it. */
    public static final double MIN_P = 0.01;
    /** Cohere's highest {@code p}; a higher {@code top_p} (such as 1.0) is lowered to it. */
    public static final double MAX_P = 0.99;
    /** The most stop sequences Cohere accepts. */
    public static final int MAX_STOP_SEQUENCES = 5;

    /** The message extra field holding Cohere's {@code tool_plan}, read from answers and sent back. */
    public static final String TOOL_PLAN = "tool_plan";
    /** The message extra field holding Cohere's {@code citations}. */
    public static final String CITATIONS = "citations";
    /** The response extra field holding Cohere's raw model token counts ({@code usage.tokens}). */
    public static final String USAGE_TOKENS = "usage_tokens";

    /** Response fields read into typed values (not copied to extra fields). */
    private static final Set<String> READ_FIELDS = Set.of("id", "message", "finish_reason", "usage");
    /** {@link ChatResponse}'s typed wire names, which its extra fields may not use. */
    private static final Set<String> RESPONSE_TYPED_FIELDS = Set.of("id", "object", "created", "model", "choices",
            "usage", "system_fingerprint", "service_tier");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    private CohereChatCodec() {
    }

    // ------------------------------------------------------------------------------------ request

    /**
     * The {@code /v2/chat} body for {@code request}.
     *
     * @param request the request; its model is Cohere's model name
     * @return a new tree
     * @throws IllegalArgumentException naming the field when the request asks for something Cohere
     *     cannot do: {@code temperature} above {@value #MAX_TEMPERATURE}, more than
     *     {@value #MAX_STOP_SEQUENCES} stop sequences, {@code n} above 1, or a forced function that
     *     is not among the tools
     */
    public static ObjectNode writeRequest(ChatRequest request) {
        ObjectNode o = NODES.objectNode();
        o.put("model", request.model());
        ArrayNode messages = o.putArray("messages");
        for (Message m : request.messages()) {
            messages.add(writeMessage(m));
        }
        writeTools(request, o);
        if (request.temperature().isPresent()) {
            double t = request.temperature().getAsDouble();
            if (t > MAX_TEMPERATURE) {
                throw new IllegalArgumentException("temperature " + t + " is above Cohere's maximum of "
                        + MAX_TEMPERATURE);
            }
            o.put("temperature", t);
        }
        if (request.topP().isPresent()) {
            o.put("p", Math.min(MAX_P, Math.max(MIN_P, request.topP().getAsDouble())));
        }
        if (request.maxTokens().isPresent()) {
            o.put("max_tokens", request.maxTokens().getAsInt());
        } else if (request.maxCompletionTokens().isPresent()) {
            o.put("max_tokens", request.maxCompletionTokens().getAsInt());
        }
        List<String> stop = request.stop();
        if (!stop.isEmpty()) {
            if (stop.size() > MAX_STOP_SEQUENCES) {
                throw new IllegalArgumentException("stop has " + stop.size() + " sequences; Cohere accepts at most "
                        + MAX_STOP_SEQUENCES);
            }
            ArrayNode a = o.putArray("stop_sequences");
            stop.forEach(a::add);
        }
        if (request.n().isPresent() && request.n().getAsInt() > 1) {
            throw new IllegalArgumentException("n " + request.n().getAsInt()
                    + " is not supported: Cohere returns one answer per request");
        }
        if (request.seed().isPresent()) {
            o.put("seed", request.seed().getAsLong());
        }
        if (request.frequencyPenalty().isPresent()) {
            o.put("frequency_penalty", request.frequencyPenalty().getAsDouble());
        }
        if (request.presencePenalty().isPresent()) {
            o.put("presence_penalty", request.presencePenalty().getAsDouble());
        }
        request.responseFormat().ifPresent(f -> writeResponseFormat(f, o));
        o.put("stream", false);
        request.extraBody().forEach(o::set);
        return o;
    }

    private static ObjectNode writeMessage(Message m) {
        ObjectNode o = NODES.objectNode();
        switch (m.role()) {
            case SYSTEM, DEVELOPER -> {
                o.put("role", "system");
                o.set("content", writeContent(m));
            }
            case USER -> {
                o.put("role", "user");
                o.set("content", writeContent(m));
            }
            case TOOL -> {
                o.put("role", "tool");
                o.put("tool_call_id", m.toolCallId().orElseThrow());
                o.set("content", writeContent(m));
            }
            case ASSISTANT -> writeAssistant(m, o);
            default -> throw new AssertionError(m.role());
        }
        return o;
    }

    private static void writeAssistant(Message m, ObjectNode o) {
        o.put("role", "assistant");
        JsonNode plan = m.extraFields().get(TOOL_PLAN);
        if (plan != null && plan.isTextual() && !m.toolCalls().isEmpty()) {
            o.put("tool_plan", plan.textValue());
        }
        boolean emptyText = !m.isMultipart() && m.text().isEmpty();
        if (m.hasContent() && !(emptyText && !m.toolCalls().isEmpty())) {
            o.set("content", writeContent(m));
        } else if (!m.hasContent() && m.toolCalls().isEmpty() && m.refusal().isPresent()) {
            o.put("content", m.refusal().get());
        }
        if (!m.toolCalls().isEmpty()) {
            ArrayNode calls = o.putArray("tool_calls");
            for (ToolCall c : m.toolCalls()) {
                ObjectNode call = calls.addObject();
                call.put("id", c.id());
                call.put("type", "function");
                ObjectNode function = call.putObject("function");
                function.put("name", c.name());
                function.put("arguments", c.arguments());
            }
        }
    }

    private static JsonNode writeContent(Message m) {
        if (!m.isMultipart()) {
            return NODES.textNode(m.text());
        }
        ArrayNode parts = NODES.arrayNode();
        for (ContentPart part : m.contentParts()) {
            ObjectNode p = parts.addObject();
            if (part instanceof TextPart t) {
                p.put("type", "text");
                p.put("text", t.text());
            } else if (part instanceof ImagePart image) {
                p.put("type", "image_url");
                ObjectNode url = p.putObject("image_url");
                url.put("url", image.url());
                image.detail().ifPresent(d -> url.put("detail", d.wireValue()));
            }
        }
        return parts;
    }

    private static void writeTools(ChatRequest request, ObjectNode o) {
        List<Tool> tools = request.tools();
        ToolChoice choice = request.toolChoice().orElse(null);
        String choiceValue = null;
        if (choice != null) {
            switch (choice.mode()) {
                case NONE -> choiceValue = "NONE";
                case REQUIRED -> choiceValue = "REQUIRED";
                case AUTO -> choiceValue = null;
                case FUNCTION -> {
                    // Cohere cannot name a tool: send only that one and require a call.
                    String name = choice.functionName().orElseThrow();
                    tools = tools.stream().filter(t -> t.name().equals(name)).toList();
                    if (tools.isEmpty()) {
                        throw new IllegalArgumentException("tool_choice names function '" + name
                                + "', which is not among the request's tools");
                    }
                    choiceValue = "REQUIRED";
                }
                default -> throw new AssertionError(choice.mode());
            }
        }
        if (!tools.isEmpty()) {
            ArrayNode array = o.putArray("tools");
            boolean strict = false;
            for (Tool t : tools) {
                ObjectNode tool = array.addObject();
                tool.put("type", "function");
                ObjectNode function = tool.putObject("function");
                function.put("name", t.name());
                t.description().ifPresent(d -> function.put("description", d));
                t.parameters().ifPresent(p -> function.set("parameters", p.deepCopy()));
                strict |= t.strict().orElse(false);
            }
            if (strict) {
                o.put("strict_tools", true);
            }
        }
        if (choiceValue != null) {
            o.put("tool_choice", choiceValue);
        }
    }

    private static void writeResponseFormat(ResponseFormat format, ObjectNode o) {
        switch (format.type()) {
            case TEXT -> {
                // Cohere's default; nothing to send
            }
            case JSON_OBJECT -> o.putObject("response_format").put("type", "json_object");
            case JSON_SCHEMA -> {
                ObjectNode f = o.putObject("response_format");
                f.put("type", "json_object");
                format.schema().ifPresent(s -> f.set("json_schema", s.deepCopy()));
            }
            default -> throw new AssertionError(format.type());
        }
    }

    // ----------------------------------------------------------------------------------- response

    /**
     * The normalized response for a {@code /v2/chat} answer whose {@code finish_reason} is not a
     * failure (the caller checks {@code ERROR}/{@code TIMEOUT} first).
     *
     * <p>{@code message.content[]} {@code text} items are concatenated into the content;
     * {@code thinking} items go to the message's {@code reasoningContent()} extra field (else the
     * {@code tool_plan}, which is also kept as {@value #TOOL_PLAN}); {@code message.citations} to
     * {@value #CITATIONS}. {@code message.tool_calls} are passed through (ids kept; object arguments
     * serialized compactly; a missing id becomes {@code call_<index>}). {@code finish_reason}:
     * {@code COMPLETE}/{@code STOP_SEQUENCE} → stop, {@code MAX_TOKENS} → length, {@code TOOL_CALL}
     * → tool_calls, anything else (or none) → other, the raw value kept. Usage: prompt =
     * {@code usage.billed_units.input_tokens}, completion = {@code usage.billed_units.output_tokens}
     * (numbers may be floats such as {@code 18.0}; rounded), no usage without {@code billed_units};
     * {@code usage.tokens} kept as the {@value #USAGE_TOKENS} extra field, and other top-level
     * fields (e.g. {@code logprobs}) kept under their own names.
     *
     * @param tree the parsed answer
     * @param model the model to report (the request's)
     * @param created the creation time to report, seconds since the epoch
     * @return the response
     * @throws IllegalArgumentException naming the JSON path when the answer is malformed
     */
    public static ChatResponse readResponse(JsonNode tree, String model, long created) {
        if (!tree.isObject()) {
            throw new IllegalArgumentException("$: expected an object, was " + kind(tree));
        }
        String id = requiredText(tree, "id", "id");
        JsonNode message = tree.get("message");
        if (message == null || !message.isObject()) {
            throw new IllegalArgumentException("message: expected an object, was " + kind(message));
        }
        Message.Builder m = Message.builder(Role.ASSISTANT);
        StringBuilder text = new StringBuilder();
        StringBuilder thinking = new StringBuilder();
        boolean hasText = false;
        JsonNode content = message.get("content");
        if (content != null && !content.isNull()) {
            if (!content.isArray()) {
                throw new IllegalArgumentException("message.content: expected an array, was " + kind(content));
            }
            for (int i = 0; i < content.size(); i++) {
                JsonNode item = content.get(i);
                String type = item.path("type").asText("");
                if (type.equals("text")) {
                    text.append(requiredText(item, "text", "message.content[" + i + "].text"));
                    hasText = true;
                } else if (type.equals("thinking")) {
                    thinking.append(requiredText(item, "thinking", "message.content[" + i + "].thinking"));
                }
            }
        }
        List<ToolCall> toolCalls = readToolCalls(message.get("tool_calls"));
        m.toolCalls(toolCalls);
        if (hasText || toolCalls.isEmpty()) {
            m.content(text.toString());
        }
        JsonNode plan = message.get("tool_plan");
        String toolPlan = plan != null && plan.isTextual() ? plan.textValue() : null;
        if (thinking.length() > 0) {
            m.reasoningContent(thinking.toString());
        } else if (toolPlan != null && !toolPlan.isEmpty()) {
            m.reasoningContent(toolPlan);
        }
        if (toolPlan != null) {
            m.putExtraField(TOOL_PLAN, NODES.textNode(toolPlan));
        }
        JsonNode citations = message.get("citations");
        if (citations != null && !citations.isNull()) {
            m.putExtraField(CITATIONS, citations.deepCopy());
        }
        JsonNode finish = tree.get("finish_reason");
        String raw = finish != null && finish.isTextual() && !finish.textValue().isBlank() ? finish.textValue() : null;
        Choice.Builder choice = Choice.builder().message(m.build()).finishReason(finishReason(raw));
        if (raw != null) {
            choice.rawFinishReason(raw);
        }
        ChatResponse.Builder b = ChatResponse.builder().id(id).model(model).created(created).addChoice(choice.build());
        JsonNode usage = tree.get("usage");
        if (usage != null && !usage.isNull()) {
            if (!usage.isObject()) {
                throw new IllegalArgumentException("usage: expected an object, was " + kind(usage));
            }
            JsonNode billed = usage.get("billed_units");
            if (billed != null && billed.isObject()) {
                b.usage(Usage.builder()
                        .promptTokens(tokenCount(billed, "input_tokens", "usage.billed_units.input_tokens"))
                        .completionTokens(tokenCount(billed, "output_tokens", "usage.billed_units.output_tokens"))
                        .build());
            }
            JsonNode tokens = usage.get("tokens");
            if (tokens != null && !tokens.isNull()) {
                b.putExtraField(USAGE_TOKENS, tokens.deepCopy());
            }
        }
        for (Map.Entry<String, JsonNode> f : tree.properties()) {
            if (!READ_FIELDS.contains(f.getKey()) && !RESPONSE_TYPED_FIELDS.contains(f.getKey())
                    && !f.getKey().equals(USAGE_TOKENS)) {
                b.putExtraField(f.getKey(), f.getValue().deepCopy());
            }
        }
        return b.build();
    }

    /** The OpenAI finish reason for Cohere's value; {@code ERROR}/{@code TIMEOUT} never get here. */
    static FinishReason finishReason(String raw) {
        if (raw == null) {
            return FinishReason.OTHER;
        }
        return switch (raw) {
            case "COMPLETE", "STOP_SEQUENCE" -> FinishReason.STOP;
            case "MAX_TOKENS" -> FinishReason.LENGTH;
            case "TOOL_CALL" -> FinishReason.TOOL_CALLS;
            default -> FinishReason.OTHER;
        };
    }

    private static List<ToolCall> readToolCalls(JsonNode calls) {
        if (calls == null || calls.isNull()) {
            return List.of();
        }
        if (!calls.isArray()) {
            throw new IllegalArgumentException("message.tool_calls: expected an array, was " + kind(calls));
        }
        List<ToolCall> result = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            String path = "message.tool_calls[" + i + "]";
            JsonNode call = calls.get(i);
            if (!call.isObject()) {
                throw new IllegalArgumentException(path + ": expected an object, was " + kind(call));
            }
            JsonNode idNode = call.get("id");
            String id = idNode != null && idNode.isTextual() && !idNode.textValue().isBlank() ? idNode.textValue()
                    : "call_" + i;
            JsonNode function = call.get("function");
            if (function == null || !function.isObject()) {
                throw new IllegalArgumentException(path + ".function: expected an object, was " + kind(function));
            }
            String name = requiredText(function, "name", path + ".function.name");
            JsonNode args = function.get("arguments");
            String arguments;
            if (args == null || args.isNull()) {
                arguments = "{}";
            } else if (args.isTextual()) {
                arguments = args.textValue();
            } else if (args.isObject()) {
                arguments = compact(args);
            } else {
                throw new IllegalArgumentException(path + ".function.arguments: expected a string, was " + kind(args));
            }
            try {
                result.add(ToolCall.of(id, name, arguments));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
            }
        }
        return result;
    }

    /**
     * A token count: a non-negative JSON number, integral or not ({@code 18.0}); rounded to the
     * nearest int. Absent or null is 0.
     */
    static int tokenCount(JsonNode parent, String field, String path) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) {
            return 0;
        }
        if (!v.isNumber()) {
            throw new IllegalArgumentException(path + ": expected a number, was " + kind(v));
        }
        double d = v.doubleValue();
        if (!Double.isFinite(d) || d < 0 || d > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(path + ": expected a token count, was " + v);
        }
        return (int) Math.round(d);
    }

    static String requiredText(JsonNode parent, String field, String path) {
        JsonNode v = parent.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(path + ": expected a string, was " + kind(v));
        }
        if (field.equals("id") && v.textValue().isBlank()) {
            throw new IllegalArgumentException(path + ": expected a non-blank string, was blank");
        }
        return v.textValue();
    }

    static String kind(JsonNode node) {
        return JsonKind.of(node);
    }

    private static String compact(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize tool-call arguments", e);
        }
    }
}
