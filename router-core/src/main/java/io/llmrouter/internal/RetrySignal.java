package io.llmrouter.internal;

import io.llmrouter.api.exception.LlmRouterException;

/**
 * Tells the group's Resilience4j retry that a failure is to be retried after {@code delayMillis}.
 * Never leaves the engine: the failure it carries is what callers see.
 */
final class RetrySignal extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient LlmRouterException failure;
    private final long delayMillis;

    RetrySignal(LlmRouterException failure, long delayMillis) {
        super(null, null, false, false);
        this.failure = failure;
        this.delayMillis = delayMillis;
    }

    LlmRouterException failure() {
        return failure;
    }

    long delayMillis() {
        return delayMillis;
    }
}
