package io.llmrouter.providers.openai;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.ChatStreamAccumulator;
import io.llmrouter.spi.ChunkSink;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link ChunkSink} for tests: records every event, counts terminal events and events after the
 * end (both must stay at most one / zero), and lets a test wait for chunks or the end without sleeping.
 */
public final class RecordingSink implements ChunkSink {

    private final List<ChatChunk> chunks = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> end = new CompletableFuture<>();
    private final Semaphore arrived = new Semaphore(0);
    private final AtomicInteger terminals = new AtomicInteger();
    private final AtomicInteger afterEnd = new AtomicInteger();

    @Override
    public void onChunk(ChatChunk chunk) {
        if (end.isDone()) {
            afterEnd.incrementAndGet();
        }
        chunks.add(chunk);
        arrived.release();
    }

    @Override
    public void onComplete() {
        if (terminals.incrementAndGet() == 1) {
            end.complete(null);
        } else {
            afterEnd.incrementAndGet();
        }
    }

    @Override
    public void onError(Throwable error) {
        if (terminals.incrementAndGet() == 1) {
            end.completeExceptionally(error);
        } else {
            afterEnd.incrementAndGet();
        }
    }

    /** The chunks received so far. */
    public List<ChatChunk> chunks() {
        return List.copyOf(chunks);
    }

    /** Waits until {@code n} chunks in all have arrived. */
    public void awaitChunks(int n) throws InterruptedException {
        assertThat(arrived.tryAcquire(n, 5, SECONDS)).as("%s chunks within 5 s (got %s)", n, chunks.size()).isTrue();
        arrived.release(n);
    }

    /** Waits for {@code onComplete} and returns the accumulated response; fails on {@code onError}. */
    public ChatResponse awaitCompletion() throws Exception {
        end.get(5, SECONDS);
        assertEndedOnce();
        ChatStreamAccumulator accumulator = new ChatStreamAccumulator();
        chunks.forEach(accumulator::add);
        return accumulator.toResponse();
    }

    /** Waits for {@code onError} and returns its exception; fails on {@code onComplete}. */
    public Throwable awaitError() throws Exception {
        try {
            end.get(5, SECONDS);
        } catch (ExecutionException e) {
            assertEndedOnce();
            return e.getCause();
        }
        throw new AssertionError("the stream completed normally after " + chunks.size() + " chunks: " + chunks);
    }

    /** Whether a terminal event arrived. */
    public boolean hasEnded() {
        return end.isDone();
    }

    /** Terminal events received (0 or 1 for a well-behaved provider). */
    public int terminalEvents() {
        return terminals.get();
    }

    /** Asserts one terminal event and nothing after it. */
    public void assertEndedOnce() {
        assertThat(terminals.get()).as("terminal events").isEqualTo(1);
        assertThat(afterEnd.get()).as("events after the end").isZero();
    }
}
