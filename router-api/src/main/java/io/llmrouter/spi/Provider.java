package io.llmrouter.spi;

import io.llmrouter.api.audio.SpeechRequest;
import io.llmrouter.api.audio.SpeechResponse;
import io.llmrouter.api.audio.TranscriptionRequest;
import io.llmrouter.api.audio.TranscriptionResponse;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.completion.TextCompletionRequest;
import io.llmrouter.api.completion.TextCompletionResponse;
import io.llmrouter.api.embedding.EmbeddingResponse;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.RequestCancelledException;
import io.llmrouter.api.image.ImageRequest;
import io.llmrouter.api.image.ImageResponse;
import io.llmrouter.api.moderation.ModerationRequest;
import io.llmrouter.api.moderation.ModerationResponse;
import io.llmrouter.api.rerank.RerankRequest;
import io.llmrouter.api.rerank.RerankResponse;
import io.llmrouter.api.responses.ResponsesRequest;
import io.llmrouter.api.responses.ResponsesResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * A provider adapter: turns an OpenAI-shaped request into one vendor's wire format, calls it, and
 * turns the answer (or error) back. It knows nothing of routing, retries or fallbacks.
 *
 * <p>Implementations must be thread-safe: one instance serves every deployment of its route
 * prefix, concurrently. Every failure is a typed {@link LlmRouterException}: HTTP errors mapped
 * by status and body, timeouts, connection failures, and malformed answers
 * ({@link io.llmrouter.api.exception.InvalidProviderResponseException}).
 *
 * <p>Streaming and embeddings are default methods that adapters without them leave alone, so
 * existing adapters keep compiling.
 *
 * @since 0.1.0
 */
public interface Provider {

    /**
     * The provider's name, as used in route prefixes and error contexts (e.g. {@code openai}).
     *
     * @return the name
     */
    String name();

    /**
     * Sends the request without blocking the caller. The future completes with the normalized
     * response, or exceptionally with a {@link LlmRouterException} (not wrapped). Cancelling the
     * future cancels the underlying HTTP call.
     *
     * @param call the request and the deployment's connection settings
     * @return the response future
     */
    CompletableFuture<ChatResponse> completeAsync(ProviderCall call);

    /**
     * Sends the request and waits for the answer. The default waits on {@link #completeAsync}.
     *
     * <p>An implementation that blocks must stop promptly, with a typed exception, when the call's
     * {@link ProviderCall#cancellation()} is cancelled (register the HTTP call's cancel with it) or
     * when the calling thread is interrupted (then leave the interrupt flag set).
     *
     * @param call the request and the deployment's connection settings
     * @return the normalized response
     * @throws LlmRouterException on any failure;
     *     {@link io.llmrouter.api.exception.RequestCancelledException} when interrupted
     */
    default ChatResponse complete(ProviderCall call) {
        CompletableFuture<ChatResponse> answer = completeAsync(call);
        call.cancellation().onCancel(() -> answer.cancel(true));
        try {
            return answer.get();
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new RequestCancelledException("interrupted while waiting for " + name(), ErrorContext.none(), e);
        } catch (java.util.concurrent.CancellationException e) {
            throw new RequestCancelledException("call to " + name() + " cancelled", ErrorContext.none(), e);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof LlmRouterException lre) {
                throw lre;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /**
     * Embeds the request's inputs without blocking the caller. The default fails with a
     * {@link BadRequestException} saying the provider has no embeddings.
     *
     * @param call the request and the deployment's settings
     * @return the response future
     */
    default CompletableFuture<EmbeddingResponse> embedAsync(EmbeddingCall call) {
        return unsupported("embeddings", call.endpoint(), call.providerModel());
    }

    /**
     * Sends a legacy text completion ({@code /v1/completions}) without blocking the caller. The
     * default fails with a {@link BadRequestException} saying the provider has no text completions.
     *
     * @param call the request and the deployment's settings
     * @return the response future
     * @since 0.1.0
     */
    default CompletableFuture<TextCompletionResponse> textCompletionAsync(EndpointCall<TextCompletionRequest> call) {
        return unsupported("text completions", call.endpoint(), call.providerModel());
    }

    /**
     * Classifies the request's inputs ({@code /v1/moderations}) without blocking the caller. The
     * default fails with a {@link BadRequestException} saying the provider has no moderation.
     *
     * @param call the request and the deployment's settings
     * @return the response future
     * @since 0.1.0
     */
    default CompletableFuture<ModerationResponse> moderateAsync(EndpointCall<ModerationRequest> call) {
        return unsupported("moderation", call.endpoint(), call.providerModel());
    }

    /**
     * Ranks the request's documents by relevance to its query without blocking the caller. The
     * default fails with a {@link BadRequestException} saying the provider has no rerank.
     *
     * @param call the request and the deployment's settings
     * @return the response future
     * @since 0.1.0
     */
    default CompletableFuture<RerankResponse> rerankAsync(EndpointCall<RerankRequest> call) {
        return unsupported("rerank", call.endpoint(), call.providerModel());
    }

    /**
     * Generates images ({@code /v1/images/generations}) without blocking the caller. The default
     * fails with a {@link BadRequestException} saying the provider has no image generation.
     *
     * @param call the request and the deployment's settings
     * @return the response future
     * @since 0.1.0
     */
    default CompletableFuture<ImageResponse> generateImageAsync(EndpointCall<ImageRequest> call) {
        return unsupported("image generation", call.endpoint(), call.providerModel());
    }

    /**
     * Speaks the request's text ({@code /v1/audio/speech}) without blocking the caller. The default
     * fails with a {@link BadRequestException} saying the provider has no speech.
     *
     * @param call the request and the deployment's settings
     * @return the response future
     * @since 0.1.0
     */
    default CompletableFuture<SpeechResponse> speechAsync(EndpointCall<SpeechRequest> call) {
        return unsupported("speech", call.endpoint(), call.providerModel());
    }

    /**
     * Transcribes the request's audio ({@code /v1/audio/transcriptions}) without blocking the
     * caller. The default fails with a {@link BadRequestException} saying the provider has no
     * transcription.
     *
     * @param call the request and the deployment's settings
     * @return the response future
     * @since 0.1.0
     */
    default CompletableFuture<TranscriptionResponse> transcribeAsync(EndpointCall<TranscriptionRequest> call) {
        return unsupported("transcription", call.endpoint(), call.providerModel());
    }

    /**
     * Passes a Responses API request ({@code /v1/responses}) through without blocking the caller.
     * The default fails with a {@link BadRequestException} saying the provider has no Responses API.
     *
     * @param call the request and the deployment's settings
     * @return the response future
     * @since 0.1.0
     */
    default CompletableFuture<ResponsesResponse> responsesAsync(EndpointCall<ResponsesRequest> call) {
        return unsupported("the Responses API", call.endpoint(), call.providerModel());
    }

    /**
     * A future failed with the {@link BadRequestException} saying this provider does not support
     * {@code what}: the default of every endpoint method an adapter leaves alone.
     */
    private <T> CompletableFuture<T> unsupported(String what, Endpoint endpoint, String providerModel) {
        return CompletableFuture.failedFuture(new BadRequestException("provider '" + name()
                + "' does not support " + what + " (deployment '" + endpoint.deploymentId() + "')",
                ErrorContext.builder().provider(name()).deploymentId(endpoint.deploymentId())
                        .model(providerModel).build()));
    }

    /**
     * Streams the answer: {@code sink} hears every chunk, then {@code onComplete} after the
     * stream's terminal event, or {@code onError}. The request's {@code stream} flag is set; the
     * adapter asks for usage in the stream where the provider supports it. The default fails with
     * a {@link BadRequestException} saying the provider cannot stream.
     *
     * @param call the request and the deployment's settings
     * @param sink receives the stream's events
     * @return a handle that cancels the stream
     */
    default StreamHandle streamAsync(ProviderCall call, ChunkSink sink) {
        sink.onError(new BadRequestException("provider '" + name() + "' does not support streaming (deployment '"
                + call.deploymentId() + "')", ErrorContext.builder().provider(name())
                .deploymentId(call.deploymentId()).model(call.providerModel()).build()));
        return StreamHandle.NONE;
    }

    /**
     * Opens the stream to be read on the calling thread (pull-style): the request is sent and the
     * answer's status checked here, and each {@link ChunkSource#next()} reads the next event on the
     * thread that calls it, so a blocking reader (the router's {@code ChatStream}) pays no thread
     * hand-off per chunk. Same request, chunks, end-of-stream rule and typed failures as
     * {@link #streamAsync}; the call's {@link ProviderCall#timeout()} bounds the whole stream, and
     * cancelling the call's {@link ProviderCall#cancellation()} closes it from any thread.
     *
     * <p>The default adapts {@link #streamAsync} (its chunks still arrive on the provider's thread,
     * through a queue), so adapters without a pull path keep working. The router reads on the
     * caller's thread only from adapters that override this method.
     *
     * <pre>{@code
     * try (ChunkSource source = provider.openStream(ProviderCall.of(request, endpoint, cancellation))) {
     *     for (Optional<ChatChunk> c = source.next(); c.isPresent(); c = source.next()) {
     *         accumulator.add(c.get());
     *     }
     * }
     * }</pre>
     *
     * @param call the request (the caller sets {@code stream}) and the deployment's settings
     * @return the open stream; close it when done
     * @throws LlmRouterException when the stream cannot be opened: unsendable request, HTTP error
     *     answer (mapped as for a completion), connection failure, timeout; a
     *     {@link io.llmrouter.api.exception.RequestCancelledException} when cancelled or interrupted
     *     (the default reports every failure from {@link ChunkSource#next()} instead)
     * @since 0.1.0
     */
    default ChunkSource openStream(ProviderCall call) {
        java.util.Objects.requireNonNull(call, "call");
        return PushedChunkSource.open(this, call);
    }
}
