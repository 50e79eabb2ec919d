package io.llmrouter.api.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Immutable holding of Jackson trees, which are mutable: deep copies in, and deep copies out of
 * anything that could be changed (objects and arrays; scalar nodes are immutable already).
 */
final class JsonFields {

    private JsonFields() {
    }

    /** A deep copy of {@code node}, which must not be null. */
    static JsonNode copy(JsonNode node, String field) {
        Objects.requireNonNull(node, field);
        return node.isContainerNode() ? node.deepCopy() : node;
    }

    /**
     * An unmodifiable, insertion-ordered deep copy of {@code fields}.
     *
     * @param fields the fields to copy; keys and values must not be null (JSON null is {@code NullNode})
     * @param what the property name, for error messages
     * @param reserved wire names of typed fields that may not appear among them
     */
    static Map<String, JsonNode> copyOf(Map<String, JsonNode> fields, String what, Set<String> reserved) {
        Objects.requireNonNull(fields, what);
        if (fields.isEmpty()) {
            return Map.of();
        }
        Map<String, JsonNode> copy = new LinkedHashMap<>(fields.size() * 2);
        for (Map.Entry<String, JsonNode> e : fields.entrySet()) {
            String key = checkKey(e.getKey(), what, reserved);
            copy.put(key, copy(e.getValue(), what + "[" + key + "]"));
        }
        return Collections.unmodifiableMap(copy);
    }

    /** Checks one key of an extra-fields map: not null, not blank, not a typed field's name. */
    static String checkKey(String key, String what, Set<String> reserved) {
        Objects.requireNonNull(key, what + " key");
        if (key.isBlank()) {
            throw new IllegalArgumentException(what + " key must not be blank, was '" + key + "'");
        }
        if (reserved.contains(key)) {
            throw new IllegalArgumentException(what + " key '" + key
                    + "' collides with a typed field; use the typed setter instead");
        }
        return key;
    }

    /** Whether any value is an object or array (which a caller could modify). */
    static boolean hasContainer(Map<String, JsonNode> fields) {
        if (fields.isEmpty()) {
            return false; // the common case, per streamed chunk: no iterator
        }
        for (JsonNode v : fields.values()) {
            if (v.isContainerNode()) {
                return true;
            }
        }
        return false;
    }

    /** What an accessor returns: the map itself when it holds only scalars, else a map of deep copies. */
    static Map<String, JsonNode> copyOut(Map<String, JsonNode> fields, boolean hasContainer) {
        if (!hasContainer) {
            return fields;
        }
        Map<String, JsonNode> copy = new LinkedHashMap<>(fields.size() * 2);
        fields.forEach((k, v) -> copy.put(k, v.isContainerNode() ? v.deepCopy() : v));
        return Collections.unmodifiableMap(copy);
    }
}
