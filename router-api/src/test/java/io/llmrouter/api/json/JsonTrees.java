package io.llmrouter.api.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;

/** Test helpers: load resources and compare JSON trees (numbers by value, so {@code 1} equals {@code 1.0}). */
final class JsonTrees {

    /** Equal leaves: numbers by numeric value, everything else by {@code equals}. */
    static final Comparator<JsonNode> NUMERIC = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private JsonTrees() {
    }

    static String resource(String name) {
        try (InputStream in = JsonTrees.class.getResourceAsStream("/openai/" + name)) {
            assertThat(in).as("test resource /openai/%s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void assertSameTree(JsonNode actual, JsonNode expected) {
        if (!actual.equals(NUMERIC, expected)) {
            // show a readable diff; the trees differ, so this fails
            assertThat(actual.toPrettyString()).isEqualTo(expected.toPrettyString());
            assertThat(actual.equals(NUMERIC, expected)).as("trees equal (numbers by value)").isTrue();
        }
    }
}
