package io.llmrouter.spi;

import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.RouterRequest;
import io.llmrouter.api.RouterResponse;
import io.llmrouter.api.exception.BudgetExceededException;
import io.llmrouter.api.exception.LlmRouterException;
import java.time.Duration;
import java.time.Instant;

/**
 * Receives the router's events; logging and metrics are listeners. Every method has an empty
 * default, so implement only what you need.
 *
 * <p>Listeners are called synchronously on the thread that completes the step (often an HTTP
 * client thread): keep them fast and never block. An exception thrown by a listener is logged and
 * otherwise ignored; it never changes the request's outcome.
 *
 * <p><b>Events of one call.</b> Every event of a call has a variant that receives its
 * {@link RouterCall} (the same instance from {@link #onRequestStart} to {@link #onSuccess(RouterCall,
 * RouterResponse)} or {@link #onFailure(RouterCall, LlmRouterException)}, whatever thread each event
 * comes on), so a listener can keep per-call state such as a span. The router calls only these
 * variants; their defaults forward to the older variants that take the request, so a listener
 * written against those keeps working. For one call the order is: {@code onRequestStart}; per
 * attempt {@code onAttemptStart}, then ({@code onFirstToken}, {@code onStreamEnd} for a stream that
 * delivered), {@code onCooldownStart} if the attempt cooled its deployment, {@code onAttempt};
 * between attempts {@code onRetry} or {@code onFallback}; {@code onBudgetExceeded} when a budget
 * refuses; {@code onCharge}; and last exactly one of {@code onSuccess} and {@code onFailure}. A call
 * refused before routing (bad request, closed router) gets {@code onRequestStart} then
 * {@code onFailure}, on the caller's thread. While a call-scoped event runs, the SLF4J MDC holds
 * {@code llmrouter.request_id}, {@code llmrouter.model_group} and, during an attempt,
 * {@code llmrouter.deployment}.
 *
 * <p>With no listener registered, the router makes no {@link RouterCall} and calls nothing.
 *
 * <pre>{@code
 * RouterListener metrics = new RouterListener() {
 *     public void onAttempt(RouterRequest request, Attempt attempt) { record(attempt); }
 * };
 * }</pre>
 *
 * @since 0.1.0
 */
public interface RouterListener {

    /**
     * A call reached the router, before it is validated or routed; on the caller's thread (so a
     * tracing listener can capture the caller's context here).
     *
     * @param call the call
     * @since 0.1.0
     */
    default void onRequestStart(RouterCall call) {
    }

    /**
     * An attempt is about to call a deployment; on the thread that makes the provider call.
     *
     * @param call the call
     * @param deploymentId the deployment
     * @param modelGroup its group (another than the call's after a fallback)
     * @param providerRoute its provider route ({@code openai/gpt-4o}); the provider is the part
     *     before the first {@code /}
     * @param attemptNumber 1 for the call's first attempt, counted over every group tried
     * @since 0.1.0
     */
    default void onAttemptStart(RouterCall call, String deploymentId, String modelGroup, String providerRoute,
            int attemptNumber) {
    }

    /**
     * One attempt of a call ended, successfully or not. The default forwards to
     * {@link #onAttempt(RouterRequest, Attempt)}.
     *
     * @param call the call
     * @param attemptNumber the number {@link #onAttemptStart} gave it
     * @param attempt what happened
     * @since 0.1.0
     */
    default void onAttempt(RouterCall call, int attemptNumber, Attempt attempt) {
        onAttempt(call.request(), attempt);
    }

    /**
     * The router will retry a model group of the call. The default forwards to
     * {@link #onRetry(RouterRequest, String, int, Duration, LlmRouterException)}.
     *
     * @param call the call
     * @param modelGroup the group being retried
     * @param retryNumber 1 for the first retry of this group
     * @param delay the wait before the retry
     * @param cause the failure that is retried
     * @since 0.1.0
     */
    default void onRetry(RouterCall call, String modelGroup, int retryNumber, Duration delay,
            LlmRouterException cause) {
        onRetry(call.request(), modelGroup, retryNumber, delay, cause);
    }

    /**
     * The call gives up on a model group and moves to the next one. The default forwards to
     * {@link #onFallback(RouterRequest, String, String, LlmRouterException)}.
     *
     * @param call the call
     * @param fromGroup the group that failed
     * @param toGroup the group tried next
     * @param cause the failure that triggered the fallback
     * @since 0.1.0
     */
    default void onFallback(RouterCall call, String fromGroup, String toGroup, LlmRouterException cause) {
        onFallback(call.request(), fromGroup, toGroup, cause);
    }

    /**
     * The call's attempt that just failed took its deployment out of rotation; comes after the
     * router-wide {@link #onCooldownStart(String, String, Instant, LlmRouterException)} and before
     * the attempt's {@link #onAttempt(RouterCall, int, Attempt)}. The default does nothing.
     *
     * @param call the call
     * @param deploymentId the deployment
     * @param modelGroup its group
     * @param until when it may be probed again
     * @param cause the failure that cooled it
     * @since 0.1.0
     */
    default void onCooldownStart(RouterCall call, String deploymentId, String modelGroup, Instant until,
            LlmRouterException cause) {
    }

    /**
     * A streamed attempt received its first chunk.
     *
     * @param call the call
     * @param deploymentId the deployment streaming
     * @param timeToFirstToken from the attempt's start to its first chunk (router clock)
     * @since 0.1.0
     */
    default void onFirstToken(RouterCall call, String deploymentId, Duration timeToFirstToken) {
    }

    /**
     * A stream whose chunks reached the caller ended: completely, or interrupted (then the call
     * ends with {@link #onFailure(RouterCall, LlmRouterException)} and a
     * {@link io.llmrouter.api.exception.StreamInterruptedException}).
     *
     * @param call the call
     * @param deploymentId the deployment that streamed
     * @param chunks the chunks received
     * @param duration from the attempt's start to the stream's end (router clock)
     * @since 0.1.0
     */
    default void onStreamEnd(RouterCall call, String deploymentId, int chunks, Duration duration) {
    }

    /**
     * A user, tag, model-group or global budget cannot afford the call: it ends with
     * {@code refusal} (deployment and provider budgets skip the deployment instead).
     *
     * @param call the call
     * @param refusal the exception the caller receives
     * @since 0.1.0
     */
    default void onBudgetExceeded(RouterCall call, BudgetExceededException refusal) {
    }

    /**
     * One call to one deployment ended, successfully or not.
     *
     * @param request the request as the caller sent it
     * @param attempt what happened
     */
    default void onAttempt(RouterRequest request, Attempt attempt) {
    }

    /**
     * The router will retry the model group after {@code delay} (zero when another deployment of
     * the group is healthy and the retry goes there).
     *
     * @param request the request as the caller sent it
     * @param modelGroup the group being retried
     * @param retryNumber 1 for the first retry of this group
     * @param delay the wait before the retry
     * @param cause the failure that is retried
     */
    default void onRetry(RouterRequest request, String modelGroup, int retryNumber, Duration delay,
            LlmRouterException cause) {
    }

    /**
     * A deployment was taken out of rotation until {@code until}.
     *
     * @param deploymentId the deployment
     * @param modelGroup its group
     * @param until when it may be probed again
     * @param cause the failure that cooled it
     */
    default void onCooldownStart(String deploymentId, String modelGroup, Instant until, LlmRouterException cause) {
    }

    /**
     * A deployment is back in rotation: its probe call after the cooldown succeeded.
     *
     * @param deploymentId the deployment
     * @param modelGroup its group
     */
    default void onCooldownEnd(String deploymentId, String modelGroup) {
    }

    /**
     * The router gives up on a model group and moves to the next one in the fallback list.
     *
     * @param request the request as the caller sent it
     * @param fromGroup the group that failed
     * @param toGroup the group tried next
     * @param cause the failure that triggered the fallback
     */
    default void onFallback(RouterRequest request, String fromGroup, String toGroup, LlmRouterException cause) {
    }

    /**
     * The router's shared state store cannot be reached (once per outage): the router answers from
     * its local view of cooldowns, limits and spend until it returns; budgets that fail closed
     * refuse calls meanwhile.
     *
     * @param detail what happened (never a secret)
     * @since 0.1.0
     */
    default void onStateStoreUnavailable(String detail) {
    }

    /**
     * The router's shared state store is reachable again after an outage and has resynchronized.
     *
     * @since 0.1.0
     */
    default void onStateStoreAvailable() {
    }

    /**
     * The request was answered.
     *
     * @param request the request as the caller sent it
     * @param response the response, with cost and routing information
     */
    default void onSuccess(RouterRequest request, RouterResponse response) {
    }

    /**
     * The call was answered; its last event. The default forwards to
     * {@link #onSuccess(RouterRequest, RouterResponse)}.
     *
     * @param call the call
     * @param response the response, with cost and routing information
     * @since 0.1.0
     */
    default void onSuccess(RouterCall call, RouterResponse response) {
        onSuccess(call.request(), response);
    }

    /**
     * A priced answer was charged: its cost was added to the spend report and settled against
     * the budgets that apply ({@code response.cost()}, {@code response.routing()},
     * {@code request.user()} and {@code request.tags()} say what and to whom).
     *
     * @param request the request as the caller sent it
     * @param response the response
     */
    default void onCharge(RouterRequest request, RouterResponse response) {
    }

    /**
     * A priced answer of the call was charged. The default forwards to
     * {@link #onCharge(RouterRequest, RouterResponse)}.
     *
     * @param call the call
     * @param response the response
     * @since 0.1.0
     */
    default void onCharge(RouterCall call, RouterResponse response) {
        onCharge(call.request(), response);
    }

    /**
     * The request failed for good.
     *
     * @param request the request as the caller sent it
     * @param error the exception the caller receives, with its attempts
     */
    default void onFailure(RouterRequest request, LlmRouterException error) {
    }

    /**
     * The call failed for good; its last event. The default forwards to
     * {@link #onFailure(RouterRequest, LlmRouterException)}.
     *
     * @param call the call
     * @param error the exception the caller receives, with its attempts
     * @since 0.1.0
     */
    default void onFailure(RouterCall call, LlmRouterException error) {
        onFailure(call.request(), error);
    }

    /**
     * The request was answered from the response cache (or shared a concurrent identical
     * request's answer): no provider was called, nothing was charged. {@link #onSuccess} follows.
     *
     * @param event the hit
     * @since 0.1.0
     */
    default void onCacheHit(CacheEvent event) {
    }

    /**
     * The response cache had no usable answer for the request (or the request said
     * {@code noCache}): it is routed to a provider.
     *
     * @param event the miss
     * @since 0.1.0
     */
    default void onCacheMiss(CacheEvent event) {
    }

    /**
     * Every deployment and fallback of the call failed, and its model group's degraded answer
     * (the answer of last resort) is given instead of {@code failure}: nothing was charged;
     * {@code response.routing()} is {@linkplain io.llmrouter.api.chat.RoutingInfo#isDegraded()
     * degraded}. {@link #onSuccess(RouterCall, RouterResponse)} follows, as the call's last event.
     *
     * @param call the call
     * @param response the degraded answer the caller receives
     * @param failure the failure it replaces, with its attempts
     * @since 0.1.0
     */
    default void onDegradedAnswer(RouterCall call, RouterResponse response, LlmRouterException failure) {
    }
}
