package io.llmrouter.api.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmrouter.api.RouterRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A chat-completions request in OpenAI's shape: the model (group) to ask, the conversation, and
 * the sampling, tool and output options.
 *
 * <p>Every option is optional and absent unless set; absent options are not sent, so the
 * provider's defaults apply. Provider-specific parameters this type does not model go in
 * {@link #extraBody()}, the one escape hatch: its entries are merged into the top level of the
 * JSON body sent to the provider. {@link #tags()} are the router's own routing and spend tags and
 * are never sent to a provider.
 *
 * <p>The list of messages may be empty here; the router rejects such a request with its own typed
 * exception. Immutable and thread-safe; the builder is not thread-safe.
 *
 * <pre>{@code
 * ChatRequest request = ChatRequest.builder("gpt-4o")
 *     .addMessage(Message.system("Answer in one sentence."))
 *     .addMessage(Message.user("Why is the sky blue?"))
 *     .temperature(0.2)
 *     .maxCompletionTokens(200)
 *     .build();
 * ChatRequest again = request.toBuilder().model("claude-sonnet").build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class ChatRequest implements RouterRequest {

    /** Lowest {@code temperature}: {@value}. */
    public static final double MIN_TEMPERATURE = 0.0;
    /** Highest {@code temperature}: {@value}. */
    public static final double MAX_TEMPERATURE = 2.0;
    /** Lowest {@code top_p}: {@value}. */
    public static final double MIN_TOP_P = 0.0;
    /** Highest {@code top_p}: {@value}. */
    public static final double MAX_TOP_P = 1.0;
    /** Lowest presence and frequency penalty: {@value}. */
    public static final double MIN_PENALTY = -2.0;
    /** Highest presence and frequency penalty: {@value}. */
    public static final double MAX_PENALTY = 2.0;

    /**
     * Wire names of the typed top-level fields, which {@link #extraBody()} may not use. {@code tags}
     * is not among them: it is not an OpenAI field.
     */
    public static final Set<String> TYPED_FIELDS = Set.of("model", "messages", "temperature", "top_p",
            "max_tokens", "max_completion_tokens", "stop", "n", "seed", "presence_penalty", "frequency_penalty",
            "user", "tools", "tool_choice", "parallel_tool_calls", "response_format", "stream", "stream_options",
            "metadata");

    private final String model;
    private final List<Message> messages;
    private final Double temperature;
    private final Double topP;
    private final Integer maxTokens;
    private final Integer maxCompletionTokens;
    private final List<String> stop;
    private final boolean stopString;
    private final Integer n;
    private final Long seed;
    private final Double presencePenalty;
    private final Double frequencyPenalty;
    private final String user;
    private final List<Tool> tools;
    private final ToolChoice toolChoice;
    private final Boolean parallelToolCalls;
    private final ResponseFormat responseFormat;
    private final boolean stream;
    private final StreamOptions streamOptions;
    private final Map<String, String> metadata;
    private final List<String> tags;
    private final Map<String, JsonNode> extraBody;
    private final boolean extraBodyMutable;

    private ChatRequest(Builder b) {
        this.model = b.model;
        this.messages = List.copyOf(b.messages);
        this.temperature = b.temperature;
        this.topP = b.topP;
        this.maxTokens = b.maxTokens;
        this.maxCompletionTokens = b.maxCompletionTokens;
        this.stop = List.copyOf(b.stop);
        this.stopString = b.stopString;
        this.n = b.n;
        this.seed = b.seed;
        this.presencePenalty = b.presencePenalty;
        this.frequencyPenalty = b.frequencyPenalty;
        this.user = b.user;
        this.tools = List.copyOf(b.tools);
        this.toolChoice = b.toolChoice;
        this.parallelToolCalls = b.parallelToolCalls;
        this.responseFormat = b.responseFormat;
        this.stream = b.stream;
        this.streamOptions = b.streamOptions;
        this.metadata = b.metadata.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(b.metadata));
        this.tags = List.copyOf(b.tags);
        this.extraBody = b.extraBody.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(b.extraBody));
        this.extraBodyMutable = JsonFields.hasContainer(extraBody);
    }

    /**
     * A builder for a request to {@code model}.
     *
     * @param model the model group (or, for a provider, the provider's model name), not blank
     * @return the builder
     * @throws NullPointerException if {@code model} is null
     * @throws IllegalArgumentException if {@code model} is blank
     */
    public static Builder builder(String model) {
        return new Builder().model(model);
    }

    /**
     * A request with one user message and no options.
     *
     * @param model the model group, not blank
     * @param text the user's message
     * @return the request
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code model} is blank
     */
    public static ChatRequest ofUser(String model, String text) {
        return builder(model).addMessage(Message.user(text)).build();
    }

    /**
     * A builder holding this request's values.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.model = model;
        b.messages.addAll(messages);
        b.temperature = temperature;
        b.topP = topP;
        b.maxTokens = maxTokens;
        b.maxCompletionTokens = maxCompletionTokens;
        b.stop.addAll(stop);
        b.stopString = stopString;
        b.n = n;
        b.seed = seed;
        b.presencePenalty = presencePenalty;
        b.frequencyPenalty = frequencyPenalty;
        b.user = user;
        b.tools.addAll(tools);
        b.toolChoice = toolChoice;
        b.parallelToolCalls = parallelToolCalls;
        b.responseFormat = responseFormat;
        b.stream = stream;
        b.streamOptions = streamOptions;
        b.metadata.putAll(metadata);
        b.tags.addAll(tags);
        b.extraBody.putAll(extraBody);
        return b;
    }

    /**
     * The model group to route to (or, inside a provider call, the provider's model name).
     *
     * @return the model, never blank
     */
    @Override
    public String model() {
        return model;
    }

    /**
     * The conversation, oldest first.
     *
     * @return the messages, possibly empty
     */
    public List<Message> messages() {
        return messages;
    }

    /**
     * Sampling temperature ({@code temperature}), between {@value #MIN_TEMPERATURE} and {@value #MAX_TEMPERATURE}.
     *
     * @return the temperature, or empty for the provider's default
     */
    public OptionalDouble temperature() {
        return temperature == null ? OptionalDouble.empty() : OptionalDouble.of(temperature);
    }

    /**
     * Nucleus sampling probability mass ({@code top_p}), between {@value #MIN_TOP_P} and {@value #MAX_TOP_P}.
     *
     * @return the value, or empty for the provider's default
     */
    public OptionalDouble topP() {
        return topP == null ? OptionalDouble.empty() : OptionalDouble.of(topP);
    }

    /**
     * The legacy output token limit ({@code max_tokens}); newer OpenAI models want
     * {@link #maxCompletionTokens()}.
     *
     * @return the limit, or empty
     */
    public OptionalInt maxTokens() {
        return maxTokens == null ? OptionalInt.empty() : OptionalInt.of(maxTokens);
    }

    /**
     * The output token limit including reasoning tokens ({@code max_completion_tokens}).
     *
     * @return the limit, or empty
     */
    public OptionalInt maxCompletionTokens() {
        return maxCompletionTokens == null ? OptionalInt.empty() : OptionalInt.of(maxCompletionTokens);
    }

    /**
     * Sequences at which the model stops ({@code stop}).
     *
     * @return the sequences, empty when none were given
     */
    public List<String> stop() {
        return stop;
    }

    /**
     * Whether {@code stop} was given as one string ({@link Builder#stop(String)}) and is written as a
     * JSON string rather than an array.
     *
     * @return true for the string form
     */
    public boolean isStopString() {
        return stopString;
    }

    /**
     * How many choices to generate ({@code n}).
     *
     * @return the count, or empty for one
     */
    public OptionalInt n() {
        return n == null ? OptionalInt.empty() : OptionalInt.of(n);
    }

    /**
     * Seed for best-effort deterministic sampling ({@code seed}).
     *
     * @return the seed, or empty
     */
    public OptionalLong seed() {
        return seed == null ? OptionalLong.empty() : OptionalLong.of(seed);
    }

    /**
     * Presence penalty ({@code presence_penalty}), between {@value #MIN_PENALTY} and {@value #MAX_PENALTY}.
     *
     * @return the penalty, or empty
     */
    public OptionalDouble presencePenalty() {
        return presencePenalty == null ? OptionalDouble.empty() : OptionalDouble.of(presencePenalty);
    }

    /**
     * Frequency penalty ({@code frequency_penalty}), between {@value #MIN_PENALTY} and {@value #MAX_PENALTY}.
     *
     * @return the penalty, or empty
     */
    public OptionalDouble frequencyPenalty() {
        return frequencyPenalty == null ? OptionalDouble.empty() : OptionalDouble.of(frequencyPenalty);
    }

    /**
     * An end-user identifier for the provider's abuse monitoring ({@code user}).
     *
     * @return the identifier, or empty
     */
    @Override
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    /**
     * The tools the model may call ({@code tools}).
     *
     * @return the tools, empty when none
     */
    public List<Tool> tools() {
        return tools;
    }

    /**
     * Whether and which tool the model must call ({@code tool_choice}).
     *
     * @return the choice, or empty for the provider's default
     */
    public Optional<ToolChoice> toolChoice() {
        return Optional.ofNullable(toolChoice);
    }

    /**
     * Whether the model may call several tools in one turn ({@code parallel_tool_calls}).
     *
     * @return the flag, or empty for the provider's default
     */
    public Optional<Boolean> parallelToolCalls() {
        return Optional.ofNullable(parallelToolCalls);
    }

    /**
     * The format the model must answer in ({@code response_format}).
     *
     * @return the format, or empty for free text
     */
    public Optional<ResponseFormat> responseFormat() {
        return Optional.ofNullable(responseFormat);
    }

    /**
     * Whether the answer is streamed ({@code stream}); written only when true.
     *
     * @return the flag, false by default
     */
    public boolean stream() {
        return stream;
    }

    /**
     * Options of a streamed answer ({@code stream_options}).
     *
     * @return the options, or empty
     */
    public Optional<StreamOptions> streamOptions() {
        return Optional.ofNullable(streamOptions);
    }

    /**
     * String key-value pairs sent to the provider as {@code metadata}.
     *
     * @return the metadata in insertion order, empty when none
     */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * The router's routing and spend tags; never sent to a provider.
     *
     * @return the tags, empty when none
     */
    @Override
    public List<String> tags() {
        return tags;
    }

    /**
     * Provider-specific top-level body fields this type does not model (e.g. {@code reasoning_effort},
     * {@code logit_bias}), merged into the JSON body as they are. The values are copies the caller
     * may change.
     *
     * @return the fields in insertion order, empty when none
     */
    public Map<String, JsonNode> extraBody() {
        return JsonFields.copyOut(extraBody, extraBodyMutable);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChatRequest r && model.equals(r.model) && messages.equals(r.messages)
                && Objects.equals(temperature, r.temperature) && Objects.equals(topP, r.topP)
                && Objects.equals(maxTokens, r.maxTokens) && Objects.equals(maxCompletionTokens, r.maxCompletionTokens)
                && stop.equals(r.stop) && stopString == r.stopString && Objects.equals(n, r.n)
                && Objects.equals(seed, r.seed) && Objects.equals(presencePenalty, r.presencePenalty)
                && Objects.equals(frequencyPenalty, r.frequencyPenalty) && Objects.equals(user, r.user)
                && tools.equals(r.tools) && Objects.equals(toolChoice, r.toolChoice)
                && Objects.equals(parallelToolCalls, r.parallelToolCalls)
                && Objects.equals(responseFormat, r.responseFormat) && stream == r.stream
                && Objects.equals(streamOptions, r.streamOptions) && metadata.equals(r.metadata)
                && tags.equals(r.tags) && extraBody.equals(r.extraBody);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, messages, temperature, topP, maxTokens, maxCompletionTokens, stop, stopString, n,
                seed, presencePenalty, frequencyPenalty, user, tools, toolChoice, parallelToolCalls, responseFormat,
                stream, streamOptions, metadata, tags, extraBody);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ChatRequest[model=").append(model)
                .append(", messages=").append(messages.size());
        appendIf(sb, "temperature", temperature);
        appendIf(sb, "topP", topP);
        appendIf(sb, "maxTokens", maxTokens);
        appendIf(sb, "maxCompletionTokens", maxCompletionTokens);
        appendIf(sb, "stop", stop.isEmpty() ? null : stop);
        appendIf(sb, "n", n);
        appendIf(sb, "seed", seed);
        appendIf(sb, "presencePenalty", presencePenalty);
        appendIf(sb, "frequencyPenalty", frequencyPenalty);
        appendIf(sb, "tools", tools.isEmpty() ? null : tools.size());
        appendIf(sb, "toolChoice", toolChoice);
        appendIf(sb, "parallelToolCalls", parallelToolCalls);
        appendIf(sb, "responseFormat", responseFormat);
        appendIf(sb, "stream", stream ? Boolean.TRUE : null);
        appendIf(sb, "streamOptions", streamOptions);
        appendIf(sb, "metadata", metadata.isEmpty() ? null : metadata.keySet());
        appendIf(sb, "tags", tags.isEmpty() ? null : tags);
        appendIf(sb, "extraBody", extraBody.isEmpty() ? null : extraBody.keySet());
        return sb.append(']').toString();
    }

    private static void appendIf(StringBuilder sb, String name, Object value) {
        if (value != null) {
            sb.append(", ").append(name).append('=').append(value);
        }
    }

    /** Builds a {@link ChatRequest}; not thread-safe. Range errors are thrown by the setters. */
    public static final class Builder {
        private String model;
        private final List<Message> messages = new ArrayList<>();
        private Double temperature;
        private Double topP;
        private Integer maxTokens;
        private Integer maxCompletionTokens;
        private final List<String> stop = new ArrayList<>();
        private boolean stopString;
        private Integer n;
        private Long seed;
        private Double presencePenalty;
        private Double frequencyPenalty;
        private String user;
        private final List<Tool> tools = new ArrayList<>();
        private ToolChoice toolChoice;
        private Boolean parallelToolCalls;
        private ResponseFormat responseFormat;
        private boolean stream;
        private StreamOptions streamOptions;
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private final List<String> tags = new ArrayList<>();
        private final Map<String, JsonNode> extraBody = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Replaces the model.
         *
         * @param model the model group or provider model name, not blank
         * @return this builder
         * @throws NullPointerException if {@code model} is null
         * @throws IllegalArgumentException if {@code model} is blank
         */
        public Builder model(String model) {
            Objects.requireNonNull(model, "model");
            if (model.isBlank()) {
                throw new IllegalArgumentException("model must not be blank, was '" + model + "'");
            }
            this.model = model;
            return this;
        }

        /**
         * Replaces the conversation.
         *
         * @param messages the messages, oldest first; copied
         * @return this builder
         * @throws NullPointerException if {@code messages} or one of them is null
         */
        public Builder messages(List<Message> messages) {
            List<Message> copy = List.copyOf(Objects.requireNonNull(messages, "messages"));
            this.messages.clear();
            this.messages.addAll(copy);
            return this;
        }

        /**
         * Appends one message.
         *
         * @param message the message
         * @return this builder
         * @throws NullPointerException if {@code message} is null
         */
        public Builder addMessage(Message message) {
            messages.add(Objects.requireNonNull(message, "message"));
            return this;
        }

        /**
         * Sets the sampling temperature.
         *
         * @param temperature between {@value ChatRequest#MIN_TEMPERATURE} and {@value ChatRequest#MAX_TEMPERATURE}
         * @return this builder
         * @throws IllegalArgumentException naming the value when it is out of range or not a number
         */
        public Builder temperature(double temperature) {
            this.temperature = inRange(temperature, MIN_TEMPERATURE, MAX_TEMPERATURE, "temperature");
            return this;
        }

        /**
         * Sets nucleus sampling's probability mass.
         *
         * @param topP between {@value ChatRequest#MIN_TOP_P} and {@value ChatRequest#MAX_TOP_P}
         * @return this builder
         * @throws IllegalArgumentException naming the value when it is out of range or not a number
         */
        public Builder topP(double topP) {
            this.topP = inRange(topP, MIN_TOP_P, MAX_TOP_P, "topP");
            return this;
        }

        /**
         * Sets the legacy output token limit ({@code max_tokens}).
         *
         * @param maxTokens at least 1
         * @return this builder
         * @throws IllegalArgumentException naming the value when it is below 1
         */
        public Builder maxTokens(int maxTokens) {
            this.maxTokens = positive(maxTokens, "maxTokens");
            return this;
        }

        /**
         * Sets the output token limit including reasoning ({@code max_completion_tokens}).
         *
         * @param maxCompletionTokens at least 1
         * @return this builder
         * @throws IllegalArgumentException naming the value when it is below 1
         */
        public Builder maxCompletionTokens(int maxCompletionTokens) {
            this.maxCompletionTokens = positive(maxCompletionTokens, "maxCompletionTokens");
            return this;
        }

        /**
         * Replaces the stop sequences; written as a JSON array. Their number is not capped, as
         * providers differ (OpenAI allows 4).
         *
         * @param stop the sequences; none may be empty (whitespace such as {@code "\n"} is fine)
         * @return this builder
         * @throws NullPointerException if {@code stop} or one of them is null
         * @throws IllegalArgumentException naming the index of an empty sequence
         */
        public Builder stop(List<String> stop) {
            Objects.requireNonNull(stop, "stop");
            List<String> copy = new ArrayList<>(stop.size());
            for (int i = 0; i < stop.size(); i++) {
                copy.add(checkStop(stop.get(i), "stop[" + i + "]"));
            }
            this.stop.clear();
            this.stop.addAll(copy);
            this.stopString = false;
            return this;
        }

        /**
         * Sets one stop sequence, written as a JSON string.
         *
         * @param stop the sequence, not empty (whitespace such as {@code "\n"} is fine)
         * @return this builder
         * @throws NullPointerException if {@code stop} is null
         * @throws IllegalArgumentException if {@code stop} is empty
         */
        public Builder stop(String stop) {
            String checked = checkStop(stop, "stop");
            this.stop.clear();
            this.stop.add(checked);
            this.stopString = true;
            return this;
        }

        private static String checkStop(String value, String field) {
            Objects.requireNonNull(value, field);
            if (value.isEmpty()) {
                throw new IllegalArgumentException(field + " must not be empty, was ''");
            }
            return value;
        }

        /**
         * Sets how many choices to generate.
         *
         * @param n at least 1
         * @return this builder
         * @throws IllegalArgumentException naming the value when it is below 1
         */
        public Builder n(int n) {
            this.n = positive(n, "n");
            return this;
        }

        /**
         * Sets the sampling seed.
         *
         * @param seed any value
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets the presence penalty.
         *
         * @param presencePenalty between {@value ChatRequest#MIN_PENALTY} and {@value ChatRequest#MAX_PENALTY}
         * @return this builder
         * @throws IllegalArgumentException naming the value when it is out of range or not a number
         */
        public Builder presencePenalty(double presencePenalty) {
            this.presencePenalty = inRange(presencePenalty, MIN_PENALTY, MAX_PENALTY, "presencePenalty");
            return this;
        }

        /**
         * Sets the frequency penalty.
         *
         * @param frequencyPenalty between {@value ChatRequest#MIN_PENALTY} and {@value ChatRequest#MAX_PENALTY}
         * @return this builder
         * @throws IllegalArgumentException naming the value when it is out of range or not a number
         */
        public Builder frequencyPenalty(double frequencyPenalty) {
            this.frequencyPenalty = inRange(frequencyPenalty, MIN_PENALTY, MAX_PENALTY, "frequencyPenalty");
            return this;
        }

        /**
         * Sets the end-user identifier.
         *
         * @param user the identifier
         * @return this builder
         * @throws NullPointerException if {@code user} is null
         */
        public Builder user(String user) {
            this.user = Objects.requireNonNull(user, "user");
            return this;
        }

        /**
         * Replaces the tools.
         *
         * @param tools the tools, copied
         * @return this builder
         * @throws NullPointerException if {@code tools} or one of them is null
         */
        public Builder tools(List<Tool> tools) {
            List<Tool> copy = List.copyOf(Objects.requireNonNull(tools, "tools"));
            this.tools.clear();
            this.tools.addAll(copy);
            return this;
        }

        /**
         * Adds one tool.
         *
         * @param tool the tool
         * @return this builder
         * @throws NullPointerException if {@code tool} is null
         */
        public Builder addTool(Tool tool) {
            tools.add(Objects.requireNonNull(tool, "tool"));
            return this;
        }

        /**
         * Sets whether and which tool the model must call.
         *
         * @param toolChoice the choice
         * @return this builder
         * @throws NullPointerException if {@code toolChoice} is null
         */
        public Builder toolChoice(ToolChoice toolChoice) {
            this.toolChoice = Objects.requireNonNull(toolChoice, "toolChoice");
            return this;
        }

        /**
         * Sets whether the model may call several tools in one turn.
         *
         * @param parallelToolCalls the flag
         * @return this builder
         */
        public Builder parallelToolCalls(boolean parallelToolCalls) {
            this.parallelToolCalls = parallelToolCalls;
            return this;
        }

        /**
         * Sets the format the model must answer in.
         *
         * @param responseFormat the format
         * @return this builder
         * @throws NullPointerException if {@code responseFormat} is null
         */
        public Builder responseFormat(ResponseFormat responseFormat) {
            this.responseFormat = Objects.requireNonNull(responseFormat, "responseFormat");
            return this;
        }

        /**
         * Sets whether the answer is streamed.
         *
         * @param stream the flag; default false
         * @return this builder
         */
        public Builder stream(boolean stream) {
            this.stream = stream;
            return this;
        }

        /**
         * Sets the options of a streamed answer.
         *
         * @param streamOptions the options
         * @return this builder
         * @throws NullPointerException if {@code streamOptions} is null
         */
        public Builder streamOptions(StreamOptions streamOptions) {
            this.streamOptions = Objects.requireNonNull(streamOptions, "streamOptions");
            return this;
        }

        /**
         * Replaces the metadata sent to the provider.
         *
         * @param metadata string keys and values, copied in iteration order
         * @return this builder
         * @throws NullPointerException if the map, a key or a value is null
         * @throws IllegalArgumentException if a key is blank
         */
        public Builder metadata(Map<String, String> metadata) {
            Objects.requireNonNull(metadata, "metadata");
            Map<String, String> copy = new LinkedHashMap<>();
            metadata.forEach((k, v) -> copy.put(checkMetadataKey(k), Objects.requireNonNull(v, "metadata[" + k + "]")));
            this.metadata.clear();
            this.metadata.putAll(copy);
            return this;
        }

        /**
         * Adds or replaces one metadata entry.
         *
         * @param key the key, not blank
         * @param value the value
         * @return this builder
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if {@code key} is blank
         */
        public Builder putMetadata(String key, String value) {
            metadata.put(checkMetadataKey(key), Objects.requireNonNull(value, "value"));
            return this;
        }

        private static String checkMetadataKey(String key) {
            Objects.requireNonNull(key, "metadata key");
            if (key.isBlank()) {
                throw new IllegalArgumentException("metadata key must not be blank, was '" + key + "'");
            }
            return key;
        }

        /**
         * Replaces the router's routing and spend tags (never sent to a provider).
         *
         * @param tags the tags, none blank; copied
         * @return this builder
         * @throws NullPointerException if {@code tags} or one of them is null
         * @throws IllegalArgumentException naming a blank tag
         */
        public Builder tags(List<String> tags) {
            Objects.requireNonNull(tags, "tags");
            List<String> copy = new ArrayList<>(tags.size());
            for (String tag : tags) {
                copy.add(checkTag(tag));
            }
            this.tags.clear();
            this.tags.addAll(copy);
            return this;
        }

        /**
         * Adds one routing and spend tag.
         *
         * @param tag the tag, not blank
         * @return this builder
         * @throws NullPointerException if {@code tag} is null
         * @throws IllegalArgumentException if {@code tag} is blank
         */
        public Builder addTag(String tag) {
            tags.add(checkTag(tag));
            return this;
        }

        private static String checkTag(String tag) {
            Objects.requireNonNull(tag, "tag");
            if (tag.isBlank()) {
                throw new IllegalArgumentException("tag must not be blank, was '" + tag + "'");
            }
            return tag;
        }

        /**
         * Replaces the provider-specific top-level body fields; deep copies are taken.
         *
         * @param extraBody wire name to value; JSON null is {@code NullNode}
         * @return this builder
         * @throws NullPointerException if the map, a key or a value is null
         * @throws IllegalArgumentException if a key is blank or is one of {@link ChatRequest#TYPED_FIELDS}
         */
        public Builder extraBody(Map<String, JsonNode> extraBody) {
            Map<String, JsonNode> copy = JsonFields.copyOf(extraBody, "extraBody", TYPED_FIELDS);
            this.extraBody.clear();
            this.extraBody.putAll(copy);
            return this;
        }

        /**
         * Adds or replaces one provider-specific top-level body field; a deep copy is taken.
         *
         * @param key the wire name, e.g. {@code reasoning_effort}
         * @param value the value; JSON null is {@code NullNode}
         * @return this builder
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if {@code key} is blank or is one of {@link ChatRequest#TYPED_FIELDS}
         *     (use the typed setter)
         */
        public Builder putExtraBody(String key, JsonNode value) {
            JsonFields.checkKey(key, "extraBody", TYPED_FIELDS);
            extraBody.put(key, JsonFields.copy(value, "value"));
            return this;
        }

        /**
         * Builds the request.
         *
         * @return the request
         */
        public ChatRequest build() {
            return new ChatRequest(this);
        }

        private static double inRange(double value, double min, double max, String field) {
            if (!(value >= min && value <= max)) {
                throw new IllegalArgumentException(field + " must be between " + min + " and " + max + ", was "
                        + value);
            }
            return value;
        }

        private static int positive(int value, String field) {
            if (value < 1) {
                throw new IllegalArgumentException(field + " must be at least 1, was " + value);
            }
            return value;
        }
    }
}
