package io.llmrouter.providers.internal;

import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.spi.StreamHandle;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Sends a call once an asynchronous credential (an OAuth access token) is there, for adapters whose
 * token comes from a source that may have to fetch it. A token already there (the common case, a
 * cached one) sends at once on the caller's thread; otherwise the request is sent from the thread
 * that completes the token, with what is left of the call's timeout. Cancelling the result (or the
 * stream handle) while waiting sends nothing.
 */
public final class TokenGate {

    private static final Duration SHORTEST_TIMEOUT = Duration.ofMillis(1);

    private TokenGate() {
    }

    /**
     * The future's value when it has completed normally, else null (not yet, or failed).
     *
     * @param future the future
     * @return its value, or null
     */
    public static String ready(CompletableFuture<String> future) {
        return future.isDone() && !future.isCompletedExceptionally() ? future.getNow(null) : null;
    }

    /**
     * {@code supplied}, bounded by {@code timeout}, stripped, with every failure typed.
     *
     * @param supplied the source's future
     * @param timeout the longest wait
     * @param failure the exception for a failed or late token (a {@link java.util.concurrent.TimeoutException}
     *     when late), unwrapped
     * @param none the exception for a null or blank token
     * @return the token's future
     */
    public static CompletableFuture<String> bounded(CompletableFuture<String> supplied, Duration timeout,
            Function<Throwable, LlmRouterException> failure, Supplier<LlmRouterException> none) {
        String now = ready(supplied);
        if (now != null && !now.isBlank()) {
            return CompletableFuture.completedFuture(now.strip());
        }
        return supplied.thenApply(Function.<String>identity())
                .orTimeout(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)
                .handle((value, e) -> {
                    if (e != null) {
                        throw failure.apply(unwrap(e));
                    }
                    if (value == null || value.isBlank()) {
                        throw none.get();
                    }
                    return value.strip();
                });
    }

    /**
     * Runs {@code send} with the token once it is there; the result's cancel reaches the token wait
     * or the call. A {@link LlmRouterException} thrown by {@code send} fails the result.
     *
     * @param token the token's future
     * @param timeout the call's whole timeout
     * @param send sends the call with the token and the time left
     * @param <T> the answer's type
     * @return the answer's future
     */
    public static <T> CompletableFuture<T> send(CompletableFuture<String> token, Duration timeout,
            BiFunction<String, Duration, CompletableFuture<T>> send) {
        String ready = ready(token);
        if (ready != null) {
            try {
                return send.apply(ready, timeout);
            } catch (LlmRouterException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        long start = System.nanoTime();
        CompletableFuture<T> result = new CompletableFuture<>();
        token.whenComplete((value, failure) -> {
            if (result.isDone()) {
                return; // cancelled while waiting for the token: send nothing
            }
            if (failure != null) {
                result.completeExceptionally(unwrap(failure));
                return;
            }
            CompletableFuture<T> exchange;
            try {
                exchange = send.apply(value, left(timeout, start));
            } catch (LlmRouterException e) {
                result.completeExceptionally(e);
                return;
            }
            result.whenComplete((v, e) -> {
                if (result.isCancelled()) {
                    exchange.cancel(true);
                }
            });
            exchange.whenComplete((v, e) -> {
                if (e != null) {
                    result.completeExceptionally(unwrap(e));
                } else {
                    result.complete(v);
                }
            });
        });
        result.whenComplete((v, e) -> {
            if (result.isCancelled()) {
                token.cancel(true);
            }
        });
        return result;
    }

    /**
     * Opens the stream with the token once it is there. Failures (the token's, or a
     * {@link LlmRouterException} thrown by {@code open}) go to {@code gate}; the handle silences
     * the gate and stops the wait or the stream.
     *
     * @param token the token's future
     * @param timeout the stream's whole timeout
     * @param gate the stream's sink
     * @param open opens the stream with the token and the time left
     * @return the handle
     */
    public static StreamHandle stream(CompletableFuture<String> token, Duration timeout, SinkGate gate,
            BiFunction<String, Duration, StreamHandle> open) {
        String ready = ready(token);
        if (ready != null) {
            try {
                StreamHandle handle = open.apply(ready, timeout);
                return () -> {
                    gate.cancel();
                    handle.cancel();
                };
            } catch (LlmRouterException e) {
                gate.onError(e);
                return StreamHandle.NONE;
            }
        }
        long start = System.nanoTime();
        AtomicReference<StreamHandle> opened = new AtomicReference<>(StreamHandle.NONE);
        token.whenComplete((value, failure) -> {
            if (gate.isClosed()) {
                return; // cancelled while waiting for the token: send nothing
            }
            if (failure != null) {
                gate.onError(unwrap(failure));
                return;
            }
            StreamHandle handle;
            try {
                handle = open.apply(value, left(timeout, start));
            } catch (LlmRouterException e) {
                gate.onError(e);
                return;
            }
            opened.set(handle);
            if (gate.isClosed()) {
                handle.cancel(); // cancelled while the request was being sent
            }
        });
        return () -> {
            gate.cancel();
            token.cancel(true);
            opened.get().cancel();
        };
    }

    /**
     * The cause inside completion wrappers.
     *
     * @param t a failure
     * @return the innermost non-wrapper failure
     */
    public static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static Duration left(Duration timeout, long startNanos) {
        Duration left = timeout.minusNanos(System.nanoTime() - startNanos);
        return left.compareTo(SHORTEST_TIMEOUT) < 0 ? SHORTEST_TIMEOUT : left;
    }
}
