package io.llmrouter.spi;

import io.llmrouter.api.chat.ChatChunk;
import java.util.Optional;

/**
 * A provider stream read on the caller's thread (pull-style): each {@link #next()} reads the
 * stream's next event from the connection on the thread that calls it and returns its chunk. No
 * thread hand-off per chunk; the network is backpressured by the reader itself.
 *
 * <pre>{@code
 * try (ChunkSource source = provider.openStream(call)) {
 *     for (Optional<ChatChunk> c = source.next(); c.isPresent(); c = source.next()) {
 *         c.get().text().ifPresent(out::print);
 *     }
 * }
 * }</pre>
 *
 * <p>Not thread-safe for reading: one thread calls {@link #next()} at a time. {@link #close()} and
 * the call's {@link CallCancellation} may be used from any thread; a {@code next()} blocked at that
 * moment then fails with a {@link io.llmrouter.api.exception.RequestCancelledException}.
 *
 * @see Provider#openStream(ProviderCall)
 * @since 0.1.0
 */
public interface ChunkSource extends AutoCloseable {

    /**
     * Reads the next chunk, blocking until it arrives.
     *
     * @return the next chunk, or empty after the stream's terminal event (then the connection is
     *     released and every later call returns empty)
     * @throws io.llmrouter.api.exception.LlmRouterException the stream's typed failure: an error
     *     event, a cut or truncated stream ({@link io.llmrouter.api.exception.InvalidProviderResponseException}),
     *     the call's timeout; a {@link io.llmrouter.api.exception.RequestCancelledException} after
     *     {@link #close()}, a cancel or an interrupt of the reading thread
     */
    Optional<ChatChunk> next();

    /** Stops the stream: closes its HTTP call (the server sees the disconnect). Idempotent, any thread. */
    @Override
    void close();
}
