package io.llmrouter.providers.bedrock.internal;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a Converse answer ({@code {output: {message}, stopReason, usage, metrics, ...}}) into a
 * {@link ChatResponse} with one choice.
 *
 * <ul>
 * <li>Content: the {@code text} blocks concatenated; {@code toolUse} blocks become tool calls
 *     ({@code id} = {@code toolUseId}, arguments = the compact JSON of {@code input}, keys in
 *     received order). {@code reasoningContent} blocks are not content: their texts joined are the
 *     message's extra field {@code reasoning_content} and the blocks themselves (with signatures)
 *     {@code reasoning_blocks}. Other block types are ignored.</li>
 * <li>Finish: {@link #finishReason(String)}; the raw {@code stopReason} is the choice's raw finish
 *     reason.</li>
 * <li>Usage: prompt = {@code inputTokens + cacheReadInputTokens + cacheWriteInputTokens},
 *     completion = {@code outputTokens}, cached = {@code cacheReadInputTokens}, cache creation =
 *     {@code cacheWriteInputTokens}, total = prompt + completion.</li>
 * <li>Every other top-level field ({@code metrics}, {@code trace}, {@code additionalModelResponseFields},
 *     {@code performanceConfig}, ...) is kept in the response's extra fields under its own name.</li>
 * </ul>
 */
public final class ConverseResponseReader {

    /** Top-level fields read into typed values rather than kept as extra fields. */
    private static final Set<String> TYPED = Set.of("output", "stopReason", "usage");

    private static final ObjectMapper JSON = new ObjectMapper();

    private ConverseResponseReader() {
    }

    /**
     * Maps a Converse {@code stopReason} to OpenAI's finish reason: {@code end_turn},
     * {@code stop_sequence} → stop; {@code max_tokens}, {@code model_context_window_exceeded} →
     * length; {@code tool_use} → tool_calls; {@code guardrail_intervened}, {@code content_filtered}
     * → content_filter; {@code malformed_model_output}, {@code malformed_tool_use} → stop (the model
     * wrote an invalid tool call: the raw value tells); anything else → other.
     *
     * @param stopReason the raw value
     * @return the finish reason
     */
    public static FinishReason finishReason(String stopReason) {
        return switch (stopReason) {
            case "end_turn", "stop_sequence", "malformed_model_output", "malformed_tool_use" -> FinishReason.STOP;
            case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
            case "tool_use" -> FinishReason.TOOL_CALLS;
            case "guardrail_intervened", "content_filtered" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.OTHER;
        };
    }

    /**
     * Reads an answer.
     *
     * @param root the parsed body
     * @param id the response id to use (Converse answers have none)
     * @param model the model id called
     * @param created the creation time, seconds since the epoch
     * @return the response
     * @throws IllegalArgumentException naming the field when the body is not a Converse answer
     */
    public static ChatResponse read(JsonNode root, String id, String model, long created) {
        if (!root.isObject()) {
            throw new IllegalArgumentException("the body is not a JSON object");
        }
        JsonNode content = root.path("output").path("message").path("content");
        if (!content.isArray()) {
            throw new IllegalArgumentException("output.message.content is missing or not an array");
        }
        JsonNode stop = root.get("stopReason");
        if (stop == null || !stop.isTextual() || stop.textValue().isBlank()) {
            throw new IllegalArgumentException("stopReason is missing or not a string");
        }
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        ArrayNode reasoningBlocks = JsonNodeFactory.instance.arrayNode();
        List<ToolCall> calls = new ArrayList<>();
        for (int i = 0; i < content.size(); i++) {
            JsonNode block = content.get(i);
            if (block.has("text")) {
                text.append(textOf(block.get("text"), "output.message.content[" + i + "].text"));
            } else if (block.has("toolUse")) {
                calls.add(toolCall(block.get("toolUse"), i));
            } else if (block.has("reasoningContent")) {
                JsonNode r = block.get("reasoningContent");
                reasoningBlocks.add(r);
                JsonNode t = r.path("reasoningText").path("text");
                if (t.isTextual()) {
                    reasoning.append(t.textValue());
                }
            }
        }
        Message.Builder message = Message.builder(Role.ASSISTANT);
        if (text.length() > 0 || calls.isEmpty()) {
            message.content(text.toString());
        }
        message.toolCalls(calls);
        if (!reasoningBlocks.isEmpty()) {
            message.reasoningContent(reasoning.toString());
            message.putExtraField("reasoning_blocks", reasoningBlocks);
        }
        Choice choice = Choice.builder()
                .index(0)
                .message(message.build())
                .finishReason(finishReason(stop.textValue()))
                .rawFinishReason(stop.textValue())
                .build();
        ChatResponse.Builder response = ChatResponse.builder()
                .id(id)
                .created(created)
                .model(model)
                .addChoice(choice);
        JsonNode usage = root.get("usage");
        if (usage != null && usage.isObject()) {
            response.usage(usage(usage));
        }
        for (Map.Entry<String, JsonNode> f : root.properties()) {
            if (!TYPED.contains(f.getKey())) {
                response.putExtraField(f.getKey(), f.getValue());
            }
        }
        return response.build();
    }

    /**
     * Reads Converse {@code TokenUsage}.
     *
     * @param usage the {@code usage} object
     * @return the normalized usage
     */
    public static Usage usage(JsonNode usage) {
        int input = count(usage, "inputTokens");
        int output = count(usage, "outputTokens");
        int cacheRead = count(usage, "cacheReadInputTokens");
        int cacheWrite = count(usage, "cacheWriteInputTokens");
        return Usage.builder()
                .promptTokens(input + cacheRead + cacheWrite)
                .completionTokens(output)
                .cachedTokens(cacheRead)
                .cacheCreationTokens(cacheWrite)
                .build();
    }

    private static int count(JsonNode usage, String field) {
        JsonNode v = usage.get(field);
        if (v == null || v.isNull()) {
            return 0;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0) {
            throw new IllegalArgumentException("usage." + field + " is not a non-negative integer: " + v);
        }
        return v.intValue();
    }

    private static ToolCall toolCall(JsonNode use, int index) {
        String where = "output.message.content[" + index + "].toolUse";
        JsonNode id = use.get("toolUseId");
        JsonNode name = use.get("name");
        if (id == null || !id.isTextual() || id.textValue().isBlank()) {
            throw new IllegalArgumentException(where + ".toolUseId is missing");
        }
        if (name == null || !name.isTextual() || name.textValue().isBlank()) {
            throw new IllegalArgumentException(where + ".name is missing");
        }
        JsonNode input = use.get("input");
        String arguments;
        try {
            arguments = input == null || input.isNull() ? "{}" : JSON.writeValueAsString(input);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ".input cannot be written as JSON", e);
        }
        return ToolCall.of(id.textValue(), name.textValue(), arguments);
    }

    private static String textOf(JsonNode node, String where) {
        if (!node.isTextual()) {
            throw new IllegalArgumentException(where + " is not a string");
        }
        return node.textValue();
    }
}
