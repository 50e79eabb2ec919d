package io.llmrouter.spi;

import io.llmrouter.api.chat.ChatChunk;

/**
 * Receives a provider stream's events, in order, on the provider's thread. A provider calls
 * {@link #onComplete()} only after the stream's terminal event ({@code data: [DONE]},
 * {@code message_stop}, ...): a stream that ends without it is an {@link #onError} (an
 * {@link io.llmrouter.api.exception.InvalidProviderResponseException}). After {@code onComplete}
 * or {@code onError} nothing more is delivered.
 *
 * @since 0.1.0
 */
public interface ChunkSink {

    /** One chunk. May block to apply backpressure. */
    void onChunk(ChatChunk chunk);

    /** The stream ended normally, after its terminal event. */
    void onComplete();

    /** The stream failed; {@code error} is a typed {@link io.llmrouter.api.exception.LlmRouterException}. */
    void onError(Throwable error);
}
