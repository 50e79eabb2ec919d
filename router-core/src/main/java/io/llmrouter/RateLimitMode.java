package io.llmrouter;

/**
 * What a deployment's {@link Deployment#rpm() rpm} and {@link Deployment#tpm() tpm} mean to a
 * router ({@link Router.Builder#rateLimits(RateLimitMode)}).
 *
 * <p>In both modes they weigh the default weighted shuffle as in LiteLLM: within a group, the
 * deployments' weights if any sets one, else their rpm if every deployment has one, else their
 * tpm if every deployment has one. They differ in whether the router also holds each deployment
 * to them.
 *
 * <pre>{@code
 * Router router = Router.builder()
 *     .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").rpm(600).build())
 *     .rateLimits(RateLimitMode.WEIGHTS_ONLY)      // LiteLLM's simple-shuffle meaning
 *     .build();
 * }</pre>
 *
 * @since 0.1.0
 */
public enum RateLimitMode {
    /**
     * rpm and tpm are limits too: a deployment that has used its rpm or tpm in the current clock
     * minute is not chosen, and a group whose every deployment is over its limits fails with
     * {@link io.llmrouter.api.exception.RateLimitException}. The default for a router built in
     * Java, and LiteLLM's meaning under usage-based routing or {@code enable_pre_call_checks}.
     */
    ENFORCED,
    /**
     * rpm and tpm only weigh selection and are never enforced: no deployment is left out, and no
     * request waits or fails, for its rpm or tpm (the usage is still counted, e.g. for the
     * usage-based strategy). LiteLLM's meaning under its default {@code simple-shuffle} routing
     * without {@code enable_pre_call_checks}.
     */
    WEIGHTS_ONLY
}
