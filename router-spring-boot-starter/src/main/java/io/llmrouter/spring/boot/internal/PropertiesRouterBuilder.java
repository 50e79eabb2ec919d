package io.llmrouter.spring.boot.internal;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.spi.RoutingStrategy;
import io.llmrouter.spring.boot.LlmRouterProperties;
import io.llmrouter.spring.boot.LlmRouterProperties.DeploymentProperties;
import io.llmrouter.strategy.LeastBusyStrategy;
import io.llmrouter.strategy.LowestCostStrategy;
import io.llmrouter.strategy.LowestLatencyStrategy;
import io.llmrouter.strategy.UsageBasedStrategy;
import io.llmrouter.strategy.WeightedShuffleStrategy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Lays {@link LlmRouterProperties} over a {@link Router.Builder}: only the values that are set, so
 * a LiteLLM config's settings stay unless a property overrides them. A value the router rejects
 * fails with an {@link InvalidConfigurationPropertyValueException} that names the property (and
 * never shows an API key).
 *
 * <p>Internal: not API, may change in any release.
 */
public final class PropertiesRouterBuilder {

    private static final String P = LlmRouterProperties.PREFIX + ".";

    private PropertiesRouterBuilder() {
    }

    /**
     * Applies the properties to the builder.
     *
     * @param properties the bound properties
     * @param builder the builder, fresh or from a LiteLLM config
     * @return {@code builder}
     */
    public static Router.Builder apply(LlmRouterProperties properties, Router.Builder builder) {
        List<DeploymentProperties> deployments = properties.getDeployments();
        for (int i = 0; i < deployments.size(); i++) {
            builder.deployment(deployment(deployments.get(i), P + "deployments[" + i + "]."));
        }
        policies(properties, builder);
        properties.getAliases().forEach((alias, group) ->
                set(P + "aliases." + alias, group, () -> builder.alias(alias, group, false)));
        return builder;
    }

    private static Deployment deployment(DeploymentProperties d, String at) {
        String group = required(at + "model-group", d.getModelGroup());
        String route = required(at + "route", d.getRoute());
        Deployment.Builder b = get(at + "route", route, () -> Deployment.builder(group, route));
        if (d.getId() != null) {
            set(at + "id", d.getId(), () -> b.id(d.getId()));
        }
        if (d.getApiKey() != null) {
            if (d.getApiKey().isBlank()) {
                throw new InvalidConfigurationPropertyValueException(at + "api-key", "", "must not be blank");
            }
            b.apiKey(Secret.of(d.getApiKey()));
        }
        if (d.getApiBase() != null) {
            set(at + "api-base", d.getApiBase(), () -> b.apiBase(d.getApiBase()));
        }
        if (d.getWeight() != null) {
            set(at + "weight", d.getWeight(), () -> b.weight(d.getWeight()));
        }
        if (d.getOrder() != null) {
            set(at + "order", d.getOrder(), () -> b.order(d.getOrder()));
        }
        if (d.getRpm() != null) {
            set(at + "rpm", d.getRpm(), () -> b.rpm(d.getRpm()));
        }
        if (d.getTpm() != null) {
            set(at + "tpm", d.getTpm(), () -> b.tpm(d.getTpm()));
        }
        if (d.getMaxParallelRequests() != null) {
            set(at + "max-parallel-requests", d.getMaxParallelRequests(),
                    () -> b.maxParallelRequests(d.getMaxParallelRequests()));
        }
        if (d.getTimeout() != null) {
            set(at + "timeout", d.getTimeout(), () -> b.timeout(d.getTimeout()));
        }
        if (d.getCooldownTime() != null) {
            set(at + "cooldown-time", d.getCooldownTime(), () -> b.cooldownTime(d.getCooldownTime()));
        }
        if (!d.getTags().isEmpty()) {
            set(at + "tags", d.getTags(), () -> b.tags(d.getTags()));
        }
        // Header values may carry credentials: never put them in a message.
        d.getHeaders().forEach((name, value) -> set(at + "headers." + name, "****", () -> b.addHeader(name, value)));
        return get(at + "model-group", group, b::build);
    }

    private static void policies(LlmRouterProperties p, Router.Builder builder) {
        LlmRouterProperties.Retry r = p.getRetry();
        if (r.getNumRetries() != null) {
            set(P + "retry.num-retries", r.getNumRetries(), () -> builder.retryPolicy(x -> x.numRetries(r.getNumRetries())));
        }
        if (r.getInitialBackoff() != null || r.getMaxBackoff() != null) {
            Duration initial = r.getInitialBackoff() != null ? r.getInitialBackoff() : io.llmrouter.RetryPolicy.DEFAULT_INITIAL_BACKOFF;
            Duration max = r.getMaxBackoff() != null ? r.getMaxBackoff() : io.llmrouter.RetryPolicy.DEFAULT_MAX_BACKOFF;
            String at = r.getInitialBackoff() != null ? P + "retry.initial-backoff" : P + "retry.max-backoff";
            set(at, r.getInitialBackoff() != null ? initial : max, () -> builder.retryPolicy(x -> x.backoff(initial, max)));
        }
        if (r.getMaxRetryAfter() != null) {
            set(P + "retry.max-retry-after", r.getMaxRetryAfter(),
                    () -> builder.retryPolicy(x -> x.maxRetryAfter(r.getMaxRetryAfter())));
        }
        LlmRouterProperties.Cooldown c = p.getCooldown();
        if (c.getAllowedFails() != null) {
            set(P + "cooldown.allowed-fails", c.getAllowedFails(),
                    () -> builder.cooldownPolicy(x -> x.allowedFails(c.getAllowedFails())));
        }
        if (c.getCooldownTime() != null) {
            set(P + "cooldown.cooldown-time", c.getCooldownTime(),
                    () -> builder.cooldownPolicy(x -> x.cooldownTime(c.getCooldownTime())));
        }
        if (c.getFailureRateThreshold() != null) {
            set(P + "cooldown.failure-rate-threshold", c.getFailureRateThreshold(),
                    () -> builder.cooldownPolicy(x -> x.failureRateThreshold(c.getFailureRateThreshold())));
        }
        LlmRouterProperties.Timeouts t = p.getTimeouts();
        timeout(builder, "call-timeout", t.getCallTimeout(), x -> x.callTimeout(t.getCallTimeout()));
        timeout(builder, "first-token-timeout", t.getFirstTokenTimeout(), x -> x.firstTokenTimeout(t.getFirstTokenTimeout()));
        timeout(builder, "stream-idle-timeout", t.getStreamIdleTimeout(), x -> x.streamIdleTimeout(t.getStreamIdleTimeout()));
        timeout(builder, "deadline", t.getDeadline(), x -> x.deadline(t.getDeadline()));
        fallbacks(P + "fallbacks.", p.getFallbacks(), (g, f) -> builder.fallbackPolicy(x -> x.fallbacks(g, f)));
        fallbacks(P + "context-window-fallbacks.", p.getContextWindowFallbacks(),
                (g, f) -> builder.fallbackPolicy(x -> x.contextWindowFallbacks(g, f)));
        fallbacks(P + "content-policy-fallbacks.", p.getContentPolicyFallbacks(),
                (g, f) -> builder.fallbackPolicy(x -> x.contentPolicyFallbacks(g, f)));
        if (!p.getDefaultFallbacks().isEmpty()) {
            String[] groups = p.getDefaultFallbacks().toArray(String[]::new);
            set(P + "default-fallbacks", p.getDefaultFallbacks(), () -> builder.fallbackPolicy(x -> x.defaultFallbacks(groups)));
        }
        if (p.getStrategy() != null) {
            builder.strategy(strategy(p.getStrategy()));
        }
    }

    private static RoutingStrategy strategy(LlmRouterProperties.Strategy strategy) {
        return switch (strategy) {
            case SIMPLE_SHUFFLE -> WeightedShuffleStrategy.instance();
            case LEAST_BUSY -> LeastBusyStrategy.instance();
            case LATENCY_BASED -> LowestLatencyStrategy.instance();
            case COST_BASED -> LowestCostStrategy.instance();
            case USAGE_BASED -> UsageBasedStrategy.instance();
        };
    }

    private static void timeout(Router.Builder builder, String name, Duration value,
            Consumer<io.llmrouter.Timeouts.Builder> adjust) {
        if (value != null) {
            set(P + "timeouts." + name, value, () -> builder.timeouts(adjust));
        }
    }

    private interface FallbackSetter {
        void set(String group, String[] fallbacks);
    }

    private static void fallbacks(String at, Map<String, List<String>> fallbacks, FallbackSetter setter) {
        fallbacks.forEach((group, list) -> set(at + group, list, () -> setter.set(group, list.toArray(String[]::new))));
    }

    private static String required(String property, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidConfigurationPropertyValueException(property, value, "a value is required");
        }
        return value;
    }

    private static void set(String property, Object value, Runnable action) {
        get(property, value, () -> {
            action.run();
            return null;
        });
    }

    private static <T> T get(String property, Object value, java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
            InvalidConfigurationPropertyValueException invalid =
                    new InvalidConfigurationPropertyValueException(property, value, e.getMessage());
            invalid.initCause(e);
            throw invalid;
        }
    }
}
