package io.llmrouter.control;

import io.llmrouter.RequestOptions;
import io.llmrouter.api.chat.ChatRequest;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * The attempt a {@link RequestInterceptor} or {@link ResponseRule} runs in: the deployment the
 * router chose, its model group and provider route, the attempt's number and the request's
 * options. Valid only during the call that receives it.
 *
 * @since 0.1.0
 */
public interface AttemptContext {

    /** The model group the request named (before fallbacks). */
    String requestedModel();

    /** The model group of this attempt (differs from {@link #requestedModel()} after a fallback). */
    String modelGroup();

    /** The deployment chosen for this attempt. */
    String deploymentId();

    /** The chosen deployment's provider route, e.g. {@code openai/gpt-4o}. */
    String providerRoute();

    /** The attempt's number in its request: 1 for the first, counted over every group tried. */
    int attemptNumber();

    /** The request's options ({@link RequestOptions#none()} when the caller gave none). */
    RequestOptions options();

    /** Whether the caller asked for a stream. */
    boolean streaming();

    /**
     * The most {@code request} can cost at this attempt's deployment, as budgets reserve it: an
     * upper bound of its input tokens and its max output tokens (the request's, else the model's,
     * else 4,096) at the deployment's price.
     *
     * @param request the request as it would be sent
     * @return the estimate in USD; empty when the deployment has no price
     */
    Optional<BigDecimal> estimatedCostUsd(ChatRequest request);
}
