package io.llmrouter.spi;

import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.RequestCancelledException;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * {@link Provider#openStream}'s default: the push-style {@link Provider#streamAsync} behind a
 * queue. The provider's thread offers the events; {@link #next()} takes them on the reader's
 * thread. The queue is unbounded so that an adapter delivering on the opening thread cannot block
 * itself.
 */
final class PushedChunkSource implements ChunkSource, ChunkSink {

    /** Queued after the terminal event. */
    private static final Object END = new Object();

    private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final String provider;
    private volatile StreamHandle handle = StreamHandle.NONE;
    private volatile boolean closed;
    /** The terminal marker or failure once taken; later calls repeat it. Reader's thread only. */
    private Object ended;

    PushedChunkSource(String provider) {
        this.provider = provider;
    }

    /** Opens {@code call} on {@code provider}'s push-style stream, cancelled with the call. */
    static ChunkSource open(Provider provider, ProviderCall call) {
        PushedChunkSource source = new PushedChunkSource(provider.name());
        StreamHandle h = provider.streamAsync(call, source);
        source.handle = h;
        if (source.closed) {
            h.cancel(); // closed while streamAsync ran
        }
        call.cancellation().onCancel(source::close);
        return source;
    }

    @Override
    public void onChunk(ChatChunk chunk) {
        if (!closed) {
            events.add(chunk);
        }
    }

    @Override
    public void onComplete() {
        events.add(END);
    }

    @Override
    public void onError(Throwable error) {
        events.add(error);
    }

    @Override
    public Optional<ChatChunk> next() {
        Object event = ended;
        if (event == null) {
            if (closed) {
                throw cancelled(null);
            }
            try {
                event = events.take();
            } catch (InterruptedException e) {
                close();
                Thread.currentThread().interrupt();
                throw cancelled(e);
            }
        }
        if (event instanceof ChatChunk chunk) {
            return Optional.of(chunk);
        }
        ended = event;
        if (event == END) {
            return Optional.empty();
        }
        if (closed) {
            throw cancelled(null);
        }
        if (event instanceof LlmRouterException lre) {
            throw lre;
        }
        if (event instanceof RuntimeException re) {
            throw re;
        }
        throw new LlmRouterException(provider + ": the stream failed", ErrorContext.builder().provider(provider)
                .build(), (Throwable) event);
    }

    private RequestCancelledException cancelled(Throwable cause) {
        return new RequestCancelledException(provider + ": the stream was closed",
                ErrorContext.builder().provider(provider).build(), cause);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        handle.cancel();
        events.add(new RequestCancelledException(provider + ": the stream was closed",
                ErrorContext.builder().provider(provider).build(), null)); // wakes a blocked reader
    }
}
