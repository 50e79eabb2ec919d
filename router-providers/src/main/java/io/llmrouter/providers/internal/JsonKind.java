package io.llmrouter.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How a JSON value is named in the messages of malformed-answer failures ({@code "expected a
 * string, was an object"}), the same wording for every adapter that reads JSON answers.
 */
public final class JsonKind {

    private JsonKind() {
    }

    /**
     * The kind of {@code node}: {@code missing}, {@code null}, {@code an object}, {@code an array},
     * {@code a string}, {@code a number} or {@code a boolean}.
     *
     * @param node the value, or null for an absent one
     * @return its kind
     */
    public static String of(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "missing";
        }
        if (node.isNull()) {
            return "null";
        }
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isTextual()) {
            return "a string";
        }
        if (node.isNumber()) {
            return "a number";
        }
        return "a boolean";
    }
}
