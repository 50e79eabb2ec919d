package io.llmrouter;

import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.RequestCancelledException;
import io.llmrouter.internal.ChunkPuller;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * A streamed answer to iterate on one thread: chunks in order, as they arrive, then the end or the
 * typed failure (thrown from {@code hasNext()}/{@code next()}). When the adapter reads streams on
 * the caller's thread ({@link io.llmrouter.spi.Provider#openStream}), {@code hasNext()} reads the
 * next event from the connection itself, on the iterating thread: the stream advances as it is
 * read. Otherwise chunks come from the provider's thread and are backpressured: when the reader
 * falls {@value #BUFFER} chunks behind, the provider's reading thread waits, and so does the
 * network. {@link #close()} cancels the HTTP call; use try-with-resources.
 *
 * <pre>{@code
 * try (ChatStream stream = router.stream(request)) {
 *     for (ChatChunk chunk : stream) {
 *         chunk.text().ifPresent(out::print);
 *     }
 *     log.info("cost {}", stream.response().cost());
 * }
 * }</pre>
 *
 * <p>Not thread-safe for reading: iterate from one thread. One iteration only.
 *
 * @since 0.1.0
 */
public final class ChatStream implements Iterable<ChatChunk>, AutoCloseable {

    /** Chunks buffered ahead of the reader: {@value}. */
    public static final int BUFFER = 256;

    private static final Object END = new Object();

    /** Chunks (and the end) delivered by other threads: the provider's, when the stream is pushed. */
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(BUFFER + 1);
    /**
     * Chunks (and the end) delivered on the reading thread itself: by a stream it reads (pulled),
     * or by a provider that answers while the stream is being opened. Unbounded (the reader cannot
     * wait for itself) and lock-free; read before {@link #queue}, everything in it having come first
     * (the end marker is never kept here: see {@link #endHere}).
     */
    private final ArrayDeque<Object> local = new ArrayDeque<>();
    /** The end was signalled on the reading thread: it comes after {@link #local} and {@link #queue}. */
    private boolean endHere;
    /** The thread that reads (the opening thread until iteration starts). */
    private volatile Thread reader = Thread.currentThread();
    /** Reads the pulled stream on the reader's thread; never null. */
    private ChunkPuller puller = () -> false;
    private volatile CompletableFuture<ChatResponse> result;
    private volatile boolean closed;
    private boolean iterated;

    ChatStream() {
    }

    void pullWith(ChunkPuller p) {
        this.puller = p;
    }

    /**
     * Called for each chunk: on the reader's thread, kept for it; from another thread, queued, waiting
     * while the reader is {@value #BUFFER} behind.
     */
    void offer(ChatChunk chunk) {
        put(chunk);
    }

    private void put(Object item) {
        if (Thread.currentThread() == reader) {
            if (item == END) {
                endHere = true; // after whatever is queued: the end may come here before pushed chunks are read
            } else {
                local.add(item);
            }
            return;
        }
        try {
            while (!closed && !queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                // the reader is behind: wait (backpressure), unless the stream was closed
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void attach(CompletableFuture<ChatResponse> future) {
        this.result = future;
        // the end marker must get in even when the buffer is full: put waits for room
        future.whenComplete((r, e) -> put(END));
    }

    /** The next chunk or {@link #END}: kept ones first, then by reading the pulled stream, then queued ones. */
    private Object take() throws InterruptedException {
        Thread t = Thread.currentThread();
        if (reader != t) {
            reader = t;
        }
        while (true) {
            if (closed) {
                return END;
            }
            Object item = local.poll();
            if (item != null) {
                return item;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (puller.pull()) {
                continue; // read one event here: its chunks (if any) are in local; no lock taken
            }
            item = queue.poll();
            if (item != null) {
                return item;
            }
            if (endHere) {
                return END;
            }
            return queue.take();
        }
    }

    /**
     * Iterates the chunks. Blocks in {@code hasNext()} until the next chunk or the end; a failure
     * is thrown there as the typed {@link LlmRouterException} (for a failure after the first chunk,
     * a {@link io.llmrouter.api.exception.StreamInterruptedException}). An interrupt of the reading
     * thread closes the stream (cancelling its HTTP call) and throws a
     * {@link RequestCancelledException}, leaving the interrupt flag set.
     *
     * @throws IllegalStateException when called a second time
     */
    @Override
    public Iterator<ChatChunk> iterator() {
        if (iterated) {
            throw new IllegalStateException("a ChatStream can be iterated once");
        }
        iterated = true;
        return new Iterator<>() {
            private Object next;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (done) {
                    return false;
                }
                if (next == null) {
                    try {
                        next = take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        close();
                        throw new RequestCancelledException("interrupted while reading the stream",
                                ErrorContext.none(), e);
                    }
                }
                if (next == END) {
                    done = true;
                    if (!closed) {
                        response(); // throws the failure, if any
                    }
                    return false;
                }
                return true;
            }

            @Override
            public ChatChunk next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ChatChunk c = (ChatChunk) next;
                next = null;
                return c;
            }
        };
    }

    /**
     * The accumulated response (text, tool calls, usage, cost, routing), waiting for the stream's
     * end. A stream read on this thread is read to its end here (its chunks stay available to
     * the iterator).
     *
     * @return the response
     * @throws LlmRouterException the stream's failure
     */
    public ChatResponse response() {
        if (!closed && result != null && !result.isDone() && Thread.currentThread() == reader) {
            // a stream read on this thread advances only when read: read the rest, kept for iteration
            while (!closed && !result.isDone() && puller.pull()) {
                // next event
            }
        }
        try {
            return result.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    /**
     * The future of the accumulated response. A stream read on the iterating thread completes it
     * only once it has been read to its end (by iteration or {@link #response()}).
     *
     * @return the future
     */
    public CompletableFuture<ChatResponse> future() {
        return result;
    }

    /** Stops the stream: cancels the HTTP call; further iteration ends. Idempotent. */
    @Override
    public void close() {
        closed = true;
        CompletableFuture<ChatResponse> r = result;
        if (r != null && !r.isDone()) {
            r.cancel(true);
        }
        queue.clear();
        queue.offer(END);
    }
}
