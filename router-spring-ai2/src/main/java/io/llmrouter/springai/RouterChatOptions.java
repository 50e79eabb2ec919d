package io.llmrouter.springai;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.model.tool.DefaultToolCallingChatOptions;
import org.springframework.ai.model.tool.StructuredOutputChatOptions;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;

/**
 * Spring AI 2.0 chat options for {@link RouterChatModel}: the portable options (the model is the
 * router's model group), tool callbacks and context ({@link ToolCallingChatOptions}) and a JSON
 * schema for structured output ({@link StructuredOutputChatOptions}), plus llmrouter's {@code user}
 * and {@code seed}. An unset (null) value keeps the model's default option, then the provider's.
 *
 * <pre>{@code
 * ChatResponse r = chatModel.call(new Prompt("Hi", RouterChatOptions.builder()
 *     .model("claude").temperature(0.2).maxTokens(200).build()));
 * }</pre>
 *
 * <p>Immutable and thread-safe, as Spring AI 2.0's options are ({@link #mutate()} for a changed
 * copy). Spring AI 1.1's tool names and {@code internalToolExecutionEnabled} are gone in 2.0: tools
 * are callbacks, and {@code ChatClient}'s tool calling advisor runs them.
 *
 * @since 0.1.0
 */
public final class RouterChatOptions implements ToolCallingChatOptions, StructuredOutputChatOptions {

    private final String model;
    private final Double temperature;
    private final Double topP;
    private final Integer topK;
    private final Integer maxTokens;
    private final List<String> stopSequences;
    private final Double frequencyPenalty;
    private final Double presencePenalty;
    private final Long seed;
    private final String user;
    private final List<ToolCallback> toolCallbacks;
    private final Map<String, Object> toolContext;
    private final String outputSchema;

    private RouterChatOptions(String model, Double temperature, Double topP, Integer topK, Integer maxTokens,
            List<String> stopSequences, Double frequencyPenalty, Double presencePenalty, Long seed, String user,
            List<ToolCallback> toolCallbacks, Map<String, Object> toolContext, String outputSchema) {
        this.model = model;
        this.temperature = temperature;
        this.topP = topP;
        this.topK = topK;
        this.maxTokens = maxTokens;
        this.stopSequences = stopSequences == null ? null : List.copyOf(stopSequences);
        this.frequencyPenalty = frequencyPenalty;
        this.presencePenalty = presencePenalty;
        this.seed = seed;
        this.user = user;
        this.toolCallbacks = toolCallbacks == null ? List.of() : List.copyOf(toolCallbacks);
        this.toolContext = toolContext == null ? Map.of() : Map.copyOf(toolContext);
        this.outputSchema = outputSchema;
    }

    /** A builder of options, every value unset. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Options holding the portable, tool-calling and structured-output values of any Spring AI options.
     *
     * @param options the options, e.g. {@code DefaultToolCallingChatOptions} from a {@code ChatClient}
     * @return new options
     */
    public static RouterChatOptions from(ChatOptions options) {
        Objects.requireNonNull(options, "options");
        if (options instanceof RouterChatOptions r) {
            return r;
        }
        Builder b = builder().model(options.getModel()).temperature(options.getTemperature())
                .topP(options.getTopP()).topK(options.getTopK()).maxTokens(options.getMaxTokens())
                .stopSequences(options.getStopSequences()).frequencyPenalty(options.getFrequencyPenalty())
                .presencePenalty(options.getPresencePenalty());
        if (options instanceof ToolCallingChatOptions t) {
            if (t.getToolCallbacks() != null) {
                b.toolCallbacks(t.getToolCallbacks());
            }
            if (t.getToolContext() != null) {
                b.toolContext(t.getToolContext());
            }
        }
        if (options instanceof StructuredOutputChatOptions s) {
            b.outputSchema(s.getOutputSchema());
        }
        return b.build();
    }

    /**
     * These options with each unset value taken from {@code defaults}; tools and tool context are merged.
     *
     * @param defaults the model's default options
     * @return new options
     */
    RouterChatOptions withDefaults(RouterChatOptions defaults) {
        Builder b = builder();
        b.model(first(model, defaults.model));
        b.temperature(first(temperature, defaults.temperature));
        b.topP(first(topP, defaults.topP));
        b.topK(first(topK, defaults.topK));
        b.maxTokens(first(maxTokens, defaults.maxTokens));
        b.stopSequences(first(stopSequences, defaults.stopSequences));
        b.frequencyPenalty(first(frequencyPenalty, defaults.frequencyPenalty));
        b.presencePenalty(first(presencePenalty, defaults.presencePenalty));
        b.seed = first(seed, defaults.seed);
        b.user = first(user, defaults.user);
        b.outputSchema = first(outputSchema, defaults.outputSchema);
        b.toolCallbacks(ToolCallingChatOptions.mergeToolCallbacks(toolCallbacks, defaults.toolCallbacks));
        b.toolContext(ToolCallingChatOptions.mergeToolContext(toolContext, defaults.toolContext));
        return b.build();
    }

    /** These options with another model group. */
    RouterChatOptions withModel(String model) {
        return mutate().model(model).build();
    }

    private static <T> T first(T value, T fallback) {
        return value != null ? value : fallback;
    }

    /** The model group (or alias) to call; null for the model's default group. */
    @Override
    public String getModel() {
        return model;
    }

    /** The frequency penalty; null when unset. */
    @Override
    public Double getFrequencyPenalty() {
        return frequencyPenalty;
    }

    /** The maximum output tokens; null when unset. */
    @Override
    public Integer getMaxTokens() {
        return maxTokens;
    }

    /** The presence penalty; null when unset. */
    @Override
    public Double getPresencePenalty() {
        return presencePenalty;
    }

    /** The stop sequences; null when unset. */
    @Override
    public List<String> getStopSequences() {
        return stopSequences;
    }

    /** The temperature; null when unset. */
    @Override
    public Double getTemperature() {
        return temperature;
    }

    /** The top-k (not sent by the router's OpenAI-shaped request); null when unset. */
    @Override
    public Integer getTopK() {
        return topK;
    }

    /** The top-p; null when unset. */
    @Override
    public Double getTopP() {
        return topP;
    }

    /** The seed; null when unset. */
    public Long getSeed() {
        return seed;
    }

    /** The end user, for spend tracking and the provider; null when unset. */
    public String getUser() {
        return user;
    }

    /** The tool callbacks; empty for none. */
    @Override
    public List<ToolCallback> getToolCallbacks() {
        return toolCallbacks;
    }

    /** The tool context; empty for none. */
    @Override
    public Map<String, Object> getToolContext() {
        return toolContext;
    }

    /** The JSON schema of the structured output; null when unset. */
    @Override
    public String getOutputSchema() {
        return outputSchema;
    }

    /** A builder holding these options' values. */
    @Override
    public Builder mutate() {
        Builder b = builder().model(model).temperature(temperature).topP(topP).topK(topK).maxTokens(maxTokens)
                .stopSequences(stopSequences).frequencyPenalty(frequencyPenalty).presencePenalty(presencePenalty)
                .seed(seed).user(user).toolCallbacks(toolCallbacks).toolContext(toolContext);
        return b.outputSchema(outputSchema);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RouterChatOptions r && Objects.equals(model, r.model)
                && Objects.equals(temperature, r.temperature) && Objects.equals(topP, r.topP)
                && Objects.equals(topK, r.topK) && Objects.equals(maxTokens, r.maxTokens)
                && Objects.equals(stopSequences, r.stopSequences) && Objects.equals(frequencyPenalty, r.frequencyPenalty)
                && Objects.equals(presencePenalty, r.presencePenalty) && Objects.equals(seed, r.seed)
                && Objects.equals(user, r.user) && toolCallbacks.equals(r.toolCallbacks)
                && toolContext.equals(r.toolContext) && Objects.equals(outputSchema, r.outputSchema);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, temperature, topP, topK, maxTokens, stopSequences, frequencyPenalty, presencePenalty,
                seed, user, toolCallbacks, toolContext, outputSchema);
    }

    @Override
    public String toString() {
        return "RouterChatOptions[model=" + model + ", temperature=" + temperature + ", topP=" + topP + ", maxTokens="
                + maxTokens + ", tools=" + toolCallbacks.size() + "]";
    }

    /**
     * Builds {@link RouterChatOptions}: Spring AI 2.0's tool-calling options builder plus the output
     * schema, {@code seed} and {@code user}. A null argument leaves (or makes) that value unset. Not
     * thread-safe.
     *
     * @since 0.1.0
     */
    public static final class Builder extends DefaultToolCallingChatOptions.Builder<Builder>
            implements StructuredOutputChatOptions.Builder<Builder> {

        private Long seed;
        private String user;
        private String outputSchema;

        private Builder() {
        }

        /**
         * The seed, for providers that support reproducible sampling.
         *
         * @param seed the seed; null for unset
         * @return this builder
         */
        public Builder seed(Long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * The end user, for spend tracking and the provider.
         *
         * @param user the user id; null for unset
         * @return this builder
         */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        @Override
        public Builder outputSchema(String outputSchema) {
            this.outputSchema = outputSchema;
            return this;
        }

        @Override
        public Builder toolCallbacks(List<ToolCallback> toolCallbacks) {
            ToolCallingChatOptions.validateToolCallbacks(toolCallbacks);
            return super.toolCallbacks(new ArrayList<>(toolCallbacks));
        }

        @Override
        public Builder toolContext(Map<String, Object> toolContext) {
            return super.toolContext(new HashMap<>(Objects.requireNonNull(toolContext, "toolContext")));
        }

        /** Lays {@code other}'s set values over this builder's (tools and tool context are merged). */
        @Override
        public Builder combineWith(ChatOptions.Builder<?> other) {
            super.combineWith(other);
            if (other instanceof Builder r) {
                seed = first(r.seed, seed);
                user = first(r.user, user);
                outputSchema = first(r.outputSchema, outputSchema);
            }
            return this;
        }

        @Override
        public Builder clone() {
            Builder copy = super.clone();
            copy.seed = seed;
            copy.user = user;
            copy.outputSchema = outputSchema;
            return copy;
        }

        /** The options. */
        @Override
        public RouterChatOptions build() {
            return new RouterChatOptions(model, temperature, topP, topK, maxTokens, stopSequences, frequencyPenalty,
                    presencePenalty, seed, user, toolCallbacks, toolContext, outputSchema);
        }
    }
}
