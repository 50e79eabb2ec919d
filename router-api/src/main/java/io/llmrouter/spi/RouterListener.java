package io.llmrouter.spi;

import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.exception.LlmRouterException;

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
 *     public void onAttempt(ChatRequest request, Attempt attempt) { record(attempt); }
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
    default void onAttempt(ChatRequest request, Attempt attempt) {
    }

    /**
     * The router gives up on a model group and moves to the next one in the fallback list.
     *
     * @param request the request as the caller sent it
     * @param fromGroup the group that failed
     * @param toGroup the group tried next
     * @param cause the failure that triggered the fallback
     */
    default void onFallback(ChatRequest request, String fromGroup, String toGroup, LlmRouterException cause) {
    }

    /**
     * The request was answered.
     *
     * @param request the request as the caller sent it
     * @param response the response, with cost and routing information
     */
    default void onSuccess(ChatRequest request, ChatResponse response) {
    }

    /**
     * The request failed for good.
     *
     * @param request the request as the caller sent it
     * @param error the exception the caller receives, with its attempts
     */
    default void onFailure(ChatRequest request, LlmRouterException error) {
    }
}
