package io.llmrouter.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmrouter.api.RouterRequest;
import io.llmrouter.api.audio.SpeechRequest;
import io.llmrouter.api.audio.TranscriptionRequest;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ContentPart;
import io.llmrouter.api.chat.ImagePart;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.ResponseFormat;
import io.llmrouter.api.chat.TextPart;
import io.llmrouter.api.chat.Tool;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.completion.TextCompletionRequest;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.image.ImageRequest;
import io.llmrouter.api.moderation.ModerationRequest;
import io.llmrouter.api.rerank.RerankRequest;
import io.llmrouter.api.responses.ResponsesRequest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the request values no provider can accept, so the router rejects them before any network
 * call instead of sending them: text with a lone UTF-16 surrogate (Jackson writes it as a
 * {@code \\uD83D} escape that names no character, and providers answer 400 "invalid JSON" or
 * "no low surrogate"), NaN or infinite numbers in JSON trees (JSON has none; Jackson would send the
 * string {@code "NaN"}), and JSON trees holding Java objects, binary or missing nodes (Jackson would
 * serialize a Java object's bean properties). Every string the adapters send is checked: message
 * texts and names, image URLs, tool calls, tool names, descriptions and schemas, the tool choice, the
 * response format, stop sequences, user, metadata, embedding inputs, and every key and value of the
 * extra fields.
 */
final class RequestValues {

    /** What an unnamed walk ({@code where} null) returns for a problem: only that there is one. */
    private static final String UNNAMED_PROBLEM = "unsendable";

    private RequestValues() {
    }

    /**
     * What makes the request unsendable, naming the field.
     *
     * @param request the request
     * @return the problem, or empty when every value can be sent
     */
    static Optional<String> problem(RouterRequest request) {
        // One walk over every value, twice only for a request that fails: the first walk builds no
        // field names (where == null: names are strings, and building them for every value of every
        // request cost about 400 bytes per call); the second names the field it failed on.
        if (request instanceof ChatRequest chat) {
            return chat(chat, null) == null ? Optional.empty() : Optional.of(chat(chat, ""));
        }
        if (request instanceof EmbeddingRequest embedding) {
            return embedding(embedding, null) == null ? Optional.empty() : Optional.of(embedding(embedding, ""));
        }
        if (request instanceof TextCompletionRequest completion) {
            return textCompletion(completion, null) == null ? Optional.empty()
                    : Optional.of(textCompletion(completion, ""));
        }
        if (request instanceof RerankRequest rerank) {
            return rerank(rerank, null) == null ? Optional.empty() : Optional.of(rerank(rerank, ""));
        }
        if (request instanceof ImageRequest image) {
            return text(image.prompt(), null) == null ? Optional.empty() : Optional.of(text(image.prompt(), "prompt"));
        }
        if (request instanceof SpeechRequest speech) {
            return text(speech.input(), null) == null ? Optional.empty() : Optional.of(text(speech.input(), "input"));
        }
        if (request instanceof TranscriptionRequest t) {
            return transcription(t, null) == null ? Optional.empty() : Optional.of(transcription(t, ""));
        }
        if (request instanceof ResponsesRequest responses) {
            return json(responses.body(), null) == null ? Optional.empty() : Optional.of(json(responses.body(), "body"));
        }
        if (request instanceof ModerationRequest moderation) {
            String p = strings(moderation.inputs(), null);
            return p == null ? Optional.empty() : Optional.of(strings(moderation.inputs(), "inputs"));
        }
        return Optional.empty();
    }

    /** {@code where + suffix}, or null while no names are built ({@code where} null). */
    private static String field(String where, String suffix) {
        return where == null ? null : where + suffix;
    }

    /** {@code where + prefix + index + suffix}, or null while no names are built. */
    private static String field(String where, String prefix, int index, String suffix) {
        return where == null ? null : where + prefix + index + suffix;
    }

    private static String chat(ChatRequest r, String where) {
        List<Message> messages = r.messages();
        for (int i = 0; i < messages.size(); i++) {
            String p = message(messages.get(i), field(where, "messages[", i, "]"));
            if (p != null) {
                return p;
            }
        }
        String p = strings(r.stop(), field(where, "stop"));
        if (p == null) {
            p = text(r.user().orElse(null), field(where, "user"));
        }
        if (p == null && !r.metadata().isEmpty()) {
            for (Map.Entry<String, String> e : r.metadata().entrySet()) {
                p = text(e.getKey(), field(where, "metadata key"));
                if (p == null) {
                    p = text(e.getValue(), where == null ? null : where + "metadata['" + e.getKey() + "']");
                }
                if (p != null) {
                    break;
                }
            }
        }
        List<Tool> tools = r.tools();
        for (int i = 0; i < tools.size() && p == null; i++) {
            p = tool(tools.get(i), field(where, "tools[", i, "]"));
        }
        if (p == null && r.toolChoice().isPresent()) {
            p = text(r.toolChoice().get().functionName().orElse(null), field(where, "toolChoice.function.name"));
        }
        if (p == null && r.responseFormat().isPresent()) {
            ResponseFormat f = r.responseFormat().get();
            p = text(f.name().orElse(null), field(where, "responseFormat.name"));
            if (p == null) {
                p = text(f.description().orElse(null), field(where, "responseFormat.description"));
            }
            if (p == null && f.schema().isPresent()) {
                p = json(f.schema().get(), field(where, "responseFormat.schema"));
            }
        }
        return p == null ? fields(r.extraBody(), field(where, "extraBody")) : p;
    }

    private static String embedding(EmbeddingRequest r, String where) {
        String p = strings(r.inputs(), field(where, "inputs"));
        if (p == null) {
            p = text(r.user().orElse(null), field(where, "user"));
        }
        return p == null ? fields(r.extraBody(), field(where, "extraBody")) : p;
    }

    private static String transcription(TranscriptionRequest r, String where) {
        String p = text(r.fileName(), field(where, "fileName"));
        return p == null ? text(r.prompt().orElse(null), field(where, "prompt")) : p;
    }

    private static String rerank(RerankRequest r, String where) {
        String p = text(r.query(), field(where, "query"));
        return p == null ? strings(r.documents(), field(where, "documents")) : p;
    }

    private static String textCompletion(TextCompletionRequest r, String where) {
        String p = strings(r.prompts(), field(where, "prompts"));
        if (p == null) {
            p = strings(r.stop(), field(where, "stop"));
        }
        if (p == null) {
            p = text(r.user().orElse(null), field(where, "user"));
        }
        return p == null ? fields(r.extraBody(), field(where, "extraBody")) : p;
    }

    private static String message(Message m, String where) {
        String p = null;
        if (m.isMultipart()) {
            List<ContentPart> parts = m.contentParts();
            for (int i = 0; i < parts.size() && p == null; i++) {
                if (parts.get(i) instanceof TextPart t) {
                    p = text(t.text(), field(where, ".content[", i, "].text"));
                } else if (parts.get(i) instanceof ImagePart image) {
                    p = text(image.url(), field(where, ".content[", i, "].image_url"));
                }
            }
        } else {
            p = text(m.text(), field(where, ".content"));
        }
        if (p == null) {
            p = text(m.name().orElse(null), field(where, ".name"));
        }
        if (p == null) {
            p = text(m.toolCallId().orElse(null), field(where, ".tool_call_id"));
        }
        if (p == null) {
            p = text(m.refusal().orElse(null), field(where, ".refusal"));
        }
        List<ToolCall> calls = m.toolCalls();
        for (int i = 0; i < calls.size() && p == null; i++) {
            ToolCall c = calls.get(i);
            String call = field(where, ".tool_calls[", i, "]");
            p = text(c.id(), field(call, ".id"));
            if (p == null) {
                p = text(c.name(), field(call, ".function.name"));
            }
            if (p == null) {
                p = text(c.arguments(), field(call, ".function.arguments"));
            }
        }
        return p == null ? fields(m.extraFields(), where) : p;
    }

    private static String tool(Tool t, String where) {
        String p = text(t.name(), field(where, ".function.name"));
        if (p == null) {
            p = text(t.description().orElse(null), field(where, ".function.description"));
        }
        if (p == null && t.parameters().isPresent()) {
            p = json(t.parameters().get(), field(where, ".function.parameters"));
        }
        return p;
    }

    private static String strings(List<String> values, String where) {
        for (int i = 0; i < values.size(); i++) {
            String p = text(values.get(i), field(where, "[", i, "]"));
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    private static String fields(Map<String, JsonNode> fields, String where) {
        if (fields.isEmpty()) {
            return null;
        }
        for (Map.Entry<String, JsonNode> e : fields.entrySet()) {
            String p = text(e.getKey(), field(where, " key"));
            if (p == null) {
                p = json(e.getValue(), where == null ? null : where + "." + e.getKey());
            }
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    /** The problem with one string (null: none); a lone surrogate is reported with its index, not the text. */
    static String text(String value, String where) {
        if (value == null) {
            return null;
        }
        int at = loneSurrogate(value);
        if (at < 0) {
            return null;
        }
        if (where == null) {
            return UNNAMED_PROBLEM;
        }
        return where + " has a lone UTF-16 surrogate (" + String.format("\\u%04X", (int) value.charAt(at))
                + " at index " + at + "): it is not Unicode text and no provider accepts it; "
                + "drop or replace it (e.g. text cut in the middle of an emoji)";
    }

    /** The index of the first surrogate that is not half of a high-low pair, or -1. */
    static int loneSurrogate(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return i;
            }
        }
        return -1;
    }

    /**
     * The problem with a JSON tree (null: none), found without recursion (a tree may be deep). With
     * {@code where} null no field names are built, and the problem returned only says that there is one.
     */
    static String json(JsonNode root, String where) {
        if (root.isValueNode() || root.isEmpty()) {
            return valueProblem(root, where);
        }
        boolean named = where != null;
        Deque<JsonNode> pending = new ArrayDeque<>();
        Deque<String> names = named ? new ArrayDeque<>() : null;
        pending.push(root);
        if (named) {
            names.push(where);
        }
        while (!pending.isEmpty()) {
            JsonNode node = pending.pop();
            String at = named ? names.pop() : null;
            if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String p = text(e.getKey(), named ? at + " key" : null);
                    if (p != null) {
                        return p;
                    }
                    pending.push(e.getValue());
                    if (named) {
                        names.push(at + "." + e.getKey());
                    }
                }
            } else if (node.isArray()) {
                for (int i = node.size() - 1; i >= 0; i--) {
                    pending.push(node.get(i));
                    if (named) {
                        names.push(at + "[" + i + "]");
                    }
                }
            } else {
                String p = valueProblem(node, at);
                if (p != null) {
                    return p;
                }
            }
        }
        return null;
    }

    /** The problem with one node that is not a container (null: none). */
    private static String valueProblem(JsonNode node, String at) {
        switch (node.getNodeType()) {
            case STRING -> {
                return text(node.textValue(), at);
            }
            case NUMBER -> {
                if ((node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
                    return at + " is " + node.doubleValue() + ": JSON has no NaN or infinite numbers";
                }
                return null;
            }
            case POJO -> {
                return at + " holds a Java object, not a JSON value: use only JSON values (objects, arrays,"
                        + " strings, finite numbers, booleans, null)";
            }
            case BINARY, MISSING -> {
                return at + " holds a " + node.getNodeType() + " node, not a JSON value: use only JSON values"
                        + " (objects, arrays, strings, finite numbers, booleans, null)";
            }
            default -> {
                return null; // booleans, null and empty containers are always sendable
            }
        }
    }
}
