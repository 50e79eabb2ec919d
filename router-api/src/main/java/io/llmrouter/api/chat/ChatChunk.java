package io.llmrouter.api.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One event of a streamed chat completion, in OpenAI's {@code chat.completion.chunk} shape reduced
 * to what every provider can say: for one choice, a piece of text, of refusal, or of tool calls;
 * the finish reason on the last content chunk; usage on a chunk of its own (usually the last).
 *
 * <pre>{@code
 * ChatChunk.text("chatcmpl-1", "gpt-4o", "Hel");
 * ChatChunk.builder("chatcmpl-1", "gpt-4o").finishReason(FinishReason.STOP).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 *
 * @since 0.1.0
 */
public final class ChatChunk {

    private final String id;
    private final String model;
    private final int choiceIndex;
    private final String role;
    private final String text;
    private final String refusal;
    private final List<ToolCallDelta> toolCalls;
    private final FinishReason finishReason;
    private final String rawFinishReason;
    private final Usage usage;
    private final String reasoning;
    private final Map<String, JsonNode> extraFields;

    private ChatChunk(Builder b) {
        this.id = b.id;
        this.model = b.model;
        this.choiceIndex = b.choiceIndex;
        this.role = b.role;
        this.text = b.text;
        this.refusal = b.refusal;
        this.toolCalls = b.toolCalls == null ? List.of() : List.copyOf(b.toolCalls);
        this.finishReason = b.finishReason;
        this.rawFinishReason = b.rawFinishReason != null ? b.rawFinishReason
                : b.finishReason != null ? b.finishReason.wireValue() : null;
        this.usage = b.usage;
        this.reasoning = b.reasoning;
        this.extraFields = b.extraFields == null || b.extraFields.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(b.extraFields));
    }

    /** A builder for a chunk of response {@code id} from {@code model}. */
    public static Builder builder(String id, String model) {
        return new Builder(id, model);
    }

    /** A chunk carrying a piece of text for choice 0. */
    public static ChatChunk text(String id, String model, String text) {
        return builder(id, model).text(text).build();
    }

    /** The response id (the same on every chunk of a stream). */
    public String id() {
        return id;
    }

    /** The model, as the provider names it. */
    public String model() {
        return model;
    }

    /** The choice this chunk belongs to (0 unless {@code n > 1}). */
    public int choiceIndex() {
        return choiceIndex;
    }

    /** The role, on the first chunk of a choice ({@code assistant}). */
    public Optional<String> role() {
        return Optional.ofNullable(role);
    }

    /** A piece of the answer's text. */
    public Optional<String> text() {
        return Optional.ofNullable(text);
    }

    /** A piece of a refusal. */
    public Optional<String> refusal() {
        return Optional.ofNullable(refusal);
    }

    /** Tool-call fragments. */
    public List<ToolCallDelta> toolCalls() {
        return toolCalls;
    }

    /** The finish reason, on the choice's last chunk. */
    public Optional<FinishReason> finishReason() {
        return Optional.ofNullable(finishReason);
    }

    /** The provider's own finish reason value, when the chunk has one. */
    public Optional<String> rawFinishReason() {
        return Optional.ofNullable(rawFinishReason);
    }

    /** Token usage, on the chunk that reports it. */
    public Optional<Usage> usage() {
        return Optional.ofNullable(usage);
    }

    /**
     * A piece of the model's reasoning (DeepSeek's {@code reasoning_content} delta, Anthropic's
     * {@code thinking_delta}, a Gemini thought part), which adds up to
     * {@link Message#reasoningContent()}.
     *
     * @return the piece, or empty
     * @since 0.1.0
     */
    public Optional<String> reasoning() {
        return Optional.ofNullable(reasoning);
    }

    /**
     * Message fields this chunk sets that the types do not model, by wire name, e.g. Anthropic's
     * {@code thinking_blocks} with their signatures or Gemini's {@code thought_signatures}: the
     * accumulated message carries the last value of each, so that it can be sent back.
     *
     * @return the fields (read-only), empty when none
     * @since 0.1.0
     */
    public Map<String, JsonNode> extraFields() {
        return JsonFields.copyOut(extraFields, JsonFields.hasContainer(extraFields));
    }

    // The fields as they are, for ChatStreamAccumulator, which reads every chunk of every stream: no Optional each.

    String roleOrNull() {
        return role;
    }

    String textOrNull() {
        return text;
    }

    String refusalOrNull() {
        return refusal;
    }

    String reasoningOrNull() {
        return reasoning;
    }

    FinishReason finishReasonOrNull() {
        return finishReason;
    }

    String rawFinishReasonOrNull() {
        return rawFinishReason;
    }

    Usage usageOrNull() {
        return usage;
    }

    boolean hasExtraFields() {
        return !extraFields.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChatChunk c && choiceIndex == c.choiceIndex && id.equals(c.id) && model.equals(c.model)
                && Objects.equals(role, c.role) && Objects.equals(text, c.text) && Objects.equals(refusal, c.refusal)
                && toolCalls.equals(c.toolCalls) && finishReason == c.finishReason
                && Objects.equals(rawFinishReason, c.rawFinishReason) && Objects.equals(usage, c.usage)
                && Objects.equals(reasoning, c.reasoning) && extraFields.equals(c.extraFields);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, choiceIndex, text, toolCalls, finishReason, usage);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ChatChunk[").append(id);
        if (text != null) {
            sb.append(", text=").append(text);
        }
        if (reasoning != null) {
            sb.append(", reasoning=").append(Shorten.text(reasoning));
        }
        if (!extraFields.isEmpty()) {
            sb.append(", extraFields=").append(extraFields.keySet());
        }
        if (!toolCalls.isEmpty()) {
            sb.append(", toolCalls=").append(toolCalls);
        }
        if (finishReason != null) {
            sb.append(", finish=").append(rawFinishReason);
        }
        if (usage != null) {
            sb.append(", ").append(usage);
        }
        return sb.append(']').toString();
    }

    /** Builds a {@link ChatChunk}; not thread-safe. */
    public static final class Builder {
        private final String id;
        private final String model;
        private int choiceIndex;
        private String role;
        private String text;
        private String refusal;
        /** Created by the first fragment: most chunks carry none. */
        private List<ToolCallDelta> toolCalls;
        private FinishReason finishReason;
        private String rawFinishReason;
        private Usage usage;
        private String reasoning;
        /** Created by the first field: most chunks carry none. */
        private Map<String, JsonNode> extraFields;

        private Builder(String id, String model) {
            this.id = Objects.requireNonNull(id, "id");
            this.model = Objects.requireNonNull(model, "model");
        }

        /** The choice index, 0 or more. */
        public Builder choiceIndex(int index) {
            if (index < 0) {
                throw new IllegalArgumentException("choiceIndex must not be negative, was " + index);
            }
            this.choiceIndex = index;
            return this;
        }

        /** The role. */
        public Builder role(String role) {
            this.role = Objects.requireNonNull(role, "role");
            return this;
        }

        /** A piece of text. */
        public Builder text(String text) {
            this.text = Objects.requireNonNull(text, "text");
            return this;
        }

        /** A piece of a refusal. */
        public Builder refusal(String refusal) {
            this.refusal = Objects.requireNonNull(refusal, "refusal");
            return this;
        }

        /** Adds a tool-call fragment. */
        public Builder addToolCall(ToolCallDelta delta) {
            Objects.requireNonNull(delta, "delta");
            if (toolCalls == null) {
                toolCalls = new ArrayList<>(2);
            }
            toolCalls.add(delta);
            return this;
        }

        /** The finish reason. */
        public Builder finishReason(FinishReason reason) {
            this.finishReason = Objects.requireNonNull(reason, "finishReason");
            return this;
        }

        /** The provider's raw finish reason (defaults to the OpenAI value). */
        public Builder rawFinishReason(String raw) {
            this.rawFinishReason = Objects.requireNonNull(raw, "rawFinishReason");
            return this;
        }

        /** The usage. */
        public Builder usage(Usage usage) {
            this.usage = Objects.requireNonNull(usage, "usage");
            return this;
        }

        /**
         * A piece of the model's reasoning.
         *
         * @param reasoning the piece
         * @return this builder
         * @throws NullPointerException if {@code reasoning} is null
         * @since 0.1.0
         */
        public Builder reasoning(String reasoning) {
            this.reasoning = Objects.requireNonNull(reasoning, "reasoning");
            return this;
        }

        /**
         * Sets a message field the types do not model (a deep copy is taken); see
         * {@link ChatChunk#extraFields()}.
         *
         * @param name the wire name, e.g. {@code thinking_blocks}
         * @param value the field's whole value so far
         * @return this builder
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if {@code name} is blank
         * @since 0.1.0
         */
        public Builder putExtraField(String name, JsonNode value) {
            JsonFields.checkKey(name, "extraFields", Set.of());
            JsonNode copy = JsonFields.copy(value, "value");
            if (extraFields == null) {
                extraFields = new LinkedHashMap<>();
            }
            extraFields.put(name, copy);
            return this;
        }

        /** The chunk. */
        public ChatChunk build() {
            return new ChatChunk(this);
        }
    }
}
