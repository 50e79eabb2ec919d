package io.llmrouter.internal;

import io.llmrouter.Deployment;
import io.llmrouter.FailureKind;
import io.llmrouter.api.RouterRequest;
import io.llmrouter.api.RouterResponse;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Choice;
import io.llmrouter.api.chat.Cost;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.RoutingInfo;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.ContentPolicyViolationException;
import io.llmrouter.api.exception.InterceptorException;
import io.llmrouter.api.exception.RequestRefusedException;
import io.llmrouter.api.exception.ResponseRejectedException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.RequestCancelledException;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.cost.PriceMatch;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settle step: records an ended attempt everywhere it counts, exactly once. An answer: the
 * breaker's success, latency, the rpm/tpm correction by the real usage, the cost from the price
 * table, the budget settled and the spend recorded, the attempt in the list, the response
 * finished with cost and routing (or, when content-filtered with a content-policy fallback to
 * try, a failure). A failure: the budget released, the breaker's error and the cooldown rules,
 * the attempt in the list; a call cut by the deadline, the router's close or the caller's cancel
 * ends the request without counting against the deployment.
 *
 * <p>Stateless: the outcome goes to the request's {@link RetryLoop}, which the retry step reads.
 */
final class Settlement {

    private static final Logger log = LoggerFactory.getLogger(Settlement.class);

    /**
     * How close to the deadline a failed attempt counts as cut by it: the synchronous call's time
     * limit and the router's clock are read a little apart.
     */
    static final Duration DEADLINE_TOLERANCE = Duration.ofMillis(2);

    /** The cost of an interceptor's answer that names none. */
    private static final Cost NO_COST = Cost.builder().pricedBy("request interceptor").build();

    private Settlement() {
    }

    /** Settles the ended attempt {@code a}: {@code response} when it answered, else {@code error}. */
    static <Q extends RouterRequest, R extends RouterResponse> RetryLoop<R> settle(AttemptStep<Q, R> a,
            R response, Throwable error) {
        Instant endedAt = a.execution.clock.instant();
        Duration took = Duration.between(a.startedAt, endedAt);
        if (a.intercepted != null && error == null) {
            return answeredByInterceptor(a, response, endedAt, took);
        }
        return error == null ? answered(a, response, endedAt, took) : failed(a, error, endedAt, took);
    }

    /**
     * An interceptor answered the attempt without a provider call: the deployment's health,
     * latency and tpm are untouched (its call permission and token reservation are released); the
     * interceptor's cost, 0 unless it gave one, is settled; the answer is marked in its routing
     * and, for a stream, replayed to the caller.
     */
    private static <Q extends RouterRequest, R extends RouterResponse> RetryLoop<R> answeredByInterceptor(
            AttemptStep<Q, R> a, R response, Instant endedAt, Duration took) {
        RequestExecution<Q, R> x = a.execution;
        DeploymentState state = a.state;
        String group = a.group.name();
        String route = state.deployment().providerRoute();
        String interceptor = a.intercepted.interceptor;
        state.breaker().releasePermission();
        state.correctUsage(a.reservedMinute, -a.reservedTokens); // no tokens went to the deployment
        Cost cost = a.intercepted.decision.cost().orElse(NO_COST);
        BigDecimal usd = cost.totalUsd().orElse(BigDecimal.ZERO);
        a.budget.settle(usd, endedAt);
        if (usd.signum() > 0) {
            x.engine.recordSpend(x.request(), group, state, cost);
        }
        x.recordAttempt(Attempt.success(state.id(), group, route, a.startedAt, took), a.number);
        log.debug("request interceptor '{}' answered the attempt on deployment '{}'", interceptor, state.id());
        RoutingInfo routing = RoutingInfo.ofInterceptor(x.request().model(), group, state.id(), route,
                x.snapshotAttempts(), interceptor);
        R finished = x.operation().finish(response, cost, routing);
        if (usd.signum() > 0 && x.call != null) {
            x.notifyCall(l -> l.onCharge(x.call, finished));
        }
        try {
            x.operation().deliver(finished);
        } catch (LlmRouterException e) {
            return x.loop.ended(e); // a streaming caller's consumer threw
        }
        return x.loop.answered(finished);
    }

    private static <Q extends RouterRequest, R extends RouterResponse> RetryLoop<R> answered(AttemptStep<Q, R> a,
            R response, Instant endedAt, Duration took) {
        RequestExecution<Q, R> x = a.execution;
        DeploymentState state = a.state;
        String group = a.group.name();
        long nanos = Math.max(0, took.toNanos());
        // The response rules: a rejection is this deployment's failure for the request (its health
        // counts it only when the rule says so); a rule's bug ends the request. The answer is paid either way.
        RequestControls controls = x.engine.controls();
        LlmRouterException rejected = null;
        if (controls != null && controls.hasRules() && response instanceof ChatResponse chat && a.sent != null) {
            rejected = controls.check(a, a.sent, chat, x.contextOf(state));
        }
        if (rejected instanceof ResponseRejectedException r && r.countsTowardCooldown()) {
            countFailure(a, r, FailureKind.RESPONSE_REJECTED, endedAt, nanos);
        } else {
            state.breaker().onSuccess(nanos, TimeUnit.NANOSECONDS);
        }
        Usage usage = response.usage().orElse(null);
        state.recordLatency(nanos, usage == null ? 0 : usage.completionTokens());
        if (usage != null) {
            state.correctUsage(a.reservedMinute, (long) usage.totalTokens() - a.reservedTokens);
        }
        // The deployment answered (and was paid): its health and the spend count it either way.
        ContentPolicyViolationException filtered = rejected != null ? null : filteredForFallback(x, state, response);
        LlmRouterException failure = rejected != null ? rejected : filtered;
        String route = state.deployment().providerRoute();
        Attempt ok = failure == null ? Attempt.success(state.id(), group, route, a.startedAt, took)
                : Attempt.failure(state.id(), group, route, a.startedAt, took, x.operation().callerFailure(failure));
        x.recordAttempt(ok, a.number);
        if (log.isDebugEnabled()) {
            log.debug("deployment '{}' answered in {} ms{}", state.id(), took.toMillis(), rejected != null
                    ? " (" + rejected.getMessage() + ")" : filtered == null ? "" : " (content-filtered)");
        }
        Cost cost = costOf(x, state, response);
        a.budget.settle(cost.totalUsd().orElse(BigDecimal.ZERO), endedAt);
        x.engine.recordSpend(x.request(), group, state, cost);
        RoutingInfo routing = RoutingInfo.of(x.request().model(), group, state.id(), route, x.snapshotAttempts());
        R finished = x.operation().finish(response, cost, routing);
        if (cost.isPriced() && x.call != null) {
            x.notifyCall(l -> l.onCharge(x.call, finished));
        }
        if (rejected instanceof ResponseRejectedException) {
            x.loop.markFailed(state);
            return x.loop.failed(rejected, FailureKind.RESPONSE_REJECTED);
        }
        if (rejected != null) {
            return x.loop.ended(rejected); // a rule threw: the request ends, the answer is not sent again
        }
        if (filtered != null) {
            return x.loop.failed(filtered, FailureKind.CONTENT_POLICY_VIOLATION);
        }
        x.operation().release();
        return x.loop.answered(finished);
    }

    private static <Q extends RouterRequest, R extends RouterResponse> RetryLoop<R> failed(AttemptStep<Q, R> a,
            Throwable error, Instant endedAt, Duration took) {
        RequestExecution<Q, R> x = a.execution;
        DeploymentState state = a.state;
        Deployment d = state.deployment();
        a.budget.settle(BigDecimal.ZERO, endedAt);
        // Health counts what went wrong (a timeout, a cut); the caller sees it as the operation says
        // (after a stream's first chunk: StreamInterruptedException, whichever timer or error ended it).
        LlmRouterException raw = x.asRouterException(Futures.unwrap(error), state);
        LlmRouterException failure = x.operation().callerFailure(raw);
        boolean deadlinePassed = false;
        if (!x.isStopped() && x.deadlineAt != null && !endedAt.plus(DEADLINE_TOLERANCE).isBefore(x.deadlineAt)) {
            // A call that fails at the deadline was cut by it (a synchronous call's own time limit is
            // the deadline's remainder): the request ends with the deadline's error, before the
            // deadline timer, which may not have run yet, would say so.
            x.stop();
            deadlinePassed = true;
        } else if (!x.isStopped() && raw instanceof RequestCancelledException) {
            // The caller's thread was interrupted during a synchronous call: the request ends.
            x.stop();
        }
        Attempt attempt = Attempt.failure(state.id(), a.group.name(), d.providerRoute(), a.startedAt, took, failure);
        if (!x.isStopped() && (raw instanceof RequestRefusedException || raw instanceof InterceptorException)) {
            // An interceptor refused the request, or an interceptor or rule threw: about the request
            // (or the user's code), not the deployment. No retry, no fallback (FallbackStep).
            state.breaker().releasePermission();
            x.recordAttempt(attempt, a.number);
            return x.loop.ended(failure);
        }
        if (x.isStopped()) {
            // The deadline passed, the router closed or the caller cancelled: not the deployment's fault.
            state.breaker().releasePermission();
            x.recordAttempt(attempt, a.number);
            if (deadlinePassed) {
                RequestTimeoutException timeout = x.deadlineException();
                x.fail(timeout);
                return x.loop.ended(timeout);
            }
            return x.loop.ended(failure);
        }
        FailureKind kind = FailureKind.of(raw);
        if (raw instanceof ResponseRejectedException r && !r.countsTowardCooldown()) {
            // A streamed chunk a rule rejected: the deployment's health is not at stake.
            state.breaker().releasePermission();
        } else {
            countFailure(a, raw, kind, endedAt, Math.max(0, took.toNanos()));
        }
        x.loop.markFailed(state);
        x.recordAttempt(attempt, a.number);
        if (log.isDebugEnabled()) {
            // The message, not the exception as the last argument (that would log its stack trace).
            log.debug("deployment '{}' failed in {} ms: {}", state.id(), took.toMillis(), failure.toString());
        }
        return x.loop.failed(failure, kind);
    }

    /**
     * Counts a failure of {@code kind} against the attempt's deployment (the cooldown rules) and
     * tells the listeners when it starts a cooldown.
     */
    private static void countFailure(AttemptStep<?, ?> a, LlmRouterException raw, FailureKind kind, Instant endedAt,
            long tookNanos) {
        RequestExecution<?, ?> x = a.execution;
        DeploymentState state = a.state;
        long requestCooldownMillis = x.options().cooldownTime().map(Duration::toMillis).orElse(-1L);
        long now = endedAt.toEpochMilli();
        boolean wasCooling = x.call != null && state.isCoolingDown(now);
        state.recordFailure(kind, raw, tookNanos, now, requestCooldownMillis);
        if (x.call != null && !wasCooling && state.isCoolingDown(now)) {
            Instant until = state.coolingUntil(now).orElse(endedAt);
            String group = a.group.name();
            x.notifyCall(l -> l.onCooldownStart(x.call, state.id(), group, until, raw));
        }
    }

    private static <Q extends RouterRequest, R extends RouterResponse> Cost costOf(RequestExecution<Q, R> x,
            DeploymentState state, R response) {
        String route = state.deployment().providerRoute();
        PriceMatch specific = x.operation().priceFor(x.engine.settings().priceTable(), state, x.typedRequest());
        if (specific != null) {
            return x.operation().cost(specific.price(), x.typedRequest(), response, route, specific.key());
        }
        if (state.price().isEmpty()) {
            if (x.engine.warnUnpricedOnce(route)) {
                log.warn("no price for '{}' (deployment '{}'): its answers are unpriced; set Deployment.price(..)"
                        + " or baseModel(..)", route, state.id());
            }
            return Cost.unpriced("no price for '" + route + "' in the price table");
        }
        return x.operation().cost(state.price().get(), x.typedRequest(), response, route, state.pricedBy());
    }

    /**
     * The one place that reads an answer's finish reason: a chat answer whose every choice was
     * stopped by a content filter ({@link FinishReason#CONTENT_FILTER}: OpenAI's and Azure's
     * {@code content_filter}, Gemini's safety reasons, Bedrock's guardrail, Anthropic's refusal)
     * becomes a {@link ContentPolicyViolationException} when a content-policy fallback is still to
     * try ({@link FallbackStep#fallsBackAfterFilteredAnswer}); otherwise (null) the answer is
     * returned as it is.
     */
    private static ContentPolicyViolationException filteredForFallback(RequestExecution<?, ?> x,
            DeploymentState state, RouterResponse response) {
        if (!(response instanceof ChatResponse chat) || chat.choices().isEmpty()) {
            return null;
        }
        for (Choice c : chat.choices()) {
            if (c.finishReason() != FinishReason.CONTENT_FILTER) {
                return null;
            }
        }
        if (!FallbackStep.fallsBackAfterFilteredAnswer(x)) {
            return null;
        }
        String raw = chat.choices().get(0).rawFinishReason();
        ContentPolicyViolationException filtered = new ContentPolicyViolationException("deployment '" + state.id()
                + "' answered with finish reason content_filter (" + raw + ")", x.contextOf(state));
        x.filteredAnswer(filtered);
        return filtered;
    }
}
