package io.llmrouter.api.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;

/**
 * The format the model must answer in ({@code response_format}): free text, any JSON object, or
 * JSON following a schema (OpenAI structured outputs).
 *
 * <p>On the wire: {@code {"type":"text"}}, {@code {"type":"json_object"}} or
 * {@code {"type":"json_schema","json_schema":{"name":...,"description":...,"schema":{...},"strict":true}}}.
 * The schema is held as a deep copy and handed out as a deep copy. Immutable and thread-safe; the
 * builder is not thread-safe.
 *
 * <pre>{@code
 * ResponseFormat format = ResponseFormat.builder("weather")
 *     .schema(schema)
 *     .strict(true)
 *     .build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class ResponseFormat {

    /** The kind of response format. */
    public enum Type {
        /** Free text ({@code text}), the default. */
        TEXT("text"),
        /** Any valid JSON object ({@code json_object}). */
        JSON_OBJECT("json_object"),
        /** JSON following a schema ({@code json_schema}). */
        JSON_SCHEMA("json_schema");

        private final String wireValue;

        Type(String wireValue) {
            this.wireValue = wireValue;
        }

        /**
         * The OpenAI wire value, e.g. {@code json_schema}.
         *
         * @return the wire value
         */
        public String wireValue() {
            return wireValue;
        }

        /**
         * Maps an OpenAI wire value.
         *
         * @param value the wire value
         * @return the type
         * @throws NullPointerException if {@code value} is null
         * @throws IllegalArgumentException naming the value when it is unknown
         */
        public static Type fromWire(String value) {
            Objects.requireNonNull(value, "value");
            return switch (value) {
                case "text" -> TEXT;
                case "json_object" -> JSON_OBJECT;
                case "json_schema" -> JSON_SCHEMA;
                default -> throw new IllegalArgumentException("unknown response format type '" + value
                        + "', expected one of text, json_object, json_schema");
            };
        }
    }

    private static final ResponseFormat TEXT = new ResponseFormat(Type.TEXT, null, null, null, null);
    private static final ResponseFormat JSON_OBJECT = new ResponseFormat(Type.JSON_OBJECT, null, null, null, null);

    private final Type type;
    private final String name;
    private final JsonNode schema;
    private final Boolean strict;
    private final String description;

    private ResponseFormat(Type type, String name, JsonNode schema, Boolean strict, String description) {
        this.type = type;
        this.name = name;
        this.schema = schema;
        this.strict = strict;
        this.description = description;
    }

    /**
     * Free text.
     *
     * @return the format {@code {"type":"text"}}
     */
    public static ResponseFormat text() {
        return TEXT;
    }

    /**
     * Any valid JSON object (JSON mode).
     *
     * @return the format {@code {"type":"json_object"}}
     */
    public static ResponseFormat jsonObject() {
        return JSON_OBJECT;
    }

    /**
     * JSON following {@code schema}, with no strict flag and no description.
     *
     * @param name the schema's name, not blank
     * @param schema the JSON Schema, a JSON object (copied)
     * @return the format
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code name} is blank or {@code schema} is not an object
     */
    public static ResponseFormat jsonSchema(String name, JsonNode schema) {
        return builder(name).schema(schema).build();
    }

    /**
     * A builder for a {@link Type#JSON_SCHEMA json_schema} format.
     *
     * @param name the schema's name, not blank
     * @return the builder
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public static Builder builder(String name) {
        return new Builder().name(name);
    }

    /**
     * A builder holding this format's values.
     *
     * @return the builder
     * @throws IllegalStateException if this format is not {@link Type#JSON_SCHEMA json_schema}
     *     (the other two have no options)
     */
    public Builder toBuilder() {
        if (type != Type.JSON_SCHEMA) {
            throw new IllegalStateException("only a json_schema response format has options, this is "
                    + type.wireValue());
        }
        Builder b = new Builder();
        b.name = name;
        b.schema = schema;
        b.strict = strict;
        b.description = description;
        return b;
    }

    /**
     * The kind of format.
     *
     * @return the type, never null
     */
    public Type type() {
        return type;
    }

    /**
     * The schema's name.
     *
     * @return the name for {@link Type#JSON_SCHEMA json_schema}, else empty
     */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /**
     * The JSON Schema, as a deep copy the caller may change.
     *
     * @return the schema, or empty when there is none
     */
    public Optional<JsonNode> schema() {
        return schema == null ? Optional.empty() : Optional.of(schema.deepCopy());
    }

    /**
     * Whether the model must follow the schema exactly.
     *
     * @return the flag, or empty when not set
     */
    public Optional<Boolean> strict() {
        return Optional.ofNullable(strict);
    }

    /**
     * What the answer is for, for the model.
     *
     * @return the description, or empty when none was given
     */
    public Optional<String> description() {
        return Optional.ofNullable(description);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResponseFormat r && type == r.type && Objects.equals(name, r.name)
                && Objects.equals(schema, r.schema) && Objects.equals(strict, r.strict)
                && Objects.equals(description, r.description);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, name, schema, strict, description);
    }

    @Override
    public String toString() {
        return type != Type.JSON_SCHEMA ? "ResponseFormat[" + type.wireValue() + "]"
                : "ResponseFormat[json_schema " + name + (strict == null ? "" : ", strict=" + strict) + "]";
    }

    /** Builds a {@link Type#JSON_SCHEMA json_schema} {@link ResponseFormat}; not thread-safe. */
    public static final class Builder {
        private String name;
        private JsonNode schema;
        private Boolean strict;
        private String description;

        private Builder() {
        }

        /**
         * Replaces the schema's name.
         *
         * @param name the name, not blank
         * @return this builder
         * @throws NullPointerException if {@code name} is null
         * @throws IllegalArgumentException if {@code name} is blank
         */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("response format name must not be blank, was '" + name + "'");
            }
            this.name = name;
            return this;
        }

        /**
         * Sets the JSON Schema; a deep copy is taken.
         *
         * @param schema the schema, a JSON object
         * @return this builder
         * @throws NullPointerException if {@code schema} is null
         * @throws IllegalArgumentException if {@code schema} is not a JSON object
         */
        public Builder schema(JsonNode schema) {
            Objects.requireNonNull(schema, "schema");
            if (!schema.isObject()) {
                throw new IllegalArgumentException("schema must be a JSON object, was " + schema.getNodeType());
            }
            this.schema = schema.deepCopy();
            return this;
        }

        /**
         * Sets whether the model must follow the schema exactly.
         *
         * @param strict the flag
         * @return this builder
         */
        public Builder strict(boolean strict) {
            this.strict = strict;
            return this;
        }

        /**
         * Sets what the answer is for.
         *
         * @param description the description
         * @return this builder
         * @throws NullPointerException if {@code description} is null
         */
        public Builder description(String description) {
            this.description = Objects.requireNonNull(description, "description");
            return this;
        }

        /**
         * Builds the format.
         *
         * @return a {@link Type#JSON_SCHEMA json_schema} format
         */
        public ResponseFormat build() {
            return new ResponseFormat(Type.JSON_SCHEMA, name, schema, strict, description);
        }
    }
}
