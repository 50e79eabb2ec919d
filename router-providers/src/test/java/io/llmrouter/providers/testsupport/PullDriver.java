package io.llmrouter.providers.testsupport;

import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.spi.ChunkSource;
import io.llmrouter.testing.RecordingSink;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
     * Runs {@code action} on a new daemon thread once {@code reader} is blocked reading a socket
     * (a frame of the JDK's {@code sun.nio.ch} read path on its stack), e.g. to close a stream or
     * cancel a call while the reader waits in {@code next()}. It waits for that state, not for a
     * guessed time; should the state not be seen within five seconds it acts anyway, and a test
     * must not depend on which came first.
     *
     * @param reader the thread that will block reading
     * @param action what to do then
     * @return the started thread, to join
     */
    public static Thread whenBlockedReading(Thread reader, Runnable action) {
        Thread t = new Thread(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!isBlockedReading(reader) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            action.run();
        }, "pull-driver-when-blocked");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static boolean isBlockedReading(Thread reader) {
        for (StackTraceElement frame : reader.getStackTrace()) {
            if (frame.getClassName().startsWith("sun.nio.ch.")
                    && frame.getMethodName().toLowerCase(Locale.ROOT).contains("read")) {
                return true;
            }
        }
        return false;
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
