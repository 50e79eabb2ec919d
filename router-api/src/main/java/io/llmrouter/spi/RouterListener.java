package io.llmrouter.spi;

import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.RouterRequest;
import io.llmrouter.api.RouterResponse;
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
     * The request failed for good.
     *
     * @param request the request as the caller sent it
     * @param error the exception the caller receives, with its attempts
     */
    default void onFailure(RouterRequest request, LlmRouterException error) {
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
}
