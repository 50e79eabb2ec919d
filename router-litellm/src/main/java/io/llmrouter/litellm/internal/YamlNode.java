package io.llmrouter.litellm.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML value with the line it starts on: a map (keys in file order), a list, or a scalar
 * ({@code String}, {@code Long}, {@code BigDecimal}, {@code Boolean}, or null).
 */
public record YamlNode(Object value, int line) {

    /** A map entry with the line of its key. */
    public record Entry(String key, int line, YamlNode node) {
    }

    /** Reads the value the parser is positioned on (its current token). */
    public static YamlNode read(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        int line = line(p.currentTokenLocation());
        if (t == null) {
            return new YamlNode(null, line);
        }
        switch (t) {
            case START_OBJECT -> {
                Map<String, Entry> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    int keyLine = line(p.currentTokenLocation());
                    p.nextToken();
                    map.put(key, new Entry(key, keyLine, read(p)));
                }
                return new YamlNode(map, line);
            }
            case START_ARRAY -> {
                List<YamlNode> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(read(p));
                }
                return new YamlNode(list, line);
            }
            case VALUE_STRING -> {
                return new YamlNode(p.getText(), line);
            }
            case VALUE_NUMBER_INT -> {
                return new YamlNode(p.getLongValue(), line);
            }
            case VALUE_NUMBER_FLOAT -> {
                // Kept exact (prices per token): never through a double.
                return new YamlNode(new java.math.BigDecimal(p.getText()), line);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new YamlNode(t == JsonToken.VALUE_TRUE, line);
            }
            default -> {
                return new YamlNode(null, line);
            }
        }
    }

    private static int line(JsonLocation location) {
        return location == null ? 0 : Math.max(0, location.getLineNr());
    }

    /** True for a map. */
    public boolean isMap() {
        return value instanceof Map;
    }

    /** A short name of this value's YAML type, for messages. */
    public String typeName() {
        if (value == null) {
            return "null";
        } else if (value instanceof Map) {
            return "a map";
        } else if (value instanceof List) {
            return "a list";
        } else if (value instanceof String) {
            return "a string";
        } else if (value instanceof Boolean) {
            return "a boolean";
        }
        return "a number";
    }
}
