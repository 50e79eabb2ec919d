package io.llmrouter.spring.boot;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The router's settings under the {@code llmrouter} prefix of {@code application.yaml}: the
 * deployments, fallbacks and policies, or the path of a LiteLLM {@code config.yaml}. An unset value
 * keeps the router's own default (the {@code DEFAULT_*} constants of {@code io.llmrouter}'s policies).
 *
 * <pre>{@code
 * llmrouter:
 *   deployments:
 *     - { model-group: gpt-4o, route: openai/gpt-4o, api-key: "${OPENAI_API_KEY}" }
 *     - { model-group: gpt-4o, route: azure/my-gpt-4o, api-base: https://x.openai.azure.com }
 *   fallbacks: { gpt-4o: [claude] }
 * }</pre>
 *
 * <p>A mutable Spring binding target: not thread-safe; the router built from it is immutable.
 *
 * @since 0.1.0
 */
@ConfigurationProperties(prefix = LlmRouterProperties.PREFIX)
public class LlmRouterProperties {

    /** The prefix of every property: {@value}. */
    public static final String PREFIX = "llmrouter";

    /** The default wait for calls in flight when the application context closes: 30 seconds. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE_PERIOD = Duration.ofSeconds(30);

    /** The deployments, in order; each names its model group and provider route. */
    private List<DeploymentProperties> deployments = new ArrayList<>();

    /**
     * Fallback model groups by model group, tried in order when every deployment of the group
     * failed. Write a key with a slash or a dot in brackets: {@code "[openai/gpt-4o]": [claude]}.
     */
    private Map<String, List<String>> fallbacks = new LinkedHashMap<>();

    /** Fallback groups for a group that has no fallback of its own. */
    private List<String> defaultFallbacks = new ArrayList<>();

    /** Fallback groups, by model group, when the request exceeds the context window. */
    private Map<String, List<String>> contextWindowFallbacks = new LinkedHashMap<>();

    /** Fallback groups, by model group, when the provider refused the content. */
    private Map<String, List<String>> contentPolicyFallbacks = new LinkedHashMap<>();

    /** Aliases: another name by which callers may ask for a model group (alias -> group). */
    private Map<String, String> aliases = new LinkedHashMap<>();

    /**
     * How the router picks a deployment among the available ones of a group; default
     * simple-shuffle (or the LiteLLM config's routing_strategy).
     */
    private Strategy strategy;

    /** Retries of a failed call, within its model group. */
    private final Retry retry = new Retry();

    /** When a failing deployment is taken out of rotation, and for how long. */
    private final Cooldown cooldown = new Cooldown();

    /** The router-wide timeouts. */
    private final Timeouts timeouts = new Timeouts();

    /**
     * A LiteLLM {@code config.yaml} to build the router from instead of the deployments above
     * (needs router-litellm on the class path); {@code os.environ/VAR} values are read from the
     * Spring environment (properties, then environment variables).
     */
    private Path litellmConfig;

    /** How long closing the application context waits for the router's calls in flight. */
    private Duration shutdownGracePeriod = DEFAULT_SHUTDOWN_GRACE_PERIOD;

    /** The Spring AI models the starter configures when router-spring-ai is on the class path. */
    private final SpringAi springAi = new SpringAi();

    /** Empty settings, filled by Spring's binder. */
    public LlmRouterProperties() {
    }

    /** The deployments, in order. */
    public List<DeploymentProperties> getDeployments() {
        return deployments;
    }

    /**
     * Replaces the deployments.
     *
     * @param deployments the deployments
     */
    public void setDeployments(List<DeploymentProperties> deployments) {
        this.deployments = deployments;
    }

    /** Fallback groups by model group. */
    public Map<String, List<String>> getFallbacks() {
        return fallbacks;
    }

    /**
     * Replaces the fallbacks.
     *
     * @param fallbacks fallback groups by model group
     */
    public void setFallbacks(Map<String, List<String>> fallbacks) {
        this.fallbacks = fallbacks;
    }

    /** Fallback groups for a group without its own. */
    public List<String> getDefaultFallbacks() {
        return defaultFallbacks;
    }

    /**
     * Replaces the default fallbacks.
     *
     * @param defaultFallbacks the groups
     */
    public void setDefaultFallbacks(List<String> defaultFallbacks) {
        this.defaultFallbacks = defaultFallbacks;
    }

    /** Context-window fallback groups by model group. */
    public Map<String, List<String>> getContextWindowFallbacks() {
        return contextWindowFallbacks;
    }

    /**
     * Replaces the context-window fallbacks.
     *
     * @param contextWindowFallbacks fallback groups by model group
     */
    public void setContextWindowFallbacks(Map<String, List<String>> contextWindowFallbacks) {
        this.contextWindowFallbacks = contextWindowFallbacks;
    }

    /** Content-policy fallback groups by model group. */
    public Map<String, List<String>> getContentPolicyFallbacks() {
        return contentPolicyFallbacks;
    }

    /**
     * Replaces the content-policy fallbacks.
     *
     * @param contentPolicyFallbacks fallback groups by model group
     */
    public void setContentPolicyFallbacks(Map<String, List<String>> contentPolicyFallbacks) {
        this.contentPolicyFallbacks = contentPolicyFallbacks;
    }

    /** Aliases, alias to model group. */
    public Map<String, String> getAliases() {
        return aliases;
    }

    /**
     * Replaces the aliases.
     *
     * @param aliases alias to model group
     */
    public void setAliases(Map<String, String> aliases) {
        this.aliases = aliases;
    }

    /** The routing strategy, or null for the default. */
    public Strategy getStrategy() {
        return strategy;
    }

    /**
     * Sets the routing strategy.
     *
     * @param strategy the strategy
     */
    public void setStrategy(Strategy strategy) {
        this.strategy = strategy;
    }

    /** The retry settings. */
    public Retry getRetry() {
        return retry;
    }

    /** The cooldown settings. */
    public Cooldown getCooldown() {
        return cooldown;
    }

    /** The timeouts. */
    public Timeouts getTimeouts() {
        return timeouts;
    }

    /** The LiteLLM config path, or null when the router is built from these properties. */
    public Path getLitellmConfig() {
        return litellmConfig;
    }

    /**
     * Sets the LiteLLM config path.
     *
     * @param litellmConfig the path of a LiteLLM {@code config.yaml}
     */
    public void setLitellmConfig(Path litellmConfig) {
        this.litellmConfig = litellmConfig;
    }

    /** The wait for calls in flight on shutdown. */
    public Duration getShutdownGracePeriod() {
        return shutdownGracePeriod;
    }

    /**
     * Sets the wait for calls in flight on shutdown.
     *
     * @param shutdownGracePeriod the wait; zero closes at once
     */
    public void setShutdownGracePeriod(Duration shutdownGracePeriod) {
        this.shutdownGracePeriod = shutdownGracePeriod;
    }

    /** The Spring AI settings. */
    public SpringAi getSpringAi() {
        return springAi;
    }

    /** The built-in routing strategies. */
    public enum Strategy {
        /** Weighted random among the available deployments (LiteLLM's {@code simple-shuffle}). */
        SIMPLE_SHUFFLE,
        /** The deployment with the fewest calls in flight. */
        LEAST_BUSY,
        /** The deployment with the lowest recent latency. */
        LATENCY_BASED,
        /** The cheapest deployment by the price table. */
        COST_BASED,
        /** The deployment with the most rpm/tpm headroom this minute. */
        USAGE_BASED
    }

    /**
     * One deployment: a model group's member served by a provider route.
     *
     * @since 0.1.0
     */
    public static class DeploymentProperties {

        /** Empty settings, filled by Spring's binder. */
        public DeploymentProperties() {
        }

        /** The model group callers name, e.g. {@code gpt-4o}. Required. */
        private String modelGroup;

        /** The provider route, {@code provider/model}, e.g. {@code openai/gpt-4o}. Required. */
        private String route;

        /** The deployment's id; by default derived from the group and route. */
        private String id;

        /** The API key; write a placeholder such as {@code ${OPENAI_API_KEY}}, never the key itself. */
        private String apiKey;

        /** The base URL of the provider's API, for proxies, Azure resources and OpenAI-compatible servers. */
        private String apiBase;

        /** The relative weight under simple shuffle; default 1. */
        private Integer weight;

        /** The priority: a lower order is tried first, a higher one only when no lower is available; default 0. */
        private Integer order;

        /** The requests per minute the deployment allows. */
        private Integer rpm;

        /** The tokens per minute the deployment allows. */
        private Integer tpm;

        /** The most calls in flight at once; further requests wait for a slot up to their deadline. */
        private Integer maxParallelRequests;

        /** The timeout of one call to this deployment. */
        private Duration timeout;

        /** How long this deployment stays out of rotation after failing; zero disables its cooldown. */
        private Duration cooldownTime;

        /** Tags for tag-based routing and spend reports. */
        private List<String> tags = new ArrayList<>();

        /** Extra HTTP headers sent to the provider. */
        private Map<String, String> headers = new LinkedHashMap<>();

        /** The model group. */
        public String getModelGroup() {
            return modelGroup;
        }

        /**
         * Sets the model group.
         *
         * @param modelGroup the group
         */
        public void setModelGroup(String modelGroup) {
            this.modelGroup = modelGroup;
        }

        /** The provider route. */
        public String getRoute() {
            return route;
        }

        /**
         * Sets the provider route.
         *
         * @param route {@code provider/model}
         */
        public void setRoute(String route) {
            this.route = route;
        }

        /** The id, or null for the derived one. */
        public String getId() {
            return id;
        }

        /**
         * Sets the id.
         *
         * @param id the id
         */
        public void setId(String id) {
            this.id = id;
        }

        /** The API key, or null. */
        public String getApiKey() {
            return apiKey;
        }

        /**
         * Sets the API key.
         *
         * @param apiKey the key
         */
        public void setApiKey(String apiKey) {
            this.apiKey = apiKey;
        }

        /** The API base URL, or null. */
        public String getApiBase() {
            return apiBase;
        }

        /**
         * Sets the API base URL.
         *
         * @param apiBase the URL
         */
        public void setApiBase(String apiBase) {
            this.apiBase = apiBase;
        }

        /** The weight, or null for the default. */
        public Integer getWeight() {
            return weight;
        }

        /**
         * Sets the weight.
         *
         * @param weight the weight
         */
        public void setWeight(Integer weight) {
            this.weight = weight;
        }

        /** The order, or null for the default. */
        public Integer getOrder() {
            return order;
        }

        /**
         * Sets the order.
         *
         * @param order the order
         */
        public void setOrder(Integer order) {
            this.order = order;
        }

        /** The rpm limit, or null. */
        public Integer getRpm() {
            return rpm;
        }

        /**
         * Sets the rpm limit.
         *
         * @param rpm requests per minute
         */
        public void setRpm(Integer rpm) {
            this.rpm = rpm;
        }

        /** The tpm limit, or null. */
        public Integer getTpm() {
            return tpm;
        }

        /**
         * Sets the tpm limit.
         *
         * @param tpm tokens per minute
         */
        public void setTpm(Integer tpm) {
            this.tpm = tpm;
        }

        /** The parallel-request limit, or null. */
        public Integer getMaxParallelRequests() {
            return maxParallelRequests;
        }

        /**
         * Sets the parallel-request limit.
         *
         * @param maxParallelRequests the limit
         */
        public void setMaxParallelRequests(Integer maxParallelRequests) {
            this.maxParallelRequests = maxParallelRequests;
        }

        /** The call timeout, or null. */
        public Duration getTimeout() {
            return timeout;
        }

        /**
         * Sets the call timeout.
         *
         * @param timeout the timeout
         */
        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        /** The cooldown time, or null for the policy's. */
        public Duration getCooldownTime() {
            return cooldownTime;
        }

        /**
         * Sets the cooldown time.
         *
         * @param cooldownTime the time
         */
        public void setCooldownTime(Duration cooldownTime) {
            this.cooldownTime = cooldownTime;
        }

        /** The tags. */
        public List<String> getTags() {
            return tags;
        }

        /**
         * Replaces the tags.
         *
         * @param tags the tags
         */
        public void setTags(List<String> tags) {
            this.tags = tags;
        }

        /** The extra headers. */
        public Map<String, String> getHeaders() {
            return headers;
        }

        /**
         * Replaces the extra headers.
         *
         * @param headers name to value
         */
        public void setHeaders(Map<String, String> headers) {
            this.headers = headers;
        }

        @Override
        public String toString() {
            // No API key, not even masked: it may sit in logs of a failed startup.
            return "DeploymentProperties[modelGroup=" + modelGroup + ", route=" + route + "]";
        }
    }

    /**
     * Retry settings.
     *
     * @since 0.1.0
     */
    public static class Retry {

        /** Empty settings, filled by Spring's binder. */
        public Retry() {
        }

        /** Retries of a failed call within its model group; default 2. */
        private Integer numRetries;

        /** The first backoff between retries; default 500ms. */
        private Duration initialBackoff;

        /** The longest backoff between retries; default 8s. */
        private Duration maxBackoff;

        /** The longest provider Retry-After the router waits for before a retry; default 60s. */
        private Duration maxRetryAfter;

        /** The retries, or null for the default. */
        public Integer getNumRetries() {
            return numRetries;
        }

        /**
         * Sets the retries.
         *
         * @param numRetries the retries
         */
        public void setNumRetries(Integer numRetries) {
            this.numRetries = numRetries;
        }

        /** The initial backoff, or null. */
        public Duration getInitialBackoff() {
            return initialBackoff;
        }

        /**
         * Sets the initial backoff.
         *
         * @param initialBackoff the backoff
         */
        public void setInitialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
        }

        /** The maximum backoff, or null. */
        public Duration getMaxBackoff() {
            return maxBackoff;
        }

        /**
         * Sets the maximum backoff.
         *
         * @param maxBackoff the backoff
         */
        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }

        /** The maximum Retry-After, or null. */
        public Duration getMaxRetryAfter() {
            return maxRetryAfter;
        }

        /**
         * Sets the maximum Retry-After.
         *
         * @param maxRetryAfter the wait
         */
        public void setMaxRetryAfter(Duration maxRetryAfter) {
            this.maxRetryAfter = maxRetryAfter;
        }
    }

    /**
     * Cooldown settings.
     *
     * @since 0.1.0
     */
    public static class Cooldown {

        /** Empty settings, filled by Spring's binder. */
        public Cooldown() {
        }

        /** Failures within a minute that take a deployment out of rotation; default 3. */
        private Integer allowedFails;

        /** How long a failing deployment stays out of rotation; default 5s; zero disables cooldowns. */
        private Duration cooldownTime;

        /** The failure rate, in percent, that takes a busy deployment out of rotation; default 50. */
        private Integer failureRateThreshold;

        /** The allowed fails, or null for the default. */
        public Integer getAllowedFails() {
            return allowedFails;
        }

        /**
         * Sets the allowed fails.
         *
         * @param allowedFails the failures
         */
        public void setAllowedFails(Integer allowedFails) {
            this.allowedFails = allowedFails;
        }

        /** The cooldown time, or null for the default. */
        public Duration getCooldownTime() {
            return cooldownTime;
        }

        /**
         * Sets the cooldown time.
         *
         * @param cooldownTime the time
         */
        public void setCooldownTime(Duration cooldownTime) {
            this.cooldownTime = cooldownTime;
        }

        /** The failure-rate threshold, or null for the default. */
        public Integer getFailureRateThreshold() {
            return failureRateThreshold;
        }

        /**
         * Sets the failure-rate threshold.
         *
         * @param failureRateThreshold percent
         */
        public void setFailureRateThreshold(Integer failureRateThreshold) {
            this.failureRateThreshold = failureRateThreshold;
        }
    }

    /**
     * Router-wide timeouts.
     *
     * @since 0.1.0
     */
    public static class Timeouts {

        /** Empty settings, filled by Spring's binder. */
        public Timeouts() {
        }

        /** The timeout of one call to a deployment; default 600s. */
        private Duration callTimeout;

        /** The longest wait for a stream's first token; default 60s. */
        private Duration firstTokenTimeout;

        /** The longest pause between two stream chunks; default 60s. */
        private Duration streamIdleTimeout;

        /** The overall deadline of a request, across retries and fallbacks; none by default. */
        private Duration deadline;

        /** The call timeout, or null for the default. */
        public Duration getCallTimeout() {
            return callTimeout;
        }

        /**
         * Sets the call timeout.
         *
         * @param callTimeout the timeout
         */
        public void setCallTimeout(Duration callTimeout) {
            this.callTimeout = callTimeout;
        }

        /** The first-token timeout, or null for the default. */
        public Duration getFirstTokenTimeout() {
            return firstTokenTimeout;
        }

        /**
         * Sets the first-token timeout.
         *
         * @param firstTokenTimeout the timeout
         */
        public void setFirstTokenTimeout(Duration firstTokenTimeout) {
            this.firstTokenTimeout = firstTokenTimeout;
        }

        /** The stream idle timeout, or null for the default. */
        public Duration getStreamIdleTimeout() {
            return streamIdleTimeout;
        }

        /**
         * Sets the stream idle timeout.
         *
         * @param streamIdleTimeout the timeout
         */
        public void setStreamIdleTimeout(Duration streamIdleTimeout) {
            this.streamIdleTimeout = streamIdleTimeout;
        }

        /** The deadline, or null for none. */
        public Duration getDeadline() {
            return deadline;
        }

        /**
         * Sets the deadline.
         *
         * @param deadline the deadline
         */
        public void setDeadline(Duration deadline) {
            this.deadline = deadline;
        }
    }

    /**
     * The Spring AI models the starter configures.
     *
     * @since 0.1.0
     */
    public static class SpringAi {

        /** Empty settings, filled by Spring's binder. */
        public SpringAi() {
        }

        /** The model group behind the auto-configured Spring AI ChatModel; none is configured when unset. */
        private String chatModelGroup;

        /** The model group behind the auto-configured Spring AI EmbeddingModel; none is configured when unset. */
        private String embeddingModelGroup;

        /** The chat model group, or null. */
        public String getChatModelGroup() {
            return chatModelGroup;
        }

        /**
         * Sets the chat model group.
         *
         * @param chatModelGroup the group
         */
        public void setChatModelGroup(String chatModelGroup) {
            this.chatModelGroup = chatModelGroup;
        }

        /** The embedding model group, or null. */
        public String getEmbeddingModelGroup() {
            return embeddingModelGroup;
        }

        /**
         * Sets the embedding model group.
         *
         * @param embeddingModelGroup the group
         */
        public void setEmbeddingModelGroup(String embeddingModelGroup) {
            this.embeddingModelGroup = embeddingModelGroup;
        }
    }
}
