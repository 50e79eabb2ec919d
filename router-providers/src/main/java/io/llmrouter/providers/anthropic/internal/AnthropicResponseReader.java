package io.llmrouter.providers.anthropic.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Choice;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.Role;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.chat.Usage;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a Messages API answer ({@code {"type":"message","id","model","content":[...],
 * "stop_reason","stop_sequence","usage"}}) into an OpenAI-shaped {@link ChatResponse} with one
 * choice.
 *
 * <ul>
 * <li>{@code text} blocks are concatenated into the message content; {@code tool_use} blocks become
 *     tool calls whose arguments are the compact JSON of {@code input}, keys in received order. A
 *     message with tool calls and no text block has no content.</li>
 * <li>{@code thinking} and {@code redacted_thinking} blocks are not content: they are kept verbatim
 *     in the message's {@value #THINKING_BLOCKS} extra field (replayed by
 *     {@link AnthropicRequestBody} on later turns), and the thinking text in
 *     {@code reasoningContent()}. Other block types (server tools) are not mapped.</li>
 * <li>{@code stop_reason}: {@code end_turn}, {@code stop_sequence}, {@code pause_turn} → stop;
 *     {@code max_tokens}, {@code model_context_window_exceeded} → length; {@code tool_use} →
 *     tool_calls; {@code refusal} → content_filter; anything else → other. The raw value is
 *     {@link Choice#rawFinishReason()}; {@code stop_sequence} and {@code stop_details} are choice
 *     extra fields.</li>
 * <li>usage: prompt = {@code input_tokens + cache_creation_input_tokens + cache_read_input_tokens},
 *     completion = {@code output_tokens}, cached = {@code cache_read_input_tokens}, cache creation =
 *     {@code cache_creation_input_tokens}, reasoning = {@code output_tokens_details.thinking_tokens};
 *     {@code usage.service_tier} is the service tier; the raw usage object is the response extra
 *     field {@value #RAW_USAGE}, with other unknown top-level fields.</li>
 * </ul>
 *
 * <p>A body that is not such an answer fails with an {@link IllegalArgumentException} naming the
 * JSON path.
 */
public final class AnthropicResponseReader {

    /** The message extra field holding thinking and redacted-thinking blocks. */
    public static final String THINKING_BLOCKS = AnthropicRequestBody.THINKING_BLOCKS;

    /** The response extra field holding Anthropic's usage object as received. */
    public static final String RAW_USAGE = "anthropic_usage";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Top-level fields read into typed values (never copied to extra fields). */
    private static final Set<String> READ_FIELDS = Set.of("id", "type", "role", "model", "content", "stop_reason",
            "stop_sequence", "stop_details", "usage");

    /** {@link ChatResponse}'s typed wire names, which its extra fields may not use. */
    private static final Set<String> RESPONSE_FIELDS = Set.of("object", "created", "choices", "system_fingerprint",
            "service_tier");

    private AnthropicResponseReader() {
    }

    /**
     * The normalized response.
     *
     * @param root the parsed answer
     * @param created the {@code created} time to report (Anthropic sends none), epoch seconds
     * @return the response
     * @throws IllegalArgumentException naming the JSON path when the answer is malformed
     */
    public static ChatResponse read(JsonNode root, long created) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("$: expected a JSON object");
        }
        JsonNode type = root.get("type");
        if (type != null && !type.isNull() && !"message".equals(type.textValue())) {
            throw new IllegalArgumentException("$.type: expected \"message\", was " + type);
        }
        String id = requiredText(root, "id");
        String model = requiredText(root, "model");
        JsonNode content = root.get("content");
        if (content == null || !content.isArray()) {
            throw new IllegalArgumentException("$.content: expected an array of content blocks");
        }
        String stopReason = requiredText(root, "stop_reason");

        StringBuilder text = new StringBuilder();
        boolean hasText = false;
        StringBuilder reasoning = new StringBuilder();
        ArrayNode thinking = NODES.arrayNode();
        List<ToolCall> calls = new ArrayList<>();
        for (int i = 0; i < content.size(); i++) {
            JsonNode block = content.get(i);
            String path = "$.content[" + i + "]";
            if (!block.isObject()) {
                throw new IllegalArgumentException(path + ": expected a content block object");
            }
            switch (block.path("type").asText("")) {
                case "text" -> {
                    text.append(requiredText(block, "text", path, true));
                    hasText = true;
                }
                case "tool_use" -> calls.add(toolCall(block, path));
                case "thinking" -> {
                    reasoning.append(requiredText(block, "thinking", path, true));
                    thinking.add(block.deepCopy());
                }
                case "redacted_thinking" -> thinking.add(block.deepCopy());
                default -> {
                    // server tool blocks and future types: not mapped
                }
            }
        }

        Message.Builder message = Message.builder(Role.ASSISTANT).toolCalls(calls);
        if (hasText || calls.isEmpty()) {
            message.content(text.toString());
        }
        if (!thinking.isEmpty()) {
            message.reasoningContent(reasoning.toString());
            message.putExtraField(THINKING_BLOCKS, thinking);
        }
        Choice.Builder choice = Choice.builder().index(0).message(message.build())
                .finishReason(finishReason(stopReason)).rawFinishReason(stopReason);
        for (String field : List.of("stop_sequence", "stop_details")) {
            JsonNode v = root.get(field);
            if (v != null && !v.isNull()) {
                choice.putExtraField(field, v);
            }
        }

        ChatResponse.Builder response = ChatResponse.builder().id(id).model(model).created(created)
                .addChoice(choice.build());
        JsonNode usage = root.get("usage");
        if (usage != null && !usage.isNull()) {
            if (!usage.isObject()) {
                throw new IllegalArgumentException("$.usage: expected an object");
            }
            response.usage(usage(usage));
            JsonNode tier = usage.get("service_tier");
            if (tier != null && tier.isTextual() && !tier.textValue().isBlank()) {
                response.serviceTier(tier.textValue());
            }
            response.putExtraField(RAW_USAGE, usage);
        }
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (!READ_FIELDS.contains(e.getKey()) && !RESPONSE_FIELDS.contains(e.getKey())
                    && !e.getKey().equals(RAW_USAGE)) {
                response.putExtraField(e.getKey(), e.getValue());
            }
        }
        return response.build();
    }

    /**
     * OpenAI's finish reason for an Anthropic {@code stop_reason}.
     *
     * @param stopReason the raw value
     * @return the finish reason; {@link FinishReason#OTHER} for an unknown value
     */
    public static FinishReason finishReason(String stopReason) {
        return switch (stopReason) {
            case "end_turn", "stop_sequence", "pause_turn" -> FinishReason.STOP;
            case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
            case "tool_use" -> FinishReason.TOOL_CALLS;
            case "refusal" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.OTHER;
        };
    }

    private static ToolCall toolCall(JsonNode block, String path) {
        String id = requiredText(block, "id", path, false);
        String name = requiredText(block, "name", path, false);
        JsonNode input = block.get("input");
        if (input == null || input.isNull()) {
            input = NODES.objectNode();
        } else if (!input.isObject()) {
            throw new IllegalArgumentException(path + ".input: expected an object");
        }
        try {
            return ToolCall.of(id, name, JSON.writeValueAsString(input));
        } catch (JsonProcessingException e) {
            // A tree of plain nodes always serializes; this would be a Jackson bug.
            throw new UncheckedIOException(e);
        }
    }

    private static Usage usage(JsonNode usage) {
        int input = count(usage, "input_tokens", "$.usage.input_tokens");
        int cacheCreation = count(usage, "cache_creation_input_tokens", "$.usage.cache_creation_input_tokens");
        int cacheRead = count(usage, "cache_read_input_tokens", "$.usage.cache_read_input_tokens");
        int output = count(usage, "output_tokens", "$.usage.output_tokens");
        int thinking = count(usage.path("output_tokens_details"), "thinking_tokens",
                "$.usage.output_tokens_details.thinking_tokens");
        int prompt;
        try {
            prompt = Math.addExact(Math.addExact(input, cacheCreation), cacheRead);
            Math.addExact(prompt, output);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("$.usage: token counts overflow an int", e);
        }
        Usage.Builder b = Usage.builder().promptTokens(prompt).completionTokens(output).cachedTokens(cacheRead)
                .cacheCreationTokens(cacheCreation).reasoningTokens(thinking)
                .searchQueries(count(usage.path("server_tool_use"), "web_search_requests",
                        "$.usage.server_tool_use.web_search_requests"));
        JsonNode tier = usage.get("service_tier");
        if (tier != null && tier.isTextual()) {
            b.serviceTier(tier.textValue()); // standard, priority or batch: selects _priority prices
        }
        return b.build();
    }

    /** A non-negative int field; absent or null counts as 0. */
    private static int count(JsonNode parent, String field, String path) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) {
            return 0;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0) {
            throw new IllegalArgumentException(path + ": expected a non-negative integer, was " + v);
        }
        return v.intValue();
    }

    private static String requiredText(JsonNode parent, String field) {
        return requiredText(parent, field, "$", false);
    }

    private static String requiredText(JsonNode parent, String field, String path, boolean mayBeEmpty) {
        JsonNode v = parent.get(field);
        if (v == null || !v.isTextual() || (!mayBeEmpty && v.textValue().isBlank())) {
            throw new IllegalArgumentException(path + "." + field + ": expected a" + (mayBeEmpty ? "" : " non-blank")
                    + " string, was " + (v == null ? "absent" : v.getNodeType().toString().toLowerCase(Locale.ROOT)));
        }
        return v.textValue();
    }
}
