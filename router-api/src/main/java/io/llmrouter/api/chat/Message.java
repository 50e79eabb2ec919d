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
 * One message of a conversation, in OpenAI's chat-completions shape: a role, content (a string or
 * an array of {@link ContentPart parts}), and for assistant messages tool calls and a refusal.
 *
 * <p>The content's form is kept: a message whose content was a string is written back as a string
 * and one whose content was an array as an array ({@link #isMultipart()}). Fields this type does
 * not model (OpenAI {@code annotations}, Anthropic {@code thinking_blocks}, ...) are kept in
 * {@link #extraFields()} and written back.
 *
 * <p>Rules checked by {@link Builder#build()}: a {@link Role#TOOL tool} message needs a
 * {@code toolCallId}; system, developer, user and tool messages need content; an assistant message
 * needs content, tool calls, a refusal or an extra field (e.g. {@code audio}); tool calls and a
 * refusal are for assistant messages only, a tool call id for tool messages only, and image parts
 * for user messages only.
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 *
 * <pre>{@code
 * Message question = Message.user(List.of(
 *     TextPart.of("What is in this picture?"),
 *     ImagePart.of("https://example.com/cat.png", ImageDetail.LOW)));
 * Message answer = Message.assistantToolCalls(List.of(ToolCall.of("call_1", "lookup", "{\"q\":\"cat\"}")));
 * }</pre>
 *
 * @since 0.1.0
 */
public final class Message {

    /**
     * The wire key of a message's reasoning content, {@value}: DeepSeek's and the other
     * OpenAI-compatible vendors' field, and the name every adapter maps its vendor's reasoning
     * (Anthropic thinking, Gemini thought summaries, Cohere thinking, Bedrock reasoning) to.
     *
     * @since 0.1.0
     */
    public static final String REASONING_CONTENT = "reasoning_content";

    /** Wire names of the typed fields, which {@link #extraFields()} may not use. */
    private static final Set<String> TYPED_FIELDS =
            Set.of("role", "content", "name", "tool_calls", "tool_call_id", "refusal", REASONING_CONTENT);

    private final Role role;
    private final String content;
    private final List<ContentPart> parts;
    private final String name;
    private final List<ToolCall> toolCalls;
    private final String toolCallId;
    private final String refusal;
    private final String reasoningContent;
    private final Map<String, JsonNode> extraFields;
    private final boolean extraFieldsMutable;

    private Message(Builder b) {
        this.role = b.role;
        this.content = b.content;
        this.parts = b.parts == null ? null : List.copyOf(b.parts);
        this.name = b.name;
        this.toolCalls = List.copyOf(b.toolCalls);
        this.toolCallId = b.toolCallId;
        this.refusal = b.refusal;
        this.reasoningContent = b.reasoningContent;
        this.extraFields = b.extraFields.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(b.extraFields));
        this.extraFieldsMutable = JsonFields.hasContainer(extraFields);
    }

    /**
     * A builder for a message of {@code role}.
     *
     * @param role the author
     * @return the builder
     * @throws NullPointerException if {@code role} is null
     */
    public static Builder builder(Role role) {
        return new Builder(Objects.requireNonNull(role, "role"));
    }

    /**
     * A system message with string content.
     *
     * @param content the instructions
     * @return the message
     * @throws NullPointerException if {@code content} is null
     */
    public static Message system(String content) {
        return builder(Role.SYSTEM).content(content).build();
    }

    /**
     * A developer message with string content.
     *
     * @param content the instructions
     * @return the message
     * @throws NullPointerException if {@code content} is null
     */
    public static Message developer(String content) {
        return builder(Role.DEVELOPER).content(content).build();
    }

    /**
     * A user message with string content.
     *
     * @param content the text
     * @return the message
     * @throws NullPointerException if {@code content} is null
     */
    public static Message user(String content) {
        return builder(Role.USER).content(content).build();
    }

    /**
     * A user message with multi-part content (text and images).
     *
     * @param parts the parts, not empty
     * @return the message
     * @throws NullPointerException if {@code parts} or one of them is null
     * @throws IllegalStateException if {@code parts} is empty
     */
    public static Message user(List<ContentPart> parts) {
        return builder(Role.USER).contentParts(parts).build();
    }

    /**
     * An assistant message with string content.
     *
     * @param content the answer
     * @return the message
     * @throws NullPointerException if {@code content} is null
     */
    public static Message assistant(String content) {
        return builder(Role.ASSISTANT).content(content).build();
    }

    /**
     * An assistant message that calls tools and has no content.
     *
     * @param toolCalls the calls, not empty
     * @return the message
     * @throws NullPointerException if {@code toolCalls} or one of them is null
     * @throws IllegalStateException if {@code toolCalls} is empty
     */
    public static Message assistantToolCalls(List<ToolCall> toolCalls) {
        return builder(Role.ASSISTANT).toolCalls(toolCalls).build();
    }

    /**
     * A tool message carrying the result of the call {@code toolCallId}.
     *
     * @param toolCallId the {@link ToolCall#id()} this answers
     * @param content the result
     * @return the message
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code toolCallId} is blank
     */
    public static Message tool(String toolCallId, String content) {
        return builder(Role.TOOL).toolCallId(toolCallId).content(content).build();
    }

    /**
     * A builder holding this message's values.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        Builder b = new Builder(role);
        b.content = content;
        b.parts = parts == null ? null : new ArrayList<>(parts);
        b.name = name;
        b.toolCalls.addAll(toolCalls);
        b.toolCallId = toolCallId;
        b.refusal = refusal;
        b.reasoningContent = reasoningContent;
        b.extraFields.putAll(extraFields);
        return b;
    }

    /**
     * Who wrote the message.
     *
     * @return the role, never null
     */
    public Role role() {
        return role;
    }

    /**
     * The text content: the string content, or the concatenation of the text parts (images skipped).
     *
     * @return the text, {@code ""} when there is none (e.g. an assistant message with only tool calls)
     */
    public String text() {
        if (content != null) {
            return content;
        }
        if (parts == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (ContentPart part : parts) {
            if (part instanceof TextPart t) {
                sb.append(t.text());
            }
        }
        return sb.toString();
    }

    /**
     * The content as parts: a string content is returned as one {@link TextPart}.
     *
     * @return the parts, empty when the message has no content
     */
    public List<ContentPart> contentParts() {
        if (parts != null) {
            return parts;
        }
        return content == null ? List.of() : List.of(TextPart.of(content));
    }

    /**
     * Whether the message has content (a string, possibly empty, or parts).
     *
     * @return true when there is content
     */
    public boolean hasContent() {
        return content != null || parts != null;
    }

    /**
     * Whether the content was given as an array of parts (written back as an array) rather than a
     * string.
     *
     * @return true for array content
     */
    public boolean isMultipart() {
        return parts != null;
    }

    /**
     * The participant's name ({@code name}).
     *
     * @return the name, or empty
     */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /**
     * The tool calls of an assistant message.
     *
     * @return the calls in order, empty when there are none
     */
    public List<ToolCall> toolCalls() {
        return toolCalls;
    }

    /**
     * The call a tool message answers ({@code tool_call_id}).
     *
     * @return the id for a tool message, else empty
     */
    public Optional<String> toolCallId() {
        return Optional.ofNullable(toolCallId);
    }

    /**
     * The model's refusal message, when it refused to answer.
     *
     * @return the refusal, or empty
     */
    public Optional<String> refusal() {
        return Optional.ofNullable(refusal);
    }

    /**
     * The model's reasoning that came with this answer (DeepSeek's {@code reasoning_content},
     * Anthropic's thinking, Gemini's thought summary), not part of {@link #text()}. Sending the
     * message back in a later request gives it back to the vendor where its API takes it; the
     * signatures some vendors require with it (Anthropic's thinking blocks, Gemini's thought
     * signatures) travel in {@link #extraFields()}.
     *
     * @return the reasoning, or empty
     * @since 0.1.0
     */
    public Optional<String> reasoningContent() {
        return Optional.ofNullable(reasoningContent);
    }

    /**
     * Fields this type does not model, e.g. {@code annotations} or {@code thinking_blocks}, by wire
     * name. The values are copies the caller may change.
     *
     * @return the fields in wire order, empty when there are none
     */
    public Map<String, JsonNode> extraFields() {
        return JsonFields.copyOut(extraFields, extraFieldsMutable);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && role == m.role && Objects.equals(content, m.content)
                && Objects.equals(parts, m.parts) && Objects.equals(name, m.name) && toolCalls.equals(m.toolCalls)
                && Objects.equals(toolCallId, m.toolCallId) && Objects.equals(refusal, m.refusal)
                && Objects.equals(reasoningContent, m.reasoningContent) && extraFields.equals(m.extraFields);
    }

    @Override
    public int hashCode() {
        return Objects.hash(role, content, parts, name, toolCalls, toolCallId, refusal, reasoningContent, extraFields);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Message[").append(role.wireValue());
        if (content != null) {
            sb.append(", content=").append(Shorten.text(content));
        } else if (parts != null) {
            sb.append(", parts=").append(parts);
        }
        if (name != null) {
            sb.append(", name=").append(name);
        }
        if (!toolCalls.isEmpty()) {
            sb.append(", toolCalls=").append(toolCalls);
        }
        if (toolCallId != null) {
            sb.append(", toolCallId=").append(toolCallId);
        }
        if (refusal != null) {
            sb.append(", refusal=").append(Shorten.text(refusal));
        }
        if (reasoningContent != null) {
            sb.append(", reasoningContent=").append(Shorten.text(reasoningContent));
        }
        if (!extraFields.isEmpty()) {
            sb.append(", extraFields=").append(extraFields.keySet());
        }
        return sb.append(']').toString();
    }

    /** Builds a {@link Message}; not thread-safe. */
    public static final class Builder {
        private final Role role;
        private String content;
        private List<ContentPart> parts;
        private String name;
        private final List<ToolCall> toolCalls = new ArrayList<>();
        private String toolCallId;
        private String refusal;
        private String reasoningContent;
        private final Map<String, JsonNode> extraFields = new LinkedHashMap<>();

        private Builder(Role role) {
            this.role = role;
        }

        /**
         * Sets string content, replacing any content parts.
         *
         * @param content the text, may be empty
         * @return this builder
         * @throws NullPointerException if {@code content} is null
         */
        public Builder content(String content) {
            this.content = Objects.requireNonNull(content, "content");
            this.parts = null;
            return this;
        }

        /**
         * Sets multi-part content (written as an array), replacing any string content.
         *
         * @param parts the parts, copied
         * @return this builder
         * @throws NullPointerException if {@code parts} or one of them is null
         */
        public Builder contentParts(List<ContentPart> parts) {
            Objects.requireNonNull(parts, "parts");
            List<ContentPart> copy = new ArrayList<>(parts.size());
            for (ContentPart p : parts) {
                copy.add(Objects.requireNonNull(p, "parts element"));
            }
            this.parts = copy;
            this.content = null;
            return this;
        }

        /**
         * Adds one content part; string content set before becomes a leading text part.
         *
         * @param part the part
         * @return this builder
         * @throws NullPointerException if {@code part} is null
         */
        public Builder addContentPart(ContentPart part) {
            Objects.requireNonNull(part, "part");
            if (parts == null) {
                parts = new ArrayList<>();
                if (content != null) {
                    parts.add(TextPart.of(content));
                    content = null;
                }
            }
            parts.add(part);
            return this;
        }

        /**
         * Sets the participant's name.
         *
         * @param name the name, not blank
         * @return this builder
         * @throws NullPointerException if {@code name} is null
         * @throws IllegalArgumentException if {@code name} is blank
         */
        public Builder name(String name) {
            this.name = nonBlank(name, "name");
            return this;
        }

        /**
         * Replaces the tool calls (assistant messages only).
         *
         * @param toolCalls the calls, copied
         * @return this builder
         * @throws NullPointerException if {@code toolCalls} or one of them is null
         */
        public Builder toolCalls(List<ToolCall> toolCalls) {
            List<ToolCall> copy = List.copyOf(Objects.requireNonNull(toolCalls, "toolCalls"));
            this.toolCalls.clear();
            this.toolCalls.addAll(copy);
            return this;
        }

        /**
         * Adds one tool call (assistant messages only).
         *
         * @param toolCall the call
         * @return this builder
         * @throws NullPointerException if {@code toolCall} is null
         */
        public Builder addToolCall(ToolCall toolCall) {
            toolCalls.add(Objects.requireNonNull(toolCall, "toolCall"));
            return this;
        }

        /**
         * Sets the call a tool message answers.
         *
         * @param toolCallId the {@link ToolCall#id()}, not blank
         * @return this builder
         * @throws NullPointerException if {@code toolCallId} is null
         * @throws IllegalArgumentException if {@code toolCallId} is blank
         */
        public Builder toolCallId(String toolCallId) {
            this.toolCallId = nonBlank(toolCallId, "toolCallId");
            return this;
        }

        /**
         * Sets the model's refusal (assistant messages only).
         *
         * @param refusal the refusal message
         * @return this builder
         * @throws NullPointerException if {@code refusal} is null
         */
        public Builder refusal(String refusal) {
            this.refusal = Objects.requireNonNull(refusal, "refusal");
            return this;
        }

        /**
         * Sets the model's reasoning (assistant messages only); see {@link Message#reasoningContent()}.
         *
         * @param reasoningContent the reasoning text
         * @return this builder
         * @throws NullPointerException if {@code reasoningContent} is null
         * @since 0.1.0
         */
        public Builder reasoningContent(String reasoningContent) {
            this.reasoningContent = Objects.requireNonNull(reasoningContent, "reasoningContent");
            return this;
        }

        /**
         * Replaces the fields this type does not model; deep copies are taken.
         *
         * @param extraFields wire name to value; JSON null is {@code NullNode}
         * @return this builder
         * @throws NullPointerException if the map, a key or a value is null
         * @throws IllegalArgumentException if a key is blank or is a typed field's wire name (e.g. {@code content})
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
         * @param name the wire name, e.g. {@code annotations}
         * @param value the value; JSON null is {@code NullNode}
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
         * Builds the message, checking the rules of its role.
         *
         * @return the message
         * @throws IllegalStateException naming the field when a rule is broken (see {@link Message})
         */
        public Message build() {
            boolean hasContent = content != null || parts != null;
            if (parts != null && parts.isEmpty()) {
                throw new IllegalStateException("contentParts must not be empty for a " + role.wireValue()
                        + " message; set string content instead");
            }
            switch (role) {
                case TOOL -> {
                    if (toolCallId == null) {
                        throw new IllegalStateException("toolCallId is required for a tool message");
                    }
                    if (!hasContent) {
                        throw new IllegalStateException("content is required for a tool message");
                    }
                }
                case SYSTEM, DEVELOPER, USER -> {
                    if (!hasContent) {
                        throw new IllegalStateException("content is required for a " + role.wireValue()
                                + " message");
                    }
                }
                case ASSISTANT -> {
                    if (!hasContent && toolCalls.isEmpty() && refusal == null && reasoningContent == null
                            && extraFields.isEmpty()) {
                        throw new IllegalStateException(
                                "an assistant message needs content, toolCalls or a refusal; it has none");
                    }
                }
                default -> throw new AssertionError(role);
            }
            if (role != Role.ASSISTANT && !toolCalls.isEmpty()) {
                throw new IllegalStateException("toolCalls are only allowed on an assistant message, not on a "
                        + role.wireValue() + " message");
            }
            if (role != Role.ASSISTANT && refusal != null) {
                throw new IllegalStateException("refusal is only allowed on an assistant message, not on a "
                        + role.wireValue() + " message");
            }
            if (role != Role.TOOL && toolCallId != null) {
                throw new IllegalStateException("toolCallId is only allowed on a tool message, not on a "
                        + role.wireValue() + " message");
            }
            if (role != Role.USER && parts != null) {
                for (ContentPart p : parts) {
                    if (p instanceof ImagePart) {
                        throw new IllegalStateException("contentParts: image parts are only allowed on a user"
                                + " message, not on a " + role.wireValue() + " message");
                    }
                }
            }
            return new Message(this);
        }

        private static String nonBlank(String value, String field) {
            Objects.requireNonNull(value, field);
            if (value.isBlank()) {
                throw new IllegalArgumentException(field + " must not be blank, was '" + value + "'");
            }
            return value;
        }
    }
}
