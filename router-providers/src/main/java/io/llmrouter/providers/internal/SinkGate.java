package io.llmrouter.providers.internal;

import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.spi.ChunkSink;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stands in front of a stream's {@link ChunkSink} and keeps the SPI's promises: after the first
 * {@code onComplete} or {@code onError}, and after {@link #cancel()}, the sink hears nothing more;
 * it hears at most one terminal event.
 *
 * <p>Thread-safe. No lock is held while the sink runs (its {@code onChunk} may block for
 * backpressure while another thread cancels), so a chunk already being delivered when
 * {@code cancel()} is called still arrives; nothing is delivered after that.
 */
public final class SinkGate implements ChunkSink {

    private final ChunkSink sink;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** @param sink the sink to guard */
    public SinkGate(ChunkSink sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    @Override
    public void onChunk(ChatChunk chunk) {
        if (!closed.get()) {
            sink.onChunk(chunk);
        }
    }

    @Override
    public void onComplete() {
        if (closed.compareAndSet(false, true)) {
            sink.onComplete();
        }
    }

    @Override
    public void onError(Throwable error) {
        if (closed.compareAndSet(false, true)) {
            sink.onError(error);
        }
    }

    /** Closes the gate without telling the sink: the caller cancelled. */
    public void cancel() {
        closed.set(true);
    }

    /** Whether the stream has ended, failed or been cancelled. */
    public boolean isClosed() {
        return closed.get();
    }
}
