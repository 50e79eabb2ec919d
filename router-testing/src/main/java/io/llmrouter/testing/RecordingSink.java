package io.llmrouter.testing;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

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
 * A {@link ChunkSink} for adapter tests: records every chunk, completes {@link #done()} on the
 * terminal event, counts terminal events and events after the end (a well-behaved adapter sends
 * one terminal event and nothing after it), and lets a test wait for chunks or the end without
 * sleeping. Thread-safe: the adapter calls it from its HTTP thread, the test reads it from its own.
 *
 * @since 0.1.0
 */
public final class RecordingSink implements ChunkSink {

    private final List<ChatChunk> chunks = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final CompletableFuture<ChatChunk> first = new CompletableFuture<>();
    private final Semaphore arrived = new Semaphore(0);
    private final AtomicInteger terminals = new AtomicInteger();
    private final AtomicInteger afterTerminal = new AtomicInteger();

    /** Creates an empty sink. */
    public RecordingSink() {
    }

    @Override
    public void onChunk(ChatChunk chunk) {
        if (terminals.get() > 0) {
            afterTerminal.incrementAndGet();
        }
        chunks.add(chunk);
        first.complete(chunk);
        arrived.release();
    }

    @Override
    public void onComplete() {
        if (terminals.getAndIncrement() > 0) {
            afterTerminal.incrementAndGet();
        }
        done.complete(null);
    }

    @Override
    public void onError(Throwable error) {
        if (terminals.getAndIncrement() > 0) {
            afterTerminal.incrementAndGet();
        }
        done.completeExceptionally(error);
    }

    /** The chunks received so far. */
    public List<ChatChunk> chunks() {
        return List.copyOf(chunks);
    }

    /** Completes on {@code onComplete}, fails with the error of {@code onError}. */
    public CompletableFuture<Void> done() {
        return done;
    }

    /** Completes with the first chunk. */
    public CompletableFuture<ChatChunk> first() {
        return first;
    }

    /** The number of {@code onComplete} / {@code onError} calls. */
    public int terminals() {
        return terminals.get();
    }

    /** The number of {@code onComplete} / {@code onError} calls (0 or 1 for a well-behaved provider). */
    public int terminalEvents() {
        return terminals.get();
    }

    /** Whether a terminal event arrived. */
    public boolean hasEnded() {
        return done.isDone();
    }

    /**
     * Waits until {@code n} chunks in all have arrived.
     *
     * @param n the number of chunks
     * @throws InterruptedException if interrupted
     */
    public void awaitChunks(int n) throws InterruptedException {
        assertThat(arrived.tryAcquire(n, 5, SECONDS)).as("%s chunks within 5 s (got %s)", n, chunks.size()).isTrue();
        arrived.release(n);
    }

    /**
     * Waits for {@code onComplete} and checks nothing came after it.
     *
     * @return this sink
     * @throws Exception if the stream failed or did not end in time
     */
    public RecordingSink awaitCompleted() throws Exception {
        done.get(5, SECONDS);
        assertEndedOnce();
        return this;
    }

    /**
     * Waits for {@code onComplete} and returns the accumulated response; fails on {@code onError}.
     *
     * @return the chunks accumulated as the router would
     * @throws Exception if the stream failed or did not end in time
     */
    public ChatResponse awaitCompletion() throws Exception {
        awaitCompleted();
        return accumulated();
    }

    /**
     * Waits for {@code onError}, checks it came once and last, and returns the error.
     *
     * @return the stream's failure
     */
    public Throwable awaitError() {
        Throwable t = catchThrowable(() -> done.get(5, SECONDS));
        assertThat(t).as("the stream's failure (chunks: %s)", chunks).isInstanceOf(ExecutionException.class);
        assertEndedOnce();
        return t.getCause();
    }

    /** Asserts one terminal event and nothing after it. */
    public void assertEndedOnce() {
        assertThat(terminals.get()).as("terminal events").isEqualTo(1);
        assertThat(afterTerminal.get()).as("events after the terminal one").isZero();
    }

    /**
     * The chunks received so far, accumulated as the router would.
     *
     * @return the response
     */
    public ChatResponse accumulated() {
        ChatStreamAccumulator accumulator = new ChatStreamAccumulator();
        chunks.forEach(accumulator::add);
        return accumulator.toResponse();
    }

    /**
     * The text of every chunk that has some, in order.
     *
     * @return the texts
     */
    public List<String> texts() {
        return chunks.stream().flatMap(c -> c.text().stream()).toList();
    }
}
