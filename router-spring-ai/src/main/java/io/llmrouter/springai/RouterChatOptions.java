package io.llmrouter.springai;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.model.tool.StructuredOutputChatOptions;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;

/**
 * Spring AI chat options for {@link RouterChatModel}: the portable options (the model is the
 * router's model group), tool calling ({@link ToolCallingChatOptions}) and a JSON schema for
 * structured output ({@link StructuredOutputChatOptions}), plus llmrouter's {@code user} and
 * {@code seed}. An unset (null) value keeps the model's default option, then the provider's.
 *
 * <pre>{@code
 * ChatResponse r = chatModel.call(new Prompt("Hi", RouterChatOptions.builder()
 *     .model("claude").temperature(0.2).maxTokens(200).build()));
 * }</pre>
 *
 * <p>Mutable, as Spring AI's options contract is (setters, {@link #copy()}): not thread-safe;
 * {@code copy()} before sharing.
 *
 * @since 0.1.0
 */
public class RouterChatOptions implements ToolCallingChatOptions, StructuredOutputChatOptions {

    private String model;
    private Double temperature;
    private Double topP;
    private Integer topK;
    private Integer maxTokens;
    private List<String> stopSequences;
    private Double frequencyPenalty;
    private Double presencePenalty;
    private Long seed;
    private String user;
    private List<ToolCallback> toolCallbacks = new ArrayList<>();
    private Set<String> toolNames = new LinkedHashSet<>();
    private Boolean internalToolExecutionEnabled;
    private Map<String, Object> toolContext = new HashMap<>();
    private String outputSchema;

    /** Empty options: every value unset. */
    public RouterChatOptions() {
    }

    /** A builder of options. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Options holding the portable and tool-calling values of any Spring AI options.
     *
     * @param options the options, e.g. {@code DefaultChatOptions} from a {@code ChatClient}
     * @return new options
     */
    public static RouterChatOptions from(ChatOptions options) {
        Objects.requireNonNull(options, "options");
        RouterChatOptions o = new RouterChatOptions();
        o.model = options.getModel();
        o.temperature = options.getTemperature();
        o.topP = options.getTopP();
        o.topK = options.getTopK();
        o.maxTokens = options.getMaxTokens();
        o.stopSequences = options.getStopSequences() == null ? null : new ArrayList<>(options.getStopSequences());
        o.frequencyPenalty = options.getFrequencyPenalty();
        o.presencePenalty = options.getPresencePenalty();
        if (options instanceof ToolCallingChatOptions t) {
            if (t.getToolCallbacks() != null) {
                o.toolCallbacks = new ArrayList<>(t.getToolCallbacks());
            }
            if (t.getToolNames() != null) {
                o.toolNames = new LinkedHashSet<>(t.getToolNames());
            }
            o.internalToolExecutionEnabled = t.getInternalToolExecutionEnabled();
            if (t.getToolContext() != null) {
                o.toolContext = new HashMap<>(t.getToolContext());
            }
        }
        if (options instanceof StructuredOutputChatOptions s) {
            o.outputSchema = s.getOutputSchema();
        }
        if (options instanceof RouterChatOptions r) {
            o.seed = r.seed;
            o.user = r.user;
        }
        return o;
    }

    /**
     * These options with each unset value taken from {@code defaults}; tools are merged.
     *
     * @param defaults the model's default options
     * @return new options
     */
    RouterChatOptions withDefaults(RouterChatOptions defaults) {
        RouterChatOptions o = copy();
        o.model = first(model, defaults.model);
        o.temperature = first(temperature, defaults.temperature);
        o.topP = first(topP, defaults.topP);
        o.topK = first(topK, defaults.topK);
        o.maxTokens = first(maxTokens, defaults.maxTokens);
        o.stopSequences = first(stopSequences, defaults.stopSequences);
        o.frequencyPenalty = first(frequencyPenalty, defaults.frequencyPenalty);
        o.presencePenalty = first(presencePenalty, defaults.presencePenalty);
        o.seed = first(seed, defaults.seed);
        o.user = first(user, defaults.user);
        o.internalToolExecutionEnabled = first(internalToolExecutionEnabled, defaults.internalToolExecutionEnabled);
        o.outputSchema = first(outputSchema, defaults.outputSchema);
        o.toolCallbacks = ToolCallingChatOptions.mergeToolCallbacks(toolCallbacks, defaults.toolCallbacks);
        o.toolNames = ToolCallingChatOptions.mergeToolNames(toolNames, defaults.toolNames);
        o.toolContext = ToolCallingChatOptions.mergeToolContext(toolContext, defaults.toolContext);
        return o;
    }

    private static <T> T first(T value, T fallback) {
        return value != null ? value : fallback;
    }

    /** The model group (or alias) to call; null for the model's default group. */
    @Override
    public String getModel() {
        return model;
    }

    /**
     * Sets the model group.
     *
     * @param model a model group or alias of the router
     */
    public void setModel(String model) {
        this.model = model;
    }

    @Override
    public Double getFrequencyPenalty() {
        return frequencyPenalty;
    }

    /**
     * Sets the frequency penalty.
     *
     * @param frequencyPenalty -2 to 2
     */
    public void setFrequencyPenalty(Double frequencyPenalty) {
        this.frequencyPenalty = frequencyPenalty;
    }

    @Override
    public Integer getMaxTokens() {
        return maxTokens;
    }

    /**
     * Sets the most tokens to generate.
     *
     * @param maxTokens the limit
     */
    public void setMaxTokens(Integer maxTokens) {
        this.maxTokens = maxTokens;
    }

    @Override
    public Double getPresencePenalty() {
        return presencePenalty;
    }

    /**
     * Sets the presence penalty.
     *
     * @param presencePenalty -2 to 2
     */
    public void setPresencePenalty(Double presencePenalty) {
        this.presencePenalty = presencePenalty;
    }

    @Override
    public List<String> getStopSequences() {
        return stopSequences;
    }

    /**
     * Sets the stop sequences.
     *
     * @param stopSequences the sequences
     */
    public void setStopSequences(List<String> stopSequences) {
        this.stopSequences = stopSequences;
    }

    @Override
    public Double getTemperature() {
        return temperature;
    }

    /**
     * Sets the temperature.
     *
     * @param temperature 0 to 2
     */
    public void setTemperature(Double temperature) {
        this.temperature = temperature;
    }

    /** Top-k; not sent: the router's OpenAI-shaped request has no top-k. */
    @Override
    public Integer getTopK() {
        return topK;
    }

    /**
     * Sets top-k (kept for portability; not sent).
     *
     * @param topK the value
     */
    public void setTopK(Integer topK) {
        this.topK = topK;
    }

    @Override
    public Double getTopP() {
        return topP;
    }

    /**
     * Sets top-p.
     *
     * @param topP 0 to 1
     */
    public void setTopP(Double topP) {
        this.topP = topP;
    }

    /** The seed, or null. */
    public Long getSeed() {
        return seed;
    }

    /**
     * Sets the seed.
     *
     * @param seed the seed
     */
    public void setSeed(Long seed) {
        this.seed = seed;
    }

    /** The end user, for spend reports and budgets, or null. */
    public String getUser() {
        return user;
    }

    /**
     * Sets the end user.
     *
     * @param user the user id
     */
    public void setUser(String user) {
        this.user = user;
    }

    @Override
    public List<ToolCallback> getToolCallbacks() {
        return toolCallbacks;
    }

    @Override
    public void setToolCallbacks(List<ToolCallback> toolCallbacks) {
        ToolCallingChatOptions.validateToolCallbacks(toolCallbacks);
        this.toolCallbacks = new ArrayList<>(toolCallbacks);
    }

    @Override
    public Set<String> getToolNames() {
        return toolNames;
    }

    @Override
    public void setToolNames(Set<String> toolNames) {
        this.toolNames = new LinkedHashSet<>(Objects.requireNonNull(toolNames, "toolNames"));
    }

    @Override
    public Boolean getInternalToolExecutionEnabled() {
        return internalToolExecutionEnabled;
    }

    @Override
    public void setInternalToolExecutionEnabled(Boolean internalToolExecutionEnabled) {
        this.internalToolExecutionEnabled = internalToolExecutionEnabled;
    }

    @Override
    public Map<String, Object> getToolContext() {
        return toolContext;
    }

    @Override
    public void setToolContext(Map<String, Object> toolContext) {
        this.toolContext = new HashMap<>(Objects.requireNonNull(toolContext, "toolContext"));
    }

    /** The JSON schema the answer must follow (sent as a {@code json_schema} response format), or null. */
    @Override
    public String getOutputSchema() {
        return outputSchema;
    }

    @Override
    public void setOutputSchema(String outputSchema) {
        this.outputSchema = outputSchema;
    }

    /**
     * A deep copy (tool lists and context copied; the tool callbacks themselves shared). Generic
     * as Spring AI declares it: {@code RouterChatOptions o = options.copy();}.
     */
    @Override
    @SuppressWarnings("unchecked")
    public <T extends ChatOptions> T copy() {
        return (T) from(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RouterChatOptions r && Objects.equals(model, r.model)
                && Objects.equals(temperature, r.temperature) && Objects.equals(topP, r.topP)
                && Objects.equals(topK, r.topK) && Objects.equals(maxTokens, r.maxTokens)
                && Objects.equals(stopSequences, r.stopSequences) && Objects.equals(frequencyPenalty, r.frequencyPenalty)
                && Objects.equals(presencePenalty, r.presencePenalty) && Objects.equals(seed, r.seed)
                && Objects.equals(user, r.user) && Objects.equals(toolCallbacks, r.toolCallbacks)
                && Objects.equals(toolNames, r.toolNames)
                && Objects.equals(internalToolExecutionEnabled, r.internalToolExecutionEnabled)
                && Objects.equals(toolContext, r.toolContext) && Objects.equals(outputSchema, r.outputSchema);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, temperature, topP, topK, maxTokens, stopSequences, frequencyPenalty, presencePenalty,
                seed, user, toolCallbacks, toolNames, internalToolExecutionEnabled, toolContext, outputSchema);
    }

    @Override
    public String toString() {
        return "RouterChatOptions[model=" + model + ", temperature=" + temperature + ", topP=" + topP + ", maxTokens="
                + maxTokens + ", tools=" + toolNames + "/" + toolCallbacks.size() + "]";
    }

    /**
     * Builds {@link RouterChatOptions}; not thread-safe.
     *
     * @since 0.1.0
     */
    public static final class Builder {

        private final RouterChatOptions options = new RouterChatOptions();

        private Builder() {
        }

        /**
         * The model group.
         *
         * @param model the group or alias
         * @return this builder
         */
        public Builder model(String model) {
            options.setModel(model);
            return this;
        }

        /**
         * The temperature.
         *
         * @param temperature 0 to 2
         * @return this builder
         */
        public Builder temperature(double temperature) {
            options.setTemperature(temperature);
            return this;
        }

        /**
         * Top-p.
         *
         * @param topP 0 to 1
         * @return this builder
         */
        public Builder topP(double topP) {
            options.setTopP(topP);
            return this;
        }

        /**
         * The most tokens to generate.
         *
         * @param maxTokens the limit
         * @return this builder
         */
        public Builder maxTokens(int maxTokens) {
            options.setMaxTokens(maxTokens);
            return this;
        }

        /**
         * The stop sequences.
         *
         * @param stopSequences the sequences
         * @return this builder
         */
        public Builder stopSequences(List<String> stopSequences) {
            options.setStopSequences(List.copyOf(stopSequences));
            return this;
        }

        /**
         * The seed.
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder seed(long seed) {
            options.setSeed(seed);
            return this;
        }

        /**
         * The end user.
         *
         * @param user the user id
         * @return this builder
         */
        public Builder user(String user) {
            options.setUser(user);
            return this;
        }

        /**
         * The tools the model may call.
         *
         * @param toolCallbacks the tools
         * @return this builder
         */
        public Builder toolCallbacks(List<ToolCallback> toolCallbacks) {
            options.setToolCallbacks(toolCallbacks);
            return this;
        }

        /**
         * Whether the model runs the tools it calls itself (the default) or returns the calls.
         *
         * @param enabled true to run them
         * @return this builder
         */
        public Builder internalToolExecutionEnabled(boolean enabled) {
            options.setInternalToolExecutionEnabled(enabled);
            return this;
        }

        /**
         * A JSON schema the answer must follow.
         *
         * @param outputSchema the schema, as JSON
         * @return this builder
         */
        public Builder outputSchema(String outputSchema) {
            options.setOutputSchema(outputSchema);
            return this;
        }

        /** The options; the builder must not be used after. */
        public RouterChatOptions build() {
            return options;
        }
    }
}
