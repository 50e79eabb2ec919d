package io.llmrouter.internal;

import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.llmrouter.FailureKind;
import io.llmrouter.RequestOptions;
import io.llmrouter.RetryPolicy;
import io.llmrouter.api.RouterResponse;
import io.llmrouter.api.exception.LlmRouterException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retry step of one request: the outcome of the attempt that just ended, the retries it has
 * had in the current model group (per failure kind and in all), and the wait before the next one.
 *
 * <p>Resilience4j's {@link Retry} runs the loop: each attempt completes normally with this object
 * as its result; the retry's result predicate ({@link #wantsRetry()}) says whether the failure is
 * worth another attempt by its kind's limit, the retry's bounded {@code maxAttempts} (1 + the most
 * retries the group allows this request) caps the total, and its interval function
 * ({@link #waitBeforeRetry(int)}) computes the wait from the failed attempt's outcome. No
 * exception steers the loop.
 *
 * <p>Attempts run one after another, so the counters need no lock: each step is ordered after the
 * previous by the future that completes it.
 */
final class RetryLoop<R extends RouterResponse> {

    private static final Logger log = LoggerFactory.getLogger(RetryLoop.class);
    /** The most jitter added to a backoff, in percent of it: {@value}. */
    static final int JITTER_PERCENT = 25;

    private final RequestExecution<?, R> execution;
    private final RouterEngine engine;
    private final RouterSettings settings;
    private final RequestOptions options;
    private final int[] retriesByKind = new int[FailureKind.values().length];
    private ModelGroup group;
    /**
     * The group's deployments that failed this request (the first {@code failedCount}; null until
     * one has): a few at most, so an array scanned by identity is cheaper than a set.
     */
    private DeploymentState[] failedHere;
    private int failedCount;

    // The outcome of the attempt that just ended.
    private R answer;
    private LlmRouterException failure;
    /** The failure's kind when a retry may cure it, else null. */
    private FailureKind retryableKind;

    /** The retry step of {@code execution}, whose engine, per-request settings, options and request it uses. */
    RetryLoop(RequestExecution<?, R> execution) {
        this.execution = execution;
        this.engine = execution.engine;
        this.settings = execution.settings; // the router's, with the request's policies laid over them
        this.options = execution.options();
    }

    /** Resets the counters for {@code next}'s attempts; returns the Resilience4j retry that runs them. */
    Retry start(ModelGroup next) {
        group = next;
        Arrays.fill(retriesByKind, 0);
        if (failedCount > 0) {
            Arrays.fill(failedHere, 0, failedCount, null);
            failedCount = 0;
        }
        answer = null;
        failure = null;
        retryableKind = null;
        if (options.retryPolicy().isEmpty()) {
            // The router's settings alone bound it: the group remembers its retry (no lookup per call).
            Retry usual = next.usualRetry();
            if (usual == null) {
                usual = next.retry(maxAttempts(maxRetries(next.name())));
                next.usualRetry(usual);
            }
            return usual;
        }
        return next.retry(maxAttempts(maxRetries(next.name())));
    }

    private static int maxAttempts(int maxRetries) {
        return maxRetries >= Integer.MAX_VALUE - 1 ? Integer.MAX_VALUE : maxRetries + 1;
    }

    /** The attempt answered with {@code response}: the group's loop ends with it. */
    RetryLoop<R> answered(R response) {
        answer = response;
        failure = null;
        retryableKind = null;
        return this;
    }

    /** The attempt failed with {@code error} of {@code kind}: a retry may follow, by the limits. */
    RetryLoop<R> failed(LlmRouterException error, FailureKind kind) {
        answer = null;
        failure = error;
        retryableKind = kind;
        return this;
    }

    /** The attempt ended the group with {@code error} (the deadline passed, the request stopped): no retry. */
    RetryLoop<R> ended(LlmRouterException error) {
        answer = null;
        failure = error;
        retryableKind = null;
        return this;
    }

    /** The failure of the last attempt, or null when it answered. */
    LlmRouterException failure() {
        return failure;
    }

    /** The last attempt's answer, or null when it failed. */
    R answer() {
        return answer;
    }

    void markFailed(DeploymentState d) {
        if (hasFailed(d)) {
            return;
        }
        if (failedHere == null) {
            failedHere = new DeploymentState[4];
        } else if (failedCount == failedHere.length) {
            failedHere = Arrays.copyOf(failedHere, failedCount * 2);
        }
        failedHere[failedCount++] = d;
    }

    /** Whether {@code d} failed this request in the current group. */
    boolean hasFailed(DeploymentState d) {
        DeploymentState[] failed = failedHere;
        for (int i = 0; i < failedCount; i++) {
            if (failed[i] == d) {
                return true;
            }
        }
        return false;
    }

    /** Whether any deployment failed this request in the current group. */
    boolean anyFailed() {
        return failedCount > 0;
    }

    /**
     * The retry's result predicate: whether the failure's kind has retries left (the total is the
     * retry's). An authentication failure with no count of its own is retried like a retryable one
     * while another deployment of the group is healthy and has not failed this request (one bad key
     * must not break a group, as in LiteLLM); with none left it is raised.
     */
    boolean wantsRetry() {
        FailureKind kind = retryableKind;
        if (kind == null || execution.isStopped() || !execution.mayRecover()) {
            return false;
        }
        RetryPolicy policy = settings.retryPolicy();
        int allowed = kind == FailureKind.AUTHENTICATION && policy.retries(group.name(), kind).isEmpty()
                ? (anotherHealthy() ? policy.numRetries(group.name()) : 0)
                : policy.retries(failure, group.name());
        return retriesByKind[kind.ordinal()] < allowed;
    }

    /**
     * Whether a deployment of the group is not cooling down and has not failed this request
     * (never for a call to one deployment by id: its retries go to the same deployment).
     */
    private boolean anotherHealthy() {
        if (execution.pinned != null) {
            return false;
        }
        long now = settings.clock().millis();
        for (DeploymentState d : group.deployments()) {
            if (!d.isCoolingDown(now) && !hasFailed(d)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The retry's interval function: counts retry {@code retryNumber} (1-based) and tells the
     * listeners, and returns the wait before it, from the failed attempt's outcome.
     */
    long waitBeforeRetry(int retryNumber) {
        retriesByKind[retryableKind.ordinal()]++;
        LlmRouterException cause = failure;
        String groupName = group.name();
        Duration delay = Duration.ofMillis(backoffMillis(retryNumber, cause));
        log.debug("retrying model group '{}' ({} of at most {}) in {} ms after {}", groupName, retryNumber,
                maxRetries(groupName), delay.toMillis(), cause.getClass().getSimpleName());
        if (execution.call != null) {
            execution.notifyCall(l -> l.onRetry(execution.call, groupName, retryNumber, delay, cause));
        }
        return delay.toMillis();
    }

    /** The most retries any failure mix can cause in {@code groupName} for this request. */
    private int maxRetries(String groupName) {
        return settings.retryPolicy().maxRetries(groupName);
    }

    /**
     * How long to wait before retry {@code retryNumber} (1-based): none when another deployment of
     * the group is healthy and has not failed this request (the retry goes there); otherwise the
     * provider's retry-after when it is positive and at most {@link RetryPolicy#maxRetryAfter()} (a
     * longer one is ignored, as LiteLLM does); else exponential backoff, {@code initial × 2^(n-1)}
     * capped at the maximum, plus up to {@value #JITTER_PERCENT} % jitter.
     */
    private long backoffMillis(int retryNumber, LlmRouterException cause) {
        if (anotherHealthy()) {
            return 0;
        }
        Optional<Duration> retryAfter = cause.retryAfter();
        if (retryAfter.isPresent()) {
            long wait = retryAfter.get().toMillis();
            if (wait > 0 && wait <= settings.maxRetryAfter().toMillis()) {
                return wait;
            }
        }
        long base = settings.initialBackoff().toMillis() << Math.min(retryNumber - 1, 20);
        long capped = Math.min(base, settings.maxBackoff().toMillis());
        double jitter = 1 + JITTER_PERCENT / 100.0 * engine.random().nextDouble();
        return (long) (capped * jitter);
    }

    /**
     * A group's Resilience4j retry for at most {@code maxAttempts} attempts: no exception is
     * retried (a failure that may be retried is a result), and the wait is this loop's.
     */
    static Retry newRetry(String groupName, int maxAttempts) {
        IntervalBiFunction<Object> interval = (attempt, outcome) -> waitOf(attempt, outcome);
        RetryConfig config = RetryConfig.<Object>custom()
                .maxAttempts(maxAttempts)
                .retryOnException(e -> false)
                .retryOnResult(o -> o instanceof RetryLoop<?> loop && loop.wantsRetry())
                .intervalBiFunction(interval)
                .failAfterMaxAttempts(false)
                .build();
        return Retry.of("group:" + groupName + ":" + maxAttempts, config);
    }

    private static long waitOf(int attempt, Either<Throwable, Object> outcome) {
        return outcome.isRight() && outcome.get() instanceof RetryLoop<?> loop ? loop.waitBeforeRetry(attempt) : -1L;
    }
}
