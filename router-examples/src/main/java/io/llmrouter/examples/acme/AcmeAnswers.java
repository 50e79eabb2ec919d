package io.llmrouter.examples.acme;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Choice;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.Role;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Acme's answers into the library's types. Anything missing or of the wrong type is an
 * {@link InvalidProviderResponseException}, never a {@code NullPointerException}. Stateless.
 */
final class AcmeAnswers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AcmeAnswers() {
    }

    /** A complete answer. */
    static ChatResponse response(JsonNode root, String model, ErrorContext context) {
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode call : array(root, "calls", context)) {
            calls.add(toolCall(call, context));
        }
        Message.Builder message = Message.builder(Role.ASSISTANT).toolCalls(calls);
        if (root.has("output")) {
            message.content(text(root, "output", context));
        }
        return ChatResponse.builder()
                .id(root.has("id") ? text(root, "id", context) : context.providerRequestId().orElse("acme"))
                .model(root.has("model") ? text(root, "model", context) : model)
                .choices(List.of(Choice.of(0, message.build(), finishReason(root, context))))
                .usage(usage(root, context))
                .build();
    }

    /** One call of a function: {@code {"id", "function", "input": {...}}}. */
    static ToolCall toolCall(JsonNode call, ErrorContext context) {
        JsonNode input = call.path("input");
        if (!input.isObject()) {
            throw invalid("a call's input is not an object", context);
        }
        return ToolCall.of(text(call, "id", context), text(call, "function", context), input.toString());
    }

    /** {@code stop}: done, call, limit, blocked; another value is kept as {@link FinishReason#OTHER}. */
    static FinishReason finishReason(JsonNode node, ErrorContext context) {
        return switch (text(node, "stop", context)) {
            case "done" -> FinishReason.STOP;
            case "call" -> FinishReason.TOOL_CALLS;
            case "limit" -> FinishReason.LENGTH;
            case "blocked" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.OTHER;
        };
    }

    /** {@code tokens: {"in", "out"}}. */
    static Usage usage(JsonNode node, ErrorContext context) {
        JsonNode tokens = node.path("tokens");
        if (!tokens.path("in").canConvertToInt() || !tokens.path("out").canConvertToInt()
                || !tokens.path("in").isIntegralNumber() || !tokens.path("out").isIntegralNumber()) {
            throw invalid("tokens.in and tokens.out must be whole numbers", context);
        }
        return Usage.of(tokens.get("in").intValue(), tokens.get("out").intValue());
    }

    /** A text field that must be present. */
    static String text(JsonNode node, String field, ErrorContext context) {
        JsonNode value = node.path(field);
        if (!value.isTextual()) {
            throw invalid("'" + field + "' is missing or not text", context);
        }
        return value.textValue();
    }

    private static Iterable<JsonNode> array(JsonNode node, String field, ErrorContext context) {
        JsonNode value = node.path(field);
        if (value.isMissingNode()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw invalid("'" + field + "' is not an array", context);
        }
        return value;
    }

    /**
     * {@code text} parsed as one JSON object. The parser's message is not kept as the cause: it may
     * quote the body, and a body may quote the key.
     */
    static JsonNode parse(String text, ErrorContext context) {
        JsonNode root = parseOrEmpty(text);
        if (!root.isObject()) {
            throw invalid("the answer is not a JSON object (" + text.length() + " characters)", context);
        }
        return root;
    }

    /** {@code text} parsed, or a missing node when it is not JSON. */
    static JsonNode parseOrEmpty(String text) {
        try {
            JsonNode root = JSON.readTree(text);
            return root == null ? MissingNode.getInstance() : root;
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    private static InvalidProviderResponseException invalid(String what, ErrorContext context) {
        return new InvalidProviderResponseException(AcmeProvider.NAME + ": invalid answer: " + what, context);
    }
}
