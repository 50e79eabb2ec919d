package io.llmrouter.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.internal.OpenAiJsonCodec;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The response cache's keys: a SHA-256 digest over the model group and the canonical JSON of every
 * parameter that can change the answer, so the same request built two ways (field order, defaults
 * spelled out or not, {@code 1} or {@code 1.0}) gets the same key, and no text of the request (nor
 * any secret: a request holds no credential, and headers are not part of it) appears in a key.
 *
 * <p>Canonical form: the request as OpenAI's JSON body ({@link OpenAiJsonCodec#writeRequest}),
 * with object keys sorted, numbers without trailing zeros, a single {@code stop} string as a
 * one-element list, and without the fields that do not change the answer ({@link #DROPPED}:
 * {@code model} (the group is hashed instead), {@code stream}, {@code stream_options},
 * {@code user}, {@code metadata}; tags are never in the body) and without values equal to
 * OpenAI's defaults ({@link #DEFAULTS}; {@code tool_choice} {@code auto} with tools,
 * {@code none} without).
 *
 * <p>Internal: not API, may change in any release.
 */
final class CacheKeys {

    /** Body fields that never change the answer. */
    static final Set<String> DROPPED = Set.of("model", "stream", "stream_options", "user", "metadata");

    /** Body fields dropped when they hold OpenAI's default value. */
    static final Map<String, BigDecimal> DEFAULTS = Map.of("n", BigDecimal.ONE, "temperature", BigDecimal.ONE,
            "top_p", BigDecimal.ONE, "presence_penalty", BigDecimal.ZERO, "frequency_penalty", BigDecimal.ZERO);

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final HexFormat HEX = HexFormat.of();

    private CacheKeys() {
    }

    /** The key of a chat request in {@code group}: {@code [namespace:]chat:<sha-256 hex>}. */
    static String chat(String group, ChatRequest request, String namespace) {
        return prefix(namespace) + "chat:" + digest(group, canonical(request, true));
    }

    /**
     * The semantic cache's scope of a chat request: the same digest without the messages, so
     * requests with the same group and parameters share one candidate list.
     */
    static String scope(String group, ChatRequest request, String namespace) {
        return prefix(namespace) + "sem:" + digest(group, canonical(request, false));
    }

    /** The key of one input of an embedding request in {@code group}: {@code [namespace:]emb:<sha-256 hex>}. */
    static String embedding(String group, EmbeddingRequest request, String input, String namespace) {
        ObjectNode o = OpenAiJsonCodec.writeEmbeddingRequest(request);
        o.remove(DROPPED);
        o.remove("encoding_format");
        o.put("input", input);
        return prefix(namespace) + "emb:" + digest(group, sorted(o).toString());
    }

    /** The canonical JSON of a chat request (with or without its messages). */
    static String canonical(ChatRequest request, boolean withMessages) {
        ObjectNode o = OpenAiJsonCodec.writeRequest(request);
        o.remove(DROPPED);
        if (!withMessages) {
            o.remove("messages");
        }
        DEFAULTS.forEach((field, value) -> {
            JsonNode v = o.get(field);
            if (v != null && v.isNumber() && v.decimalValue().compareTo(value) == 0) {
                o.remove(field);
            }
        });
        JsonNode parallel = o.get("parallel_tool_calls");
        if (parallel != null && parallel.isBoolean() && parallel.booleanValue()) {
            o.remove("parallel_tool_calls");
        }
        JsonNode choice = o.get("tool_choice");
        if (choice != null && choice.isTextual()
                && choice.textValue().equals(o.has("tools") ? "auto" : "none")) {
            o.remove("tool_choice");
        }
        JsonNode stop = o.get("stop");
        if (stop != null && stop.isTextual()) {
            o.putArray("stop").add(stop.textValue());
        }
        return sorted(o).toString();
    }

    /** {@code node} with object keys sorted and numbers normalized, recursively. */
    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
                names.add(it.next());
            }
            Collections.sort(names);
            ObjectNode out = NODES.objectNode();
            for (String n : names) {
                JsonNode v = node.get(n);
                if (!v.isNull()) {
                    out.set(n, sorted(v));
                }
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = NODES.arrayNode(node.size());
            node.forEach(v -> out.add(sorted(v)));
            return out;
        }
        if (node.isNumber()) {
            BigDecimal d = node.decimalValue().stripTrailingZeros();
            return NODES.numberNode(d);
        }
        return node;
    }

    private static String prefix(String namespace) {
        return namespace == null ? "" : namespace + ":";
    }

    private static String digest(String group, String canonical) {
        MessageDigest sha = sha256();
        sha.update(group.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(canonical.getBytes(StandardCharsets.UTF_8));
        return HEX.formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
