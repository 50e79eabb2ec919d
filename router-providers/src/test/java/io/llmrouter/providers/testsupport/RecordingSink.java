package io.llmrouter.providers.testsupport;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.ChatStreamAccumulator;
import io.llmrouter.spi.ChunkSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link ChunkSink} for tests: records every chunk, completes {@link #done()} on the terminal
 * event, and counts terminal events so a test can check there was exactly one.
 */
public final class RecordingSink implements ChunkSink {

    private final List<ChatChunk> chunks = new ArrayList<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final CompletableFuture<ChatChunk> first = new CompletableFuture<>();
    private final AtomicInteger terminals = new AtomicInteger();
    private final AtomicInteger afterTerminal = new AtomicInteger();

    @Override
    public synchronized void onChunk(ChatChunk chunk) {
        if (terminals.get() > 0) {
            afterTerminal.incrementAndGet();
        }
        chunks.add(chunk);
        first.complete(chunk);
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
    public synchronized List<ChatChunk> chunks() {
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

    /** Waits for {@code onComplete} and checks nothing came after it. */
    public RecordingSink awaitCompleted() throws Exception {
        done.get(5, SECONDS);
        assertThat(terminals.get()).as("terminal events").isEqualTo(1);
        assertThat(afterTerminal.get()).as("events after the terminal one").isZero();
        return this;
    }

    /** Waits for {@code onError}, checks it came once and last, and returns the error. */
    public Throwable awaitError() {
        Throwable t = catchThrowable(() -> done.get(5, SECONDS));
        assertThat(t).as("the stream's failure").isInstanceOf(ExecutionException.class);
        assertThat(terminals.get()).as("terminal events").isEqualTo(1);
        assertThat(afterTerminal.get()).as("events after the terminal one").isZero();
        return t.getCause();
    }

    /** The chunks received so far, accumulated as the router would. */
    public synchronized ChatResponse accumulated() {
        ChatStreamAccumulator accumulator = new ChatStreamAccumulator();
        chunks.forEach(accumulator::add);
        return accumulator.toResponse();
    }

    /** The text of every chunk that has some, in order. */
    public synchronized List<String> texts() {
        return chunks.stream().flatMap(c -> c.text().stream()).toList();
    }
}
