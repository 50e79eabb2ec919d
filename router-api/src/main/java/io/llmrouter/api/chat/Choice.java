package io.llmrouter.api.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One generated answer of a {@link ChatResponse}: its index, the assistant message and why
 * generation stopped.
 *
 * <p>{@link #finishReason()} is in OpenAI's vocabulary; {@link #rawFinishReason()} keeps the value
 * the provider sent (e.g. Anthropic's {@code end_turn}), and defaults to the finish reason's wire
 * value. Fields this type does not model (e.g. Azure's {@code content_filter_results}) are kept in
 * {@link #extraFields()}. Immutable and thread-safe; the builder is not thread-safe.
 *
 * <pre>{@code
 * Choice choice = Choice.builder()
 *     .message(Message.assistant("Hi!"))
 *     .finishReason(FinishReason.STOP)
 *     .rawFinishReason("end_turn")
 *     .build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class Choice {

    /** Wire names of the typed fields, which {@link #extraFields()} may not use. */
    private static final Set<String> TYPED_FIELDS = Set.of("index", "message", "logprobs", "finish_reason");

    private final int index;
    private final Message message;
    private final FinishReason finishReason;
    private final String rawFinishReason;
    private final JsonNode logprobs;
    private final Map<String, JsonNode> extraFields;
    private final boolean extraFieldsMutable;

    private Choice(Builder b) {
        this.index = b.index;
        this.message = b.message;
        this.finishReason = b.finishReason;
        this.rawFinishReason = b.rawFinishReason != null ? b.rawFinishReason : b.finishReason.wireValue();
        this.logprobs = b.logprobs;
        this.extraFields = b.extraFields.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(b.extraFields));
        this.extraFieldsMutable = JsonFields.hasContainer(extraFields);
    }

    /**
     * A new builder; the index starts at 0.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A choice with the given values, the raw finish reason being its wire value.
     *
     * @param index the choice's index, at least 0
     * @param message the assistant message
     * @param reason why generation stopped
     * @return the choice
     * @throws NullPointerException if {@code message} or {@code reason} is null
     * @throws IllegalArgumentException if {@code index} is negative or the message is not an assistant message
     */
    public static Choice of(int index, Message message, FinishReason reason) {
        return builder().index(index).message(message).finishReason(reason).build();
    }

    /**
     * A builder holding this choice's values.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.index = index;
        b.message = message;
        b.finishReason = finishReason;
        b.rawFinishReason = rawFinishReason;
        b.logprobs = logprobs;
        b.extraFields.putAll(extraFields);
        return b;
    }

    /**
     * The choice's index among the response's choices.
     *
     * @return the index, at least 0
     */
    public int index() {
        return index;
    }

    /**
     * The assistant message.
     *
     * @return the message, role {@link Role#ASSISTANT}
     */
    public Message message() {
        return message;
    }

    /**
     * Why generation stopped, in OpenAI's vocabulary.
     *
     * @return the finish reason, never null
     */
    public FinishReason finishReason() {
        return finishReason;
    }

    /**
     * The finish reason as the provider sent it, e.g. {@code end_turn}; for OpenAI the same as
     * {@code finishReason().wireValue()} except for values this library does not know.
     *
     * @return the raw value, never null
     */
    public String rawFinishReason() {
        return rawFinishReason;
    }

    /**
     * The log probabilities ({@code logprobs}), as a deep copy the caller may change.
     *
     * @return the log probabilities, or empty when none were returned
     */
    public Optional<JsonNode> logprobs() {
        return logprobs == null ? Optional.empty() : Optional.of(logprobs.deepCopy());
    }

    /**
     * Fields of the choice this type does not model, by wire name; the values are copies the caller
     * may change.
     *
     * @return the fields in wire order, empty when there are none
     */
    public Map<String, JsonNode> extraFields() {
        return JsonFields.copyOut(extraFields, extraFieldsMutable);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Choice c && index == c.index && message.equals(c.message)
                && finishReason == c.finishReason && rawFinishReason.equals(c.rawFinishReason)
                && Objects.equals(logprobs, c.logprobs) && extraFields.equals(c.extraFields);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, message, finishReason, rawFinishReason, logprobs, extraFields);
    }

    @Override
    public String toString() {
        return "Choice[" + index + ", " + message + ", finishReason=" + finishReason
                + (rawFinishReason.equals(finishReason.wireValue()) ? "" : " (" + rawFinishReason + ")")
                + (extraFields.isEmpty() ? "" : ", extraFields=" + extraFields.keySet()) + "]";
    }

    /** Builds a {@link Choice}; not thread-safe. */
    public static final class Builder {
        private int index;
        private Message message;
        private FinishReason finishReason;
        private String rawFinishReason;
        private JsonNode logprobs;
        private final Map<String, JsonNode> extraFields = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Sets the choice's index.
         *
         * @param index at least 0; default 0
         * @return this builder
         * @throws IllegalArgumentException naming the value when it is negative
         */
        public Builder index(int index) {
            if (index < 0) {
                throw new IllegalArgumentException("index must not be negative, was " + index);
            }
            this.index = index;
            return this;
        }

        /**
         * Sets the assistant message (required).
         *
         * @param message a message of role {@link Role#ASSISTANT}
         * @return this builder
         * @throws NullPointerException if {@code message} is null
         * @throws IllegalArgumentException naming the role when it is not assistant
         */
        public Builder message(Message message) {
            Objects.requireNonNull(message, "message");
            if (message.role() != Role.ASSISTANT) {
                throw new IllegalArgumentException("message must have role assistant, was "
                        + message.role().wireValue());
            }
            this.message = message;
            return this;
        }

        /**
         * Sets why generation stopped (required).
         *
         * @param finishReason the finish reason
         * @return this builder
         * @throws NullPointerException if {@code finishReason} is null
         */
        public Builder finishReason(FinishReason finishReason) {
            this.finishReason = Objects.requireNonNull(finishReason, "finishReason");
            return this;
        }

        /**
         * Sets the finish reason as the provider sent it; defaults to the finish reason's wire value.
         *
         * @param rawFinishReason the raw value, e.g. {@code end_turn}, not blank
         * @return this builder
         * @throws NullPointerException if {@code rawFinishReason} is null
         * @throws IllegalArgumentException if {@code rawFinishReason} is blank
         */
        public Builder rawFinishReason(String rawFinishReason) {
            Objects.requireNonNull(rawFinishReason, "rawFinishReason");
            if (rawFinishReason.isBlank()) {
                throw new IllegalArgumentException("rawFinishReason must not be blank, was '" + rawFinishReason
                        + "'");
            }
            this.rawFinishReason = rawFinishReason;
            return this;
        }

        /**
         * Sets the log probabilities; a deep copy is taken.
         *
         * @param logprobs the provider's {@code logprobs} object
         * @return this builder
         * @throws NullPointerException if {@code logprobs} is null
         */
        public Builder logprobs(JsonNode logprobs) {
            this.logprobs = JsonFields.copy(logprobs, "logprobs");
            return this;
        }

        /**
         * Replaces the fields this type does not model; deep copies are taken.
         *
         * @param extraFields wire name to value; JSON null is {@code NullNode}
         * @return this builder
         * @throws NullPointerException if the map, a key or a value is null
         * @throws IllegalArgumentException if a key is blank or a typed field's wire name
         */
        public Builder extraFields(Map<String, JsonNode> extraFields) {
            Map<String, JsonNode> copy = JsonFields.copyOf(extraFields, "extraFields", TYPED_FIELDS);
            this.extraFields.clear();
            this.extraFields.putAll(copy);
            return this;
        }

        /**
         * Adds or replaces one field this type does not model; a deep copy is taken.
         *
         * @param name the wire name, e.g. {@code content_filter_results}
         * @param value the value
         * @return this builder
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if {@code name} is blank or a typed field's wire name
         */
        public Builder putExtraField(String name, JsonNode value) {
            JsonFields.checkKey(name, "extraFields", TYPED_FIELDS);
            extraFields.put(name, JsonFields.copy(value, "value"));
            return this;
        }

        /**
         * Builds the choice.
         *
         * @return the choice
         * @throws IllegalStateException naming {@code message} or {@code finishReason} when it is unset
         */
        public Choice build() {
            if (message == null) {
                throw new IllegalStateException("message is required");
            }
            if (finishReason == null) {
                throw new IllegalStateException("finishReason is required");
            }
            return new Choice(this);
        }
    }
}
