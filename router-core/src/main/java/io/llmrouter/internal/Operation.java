package io.llmrouter.internal;

import io.llmrouter.api.RouterRequest;
import io.llmrouter.api.RouterResponse;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Cost;
import io.llmrouter.api.chat.RoutingInfo;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.embedding.EmbeddingResponse;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.spi.EmbeddingCall;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderCall;
import java.util.concurrent.CompletableFuture;

/**
 * What differs between routing a chat completion and an embedding: how the request is rewritten
 * for a deployment, which provider method is called, and how the router's additions are put on
 * the response. Everything else (choice, retries, cooldowns, fallbacks, deadline) is shared.
 *
 * @param <Q> the request type
 * @param <R> the response type
 */
interface Operation<Q extends RouterRequest, R extends RouterResponse> {

    /** Calls {@code state}'s provider with {@code request} rewritten to the deployment's model. */
    default CompletableFuture<R> call(DeploymentState state, Q request) {
        return call(state.provider(), request, state.endpoint());
    }

    /** Calls {@code provider} with {@code request} rewritten to the endpoint's model. */
    CompletableFuture<R> call(Provider provider, Q request, Endpoint endpoint);

    /**
     * Whether the call about to be made to {@code state} on this thread enforces the endpoint's
     * timeout itself (a synchronous HTTP call with its own call timeout), so the router need not
     * schedule a timer for it.
     */
    default boolean boundsItsOwnTime(DeploymentState state) {
        return false;
    }

    /**
     * Cancels the call that a thread other than the caller of this method may be blocked in (a
     * synchronous provider call on the caller's thread), and every later one of this request: the
     * request has ended (deadline, close). Asynchronous calls are cancelled through their futures.
     */
    default void cancelRunningCall() {
    }

    /** Whether a failure of this call may still be retried or fall back (false once a stream has reached the caller). */
    default boolean mayRecover() {
        return true;
    }

    /**
     * {@code failure} as the caller must see it. Every failure of a request passes through here
     * (an attempt's, and the request's own: deadline, cancel), so no path can skip it. Streams
     * wrap a failure after their first chunk reached the caller in a
     * {@link io.llmrouter.api.exception.StreamInterruptedException}; others return it unchanged.
     */
    default LlmRouterException callerFailure(LlmRouterException failure) {
        return failure;
    }

    /** The router accepted the last attempt's answer: deliver anything held back from the caller. */
    default void release() {
    }

    /**
     * Hands a request interceptor's answer to the caller where the operation needs more than the
     * result future (a stream replays it as chunks); nothing by default.
     *
     * @throws LlmRouterException when the caller's consumer throws
     */
    default void deliver(R answer) {
    }

    /** The response with the router's cost and routing information. */
    R finish(R response, Cost cost, RoutingInfo routing);

    /** Chat completions. */
    Operation<ChatRequest, ChatResponse> CHAT = new Operation<>() {
        @Override
        public CompletableFuture<ChatResponse> call(Provider provider, ChatRequest request, Endpoint endpoint) {
            ChatRequest forProvider = request.model().equals(endpoint.providerModel()) ? request
                    : request.toBuilder().model(endpoint.providerModel()).build();
            return provider.completeAsync(ProviderCall.of(forProvider, endpoint));
        }

        @Override
        public ChatResponse finish(ChatResponse response, Cost cost, RoutingInfo routing) {
            return response.toBuilder().cost(cost).routing(routing).build();
        }
    };

    /** Embeddings. */
    Operation<EmbeddingRequest, EmbeddingResponse> EMBEDDING = new Operation<>() {
        @Override
        public CompletableFuture<EmbeddingResponse> call(Provider provider, EmbeddingRequest request,
                Endpoint endpoint) {
            EmbeddingRequest forProvider = request.model().equals(endpoint.providerModel()) ? request
                    : request.toBuilder().model(endpoint.providerModel()).build();
            return provider.embedAsync(new EmbeddingCall(forProvider, endpoint));
        }

        @Override
        public EmbeddingResponse finish(EmbeddingResponse response, Cost cost, RoutingInfo routing) {
            return response.toBuilder().cost(cost).routing(routing).build();
        }
    };
}
