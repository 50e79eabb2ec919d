package io.llmrouter.api.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;

/**
 * A function the model may call: its name, a description and the JSON Schema of its arguments.
 *
 * <p>On the wire:
 * {@code {"type":"function","function":{"name":...,"description":...,"parameters":{...},"strict":true}}}.
 * The schema is held as a deep copy and handed out as a deep copy, so neither the caller's tree nor
 * the returned one can change this tool. Immutable and thread-safe; the builder is not thread-safe.
 *
 * <pre>{@code
 * Tool weather = Tool.builder("get_weather")
 *     .description("Current weather in a city")
 *     .parameters(schema)
 *     .strict(true)
 *     .build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class Tool {

    /** The only tool type: {@value}. */
    public static final String TYPE_FUNCTION = "function";

    private final String name;
    private final String description;
    private final JsonNode parameters;
    private final Boolean strict;

    private Tool(Builder b) {
        this.name = b.name;
        this.description = b.description;
        this.parameters = b.parameters;
        this.strict = b.strict;
    }

    /**
     * A function tool with an argument schema, no description and no strict flag.
     *
     * @param name the function's name, not blank
     * @param parametersSchema the JSON Schema of the arguments (copied)
     * @return the tool
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public static Tool function(String name, JsonNode parametersSchema) {
        return builder(name).parameters(parametersSchema).build();
    }

    /**
     * A builder for a function tool.
     *
     * @param name the function's name, not blank
     * @return the builder
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public static Builder builder(String name) {
        return new Builder().name(name);
    }

    /**
     * A builder holding this tool's values.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.description = description;
        b.parameters = parameters;
        b.strict = strict;
        return b;
    }

    /**
     * The tool type.
     *
     * @return always {@value #TYPE_FUNCTION}
     */
    public String type() {
        return TYPE_FUNCTION;
    }

    /**
     * The function's name.
     *
     * @return the name, never blank
     */
    public String name() {
        return name;
    }

    /**
     * What the function does, for the model.
     *
     * @return the description, or empty when none was given
     */
    public Optional<String> description() {
        return Optional.ofNullable(description);
    }

    /**
     * The JSON Schema of the arguments, as a deep copy the caller may change.
     *
     * @return the schema, or empty for a function without parameters
     */
    public Optional<JsonNode> parameters() {
        return parameters == null ? Optional.empty() : Optional.of(parameters.deepCopy());
    }

    /**
     * Whether the model must follow the schema exactly (OpenAI structured outputs).
     *
     * @return the flag, or empty when not set (the provider's default applies)
     */
    public Optional<Boolean> strict() {
        return Optional.ofNullable(strict);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tool t && name.equals(t.name) && Objects.equals(description, t.description)
                && Objects.equals(parameters, t.parameters) && Objects.equals(strict, t.strict);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, description, parameters, strict);
    }

    @Override
    public String toString() {
        return "Tool[" + name + (strict == null ? "" : ", strict=" + strict) + "]";
    }

    /** Builds a {@link Tool}; not thread-safe. */
    public static final class Builder {
        private String name;
        private String description;
        private JsonNode parameters;
        private Boolean strict;

        private Builder() {
        }

        /**
         * Replaces the function's name.
         *
         * @param name the name, not blank
         * @return this builder
         * @throws NullPointerException if {@code name} is null
         * @throws IllegalArgumentException if {@code name} is blank
         */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("tool name must not be blank, was '" + name + "'");
            }
            this.name = name;
            return this;
        }

        /**
         * Sets what the function does, for the model.
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
         * Sets the JSON Schema of the arguments; a deep copy is taken.
         *
         * @param parametersSchema the schema, normally an object node
         * @return this builder
         * @throws NullPointerException if {@code parametersSchema} is null
         * @throws IllegalArgumentException if {@code parametersSchema} is not a JSON object
         */
        public Builder parameters(JsonNode parametersSchema) {
            Objects.requireNonNull(parametersSchema, "parametersSchema");
            if (!parametersSchema.isObject()) {
                throw new IllegalArgumentException("parametersSchema must be a JSON object, was "
                        + parametersSchema.getNodeType());
            }
            this.parameters = parametersSchema.deepCopy();
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
         * Builds the tool.
         *
         * @return the tool
         */
        public Tool build() {
            return new Tool(this);
        }
    }
}
