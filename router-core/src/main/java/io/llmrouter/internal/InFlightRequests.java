package io.llmrouter.internal;

import io.llmrouter.api.RouterRequest;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.RouterClosedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A router's requests in flight and its closed state: what {@code close()} ends. A request
 * registers when it starts and unregisters when it ends; one that registers after close began is
 * refused, so none is left running past a close. Thread-safe and lock-free (a concurrent set and a
 * volatile flag).
 */
final class InFlightRequests {

    private final Set<RequestExecution<?, ?>> live = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** Registers a request; false (not registered) when the router is closed. */
    boolean register(RequestExecution<?, ?> execution) {
        live.add(execution);
        if (closed) {
            live.remove(execution);
            return false;
        }
        return true;
    }

    void unregister(RequestExecution<?, ?> execution) {
        live.remove(execution);
    }

    /** Whether any request is in flight. */
    boolean isBusy() {
        return !live.isEmpty();
    }

    boolean isClosed() {
        return closed;
    }

    /** The failure of every call made to, or in flight on, a closed router. */
    static RouterClosedException closedException(RouterRequest request) {
        return new RouterClosedException("the router is closed; build a new one to send requests",
                ErrorContext.builder().model(request.model()).build());
    }

    /** Refuses new requests and ends every request in flight at once with {@link #closedException}. */
    void close() {
        closed = true;
        for (RequestExecution<?, ?> e : List.copyOf(live)) {
            e.abort(closedException(e.request()));
        }
    }

    /**
     * Refuses new requests, waits up to {@code grace} for the requests in flight to end on their
     * own, then {@link #close()}s.
     *
     * @return whether every request in flight ended within {@code grace}
     */
    boolean close(Duration grace) {
        closed = true;
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (RequestExecution<?, ?> e : List.copyOf(live)) {
            pending.add(e.result());
        }
        boolean drained = true;
        if (!pending.isEmpty()) {
            try {
                CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                        .handle((r, err) -> null)
                        .get(Math.max(0, grace.toNanos()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                drained = false;
            } catch (ExecutionException | TimeoutException e) {
                drained = false;
            }
        }
        close();
        return drained;
    }
}
