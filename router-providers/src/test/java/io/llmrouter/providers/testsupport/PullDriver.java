package io.llmrouter.providers.testsupport;

import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.spi.ChunkSource;
import io.llmrouter.testing.RecordingSink;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Drives a pull-style stream ({@link io.llmrouter.spi.Provider#openStream}) into a
 * {@link RecordingSink}, so that a push-style stream test can assert the same chunks and errors of
 * the pull path: on a thread of its own (as {@code streamAsync} answers on OkHttp's), it opens the
 * source, reads every chunk into the sink, then tells it {@code onComplete}, or {@code onError}
 * with whatever opening or reading threw.
 */
public final class PullDriver {

    private PullDriver() {
    }

    /**
     * Opens and drains a pull-style stream on a new daemon thread.
     *
     * @param open opens the stream (e.g. {@code () -> provider.openStream(call)})
     * @return the sink, which hears the stream's chunks and its end
     */
    public static RecordingSink drain(Supplier<ChunkSource> open) {
        RecordingSink sink = new RecordingSink();
        Thread reader = new Thread(() -> {
            try (ChunkSource source = open.get()) {
                for (Optional<ChatChunk> c = source.next(); c.isPresent(); c = source.next()) {
                    sink.onChunk(c.get());
                }
                sink.onComplete();
            } catch (RuntimeException e) {
                sink.onError(e);
            }
        }, "pull-driver");
        reader.setDaemon(true);
        reader.start();
        return sink;
    }
}
