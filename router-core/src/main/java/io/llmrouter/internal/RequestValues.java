package io.llmrouter.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmrouter.api.RouterRequest;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ContentPart;
import io.llmrouter.api.chat.ImagePart;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.ResponseFormat;
import io.llmrouter.api.chat.TextPart;
import io.llmrouter.api.chat.Tool;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.embedding.EmbeddingRequest;
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

    private RequestValues() {
    }

    /**
     * What makes the request unsendable, naming the field.
     *
     * @param request the request
     * @return the problem, or empty when every value can be sent
     */
    static Optional<String> problem(RouterRequest request) {
        String problem = null;
        if (request instanceof ChatRequest chat) {
            problem = chat(chat);
        } else if (request instanceof EmbeddingRequest embedding) {
            problem = embedding(embedding);
        }
        return Optional.ofNullable(problem);
    }

    private static String chat(ChatRequest r) {
        List<Message> messages = r.messages();
        for (int i = 0; i < messages.size(); i++) {
            String p = message(messages.get(i), "messages[" + i + "]");
            if (p != null) {
                return p;
            }
        }
        String p = strings(r.stop(), "stop");
        if (p == null) {
            p = text(r.user().orElse(null), "user");
        }
        for (Map.Entry<String, String> e : r.metadata().entrySet()) {
            if (p == null) {
                p = text(e.getKey(), "metadata key");
            }
            if (p == null) {
                p = text(e.getValue(), "metadata['" + e.getKey() + "']");
            }
        }
        List<Tool> tools = r.tools();
        for (int i = 0; i < tools.size() && p == null; i++) {
            p = tool(tools.get(i), "tools[" + i + "]");
        }
        if (p == null && r.toolChoice().isPresent()) {
            p = text(r.toolChoice().get().functionName().orElse(null), "toolChoice.function.name");
        }
        if (p == null && r.responseFormat().isPresent()) {
            ResponseFormat f = r.responseFormat().get();
            p = text(f.name().orElse(null), "responseFormat.name");
            if (p == null) {
                p = text(f.description().orElse(null), "responseFormat.description");
            }
            if (p == null && f.schema().isPresent()) {
                p = json(f.schema().get(), "responseFormat.schema");
            }
        }
        return p == null ? fields(r.extraBody(), "extraBody") : p;
    }

    private static String embedding(EmbeddingRequest r) {
        String p = strings(r.inputs(), "inputs");
        if (p == null) {
            p = text(r.user().orElse(null), "user");
        }
        return p == null ? fields(r.extraBody(), "extraBody") : p;
    }

    private static String message(Message m, String where) {
        String p = null;
        if (m.isMultipart()) {
            List<ContentPart> parts = m.contentParts();
            for (int i = 0; i < parts.size() && p == null; i++) {
                if (parts.get(i) instanceof TextPart t) {
                    p = text(t.text(), where + ".content[" + i + "].text");
                } else if (parts.get(i) instanceof ImagePart image) {
                    p = text(image.url(), where + ".content[" + i + "].image_url");
                }
            }
        } else {
            p = text(m.text(), where + ".content");
        }
        if (p == null) {
            p = text(m.name().orElse(null), where + ".name");
        }
        if (p == null) {
            p = text(m.toolCallId().orElse(null), where + ".tool_call_id");
        }
        if (p == null) {
            p = text(m.refusal().orElse(null), where + ".refusal");
        }
        List<ToolCall> calls = m.toolCalls();
        for (int i = 0; i < calls.size() && p == null; i++) {
            ToolCall c = calls.get(i);
            String at = where + ".tool_calls[" + i + "]";
            p = text(c.id(), at + ".id");
            if (p == null) {
                p = text(c.name(), at + ".function.name");
            }
            if (p == null) {
                p = text(c.arguments(), at + ".function.arguments");
            }
        }
        return p == null ? fields(m.extraFields(), where) : p;
    }

    private static String tool(Tool t, String where) {
        String p = text(t.name(), where + ".function.name");
        if (p == null) {
            p = text(t.description().orElse(null), where + ".function.description");
        }
        if (p == null && t.parameters().isPresent()) {
            p = json(t.parameters().get(), where + ".function.parameters");
        }
        return p;
    }

    private static String strings(List<String> values, String where) {
        for (int i = 0; i < values.size(); i++) {
            String p = text(values.get(i), where + "[" + i + "]");
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    private static String fields(Map<String, JsonNode> fields, String where) {
        for (Map.Entry<String, JsonNode> e : fields.entrySet()) {
            String p = text(e.getKey(), where + " key");
            if (p == null) {
                p = json(e.getValue(), where + "." + e.getKey());
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

    /** The problem with a JSON tree (null: none), found without recursion (a tree may be deep). */
    static String json(JsonNode root, String where) {
        Deque<JsonNode> pending = new ArrayDeque<>();
        Deque<String> names = new ArrayDeque<>();
        pending.push(root);
        names.push(where);
        while (!pending.isEmpty()) {
            JsonNode node = pending.pop();
            String at = names.pop();
            switch (node.getNodeType()) {
                case OBJECT -> {
                    for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        String p = text(e.getKey(), at + " key");
                        if (p != null) {
                            return p;
                        }
                        pending.push(e.getValue());
                        names.push(at + "." + e.getKey());
                    }
                }
                case ARRAY -> {
                    for (int i = node.size() - 1; i >= 0; i--) {
                        pending.push(node.get(i));
                        names.push(at + "[" + i + "]");
                    }
                }
                case STRING -> {
                    String p = text(node.textValue(), at);
                    if (p != null) {
                        return p;
                    }
                }
                case NUMBER -> {
                    if ((node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
                        return at + " is " + node.doubleValue() + ": JSON has no NaN or infinite numbers";
                    }
                }
                case BOOLEAN, NULL -> {
                    // always sendable
                }
                case POJO -> {
                    return at + " holds a Java object, not a JSON value: use only JSON values (objects, arrays,"
                            + " strings, finite numbers, booleans, null)";
                }
                case BINARY, MISSING -> {
                    return at + " holds a " + node.getNodeType() + " node, not a JSON value: use only JSON values"
                            + " (objects, arrays, strings, finite numbers, booleans, null)";
                }
            }
        }
        return null;
    }
}
