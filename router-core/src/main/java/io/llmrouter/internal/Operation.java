package io.llmrouter.internal;

import io.llmrouter.api.RouterRequest;
import io.llmrouter.api.RouterResponse;
import io.llmrouter.api.audio.SpeechRequest;
import io.llmrouter.api.audio.SpeechResponse;
import io.llmrouter.api.audio.TranscriptionRequest;
import io.llmrouter.api.audio.TranscriptionResponse;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Cost;
import io.llmrouter.api.chat.RoutingInfo;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.completion.TextCompletionRequest;
import io.llmrouter.api.completion.TextCompletionResponse;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.embedding.EmbeddingResponse;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.image.ImageRequest;
import io.llmrouter.api.image.ImageResponse;
import io.llmrouter.api.moderation.ModerationRequest;
import io.llmrouter.api.moderation.ModerationResponse;
import io.llmrouter.api.rerank.RerankRequest;
import io.llmrouter.api.rerank.RerankResponse;
import io.llmrouter.api.responses.ResponsesRequest;
import io.llmrouter.api.responses.ResponsesResponse;
import io.llmrouter.cost.CostCalculator;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.cost.PriceMatch;
import io.llmrouter.cost.PriceTable;
import io.llmrouter.spi.EmbeddingCall;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.EndpointCall;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderCall;
import java.math.BigDecimal;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

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

    /**
     * What {@code response} to {@code request} costs at {@code price}: by its token usage, unpriced
     * when it reports none. Endpoints billed by another unit (or free without usage) override it.
     */
    default Cost cost(ModelPrice price, Q request, R response, String route, String pricedBy) {
        return byUsage(price, response, route, pricedBy);
    }

    /**
     * The table entry that prices {@code request} on {@code state} when it is more specific than
     * the deployment's own (image sizes and qualities have entries of their own), else null.
     */
    default PriceMatch priceFor(PriceTable table, DeploymentState state, Q request) {
        return null;
    }

    /** {@code response}'s cost by its token usage at {@code price}; unpriced when it reports none. */
    static Cost byUsage(ModelPrice price, RouterResponse response, String route, String pricedBy) {
        return response.usage().isEmpty() ? Cost.unpriced("provider reported no usage for '" + route + "'")
                : CostCalculator.cost(price, response.usage().get(), pricedBy);
    }

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

    /** Legacy text completions: priced by token usage. */
    EndpointOperation<TextCompletionRequest, TextCompletionResponse> TEXT_COMPLETION = endpoint(
            (r, model) -> r.toBuilder().model(model).build(), Provider::textCompletionAsync,
            (r, cost, routing) -> r.toBuilder().cost(cost).routing(routing).build());

    /** Moderation: the API reports no usage, so it costs the price table's per-request price, 0 when none. */
    EndpointOperation<ModerationRequest, ModerationResponse> MODERATION = new EndpointOperation<>(
            (r, model) -> r.toBuilder().model(model).build(), Provider::moderateAsync,
            (r, cost, routing) -> r.toBuilder().cost(cost).routing(routing).build()) {
        @Override
        public Cost cost(ModelPrice price, ModerationRequest request, ModerationResponse response, String route,
                String pricedBy) {
            return CostCalculator.cost(price, Usage.ZERO, pricedBy);
        }
    };

    /**
     * Rerank: the search units billed at the table's per-query price ({@code input_cost_per_query});
     * by token usage for a model priced per token (Jina, Voyage).
     */
    EndpointOperation<RerankRequest, RerankResponse> RERANK = new EndpointOperation<>(
            (r, model) -> r.toBuilder().model(model).build(), Provider::rerankAsync,
            (r, cost, routing) -> r.toBuilder().cost(cost).routing(routing).build()) {
        @Override
        public Cost cost(ModelPrice price, RerankRequest request, RerankResponse response, String route,
                String pricedBy) {
            if (price.perQuery().isEmpty()) {
                return byUsage(price, response, route, pricedBy);
            }
            return Cost.builder().requestUsd(price.perQuery().get().multiply(BigDecimal.valueOf(response.searchUnits())))
                    .pricedBy(pricedBy).build();
        }
    };

    /**
     * Image generation: the table's entry for the request's quality and size
     * ({@code [provider/]quality/W-x-H/model}, else {@code [provider/]W-x-H/model}) unless the
     * deployment sets its own price; each image at the entry's per-pixel price times its pixels
     * ({@code input_cost_per_pixel}) or its per-image price ({@code output_cost_per_image}), else by
     * token usage.
     */
    EndpointOperation<ImageRequest, ImageResponse> IMAGE = new EndpointOperation<>(
            (r, model) -> r.toBuilder().model(model).build(), Provider::generateImageAsync,
            (r, cost, routing) -> r.toBuilder().cost(cost).routing(routing).build()) {
        @Override
        public PriceMatch priceFor(PriceTable table, DeploymentState state, ImageRequest request) {
            return ImagePricing.entry(table, state.deployment(), request);
        }

        @Override
        public Cost cost(ModelPrice price, ImageRequest request, ImageResponse response, String route,
                String pricedBy) {
            return ImagePricing.cost(price, request, response, route, pricedBy);
        }
    };

    /**
     * Speech: the input's characters at the table's per-character price
     * ({@code input_cost_per_character}); unpriced for a model priced otherwise (the API reports no usage).
     */
    EndpointOperation<SpeechRequest, SpeechResponse> SPEECH = new EndpointOperation<>(
            (r, model) -> r.toBuilder().model(model).build(), Provider::speechAsync,
            (r, cost, routing) -> r.toBuilder().cost(cost).routing(routing).build()) {
        @Override
        public Cost cost(ModelPrice price, SpeechRequest request, SpeechResponse response, String route,
                String pricedBy) {
            if (price.perCharacter().isEmpty()) {
                return byUsage(price, response, route, pricedBy);
            }
            int characters = request.input().codePointCount(0, request.input().length());
            return Cost.builder().inputUsd(price.perCharacter().get().multiply(BigDecimal.valueOf(characters)))
                    .pricedBy(pricedBy).build();
        }
    };

    /**
     * Transcription: the audio's seconds (the caller's, else the answer's) at the table's
     * per-second price ({@code input_cost_per_second}); unpriced when neither states the duration.
     */
    EndpointOperation<TranscriptionRequest, TranscriptionResponse> TRANSCRIPTION = new EndpointOperation<>(
            (r, model) -> r.toBuilder().model(model).build(), Provider::transcribeAsync,
            (r, cost, routing) -> r.toBuilder().cost(cost).routing(routing).build()) {
        @Override
        public Cost cost(ModelPrice price, TranscriptionRequest request, TranscriptionResponse response,
                String route, String pricedBy) {
            if (price.perSecond().isEmpty()) {
                return byUsage(price, response, route, pricedBy);
            }
            OptionalDouble seconds = request.durationSeconds();
            if (seconds.isEmpty()) {
                seconds = response.durationSeconds();
            }
            if (seconds.isEmpty()) {
                return Cost.unpriced("no audio duration for '" + route + "': set the request's durationSeconds or"
                        + " ask for verbose_json");
            }
            return Cost.builder().inputUsd(price.perSecond().get().multiply(new BigDecimal(Double.toString(
                    seconds.getAsDouble())))).pricedBy(pricedBy).build();
        }
    };

    /** The Responses API pass-through: priced by token usage. */
    EndpointOperation<ResponsesRequest, ResponsesResponse> RESPONSES = endpoint(
            (r, model) -> r.toBuilder().model(model).build(), Provider::responsesAsync,
            (r, cost, routing) -> r.toBuilder().cost(cost).routing(routing).build());

    /**
     * An endpoint beyond chat: {@code withModel} rewrites the request to the deployment's model,
     * {@code send} calls the provider, {@code finish} adds the router's cost and routing.
     */
    static <Q extends RouterRequest, R extends RouterResponse> EndpointOperation<Q, R> endpoint(
            BiFunction<Q, String, Q> withModel, BiFunction<Provider, EndpointCall<Q>, CompletableFuture<R>> send,
            Finisher<R> finish) {
        return new EndpointOperation<>(withModel, send, finish);
    }

    /** Adds the router's cost and routing information to a response. */
    @FunctionalInterface
    interface Finisher<R> {
        R finish(R response, Cost cost, RoutingInfo routing);
    }

    /** The operation of an endpoint beyond chat; see {@link #endpoint}. */
    class EndpointOperation<Q extends RouterRequest, R extends RouterResponse> implements Operation<Q, R> {
        private final BiFunction<Q, String, Q> withModel;
        private final BiFunction<Provider, EndpointCall<Q>, CompletableFuture<R>> send;
        private final Finisher<R> finish;

        EndpointOperation(BiFunction<Q, String, Q> withModel,
                BiFunction<Provider, EndpointCall<Q>, CompletableFuture<R>> send, Finisher<R> finish) {
            this.withModel = withModel;
            this.send = send;
            this.finish = finish;
        }

        /** {@code request} naming {@code model} instead of its own. */
        Q withModel(Q request, String model) {
            return withModel.apply(request, model);
        }

        @Override
        public CompletableFuture<R> call(Provider provider, Q request, Endpoint endpoint) {
            Q forProvider = request.model().equals(endpoint.providerModel()) ? request
                    : withModel.apply(request, endpoint.providerModel());
            return send.apply(provider, new EndpointCall<>(forProvider, endpoint));
        }

        @Override
        public R finish(R response, Cost cost, RoutingInfo routing) {
            return finish.finish(response, cost, routing);
        }
    }
}
