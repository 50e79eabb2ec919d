package io.llmrouter.providers.internal;

import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.RequestCancelledException;
import io.llmrouter.spi.CallCancellation;
import io.llmrouter.spi.StreamHandle;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bridges OkHttp's asynchronous {@link Call} to a {@link CompletableFuture}: enqueues the call with a
 * whole-call timeout, reads the body in full on the OkHttp thread, and completes the future there.
 * Cancelling the future cancels the call. Bodies are read through {@link BoundedBody}: one longer
 * than the call's limit fails with {@link ResponseTooLargeException}, handed to {@code onFailure}
 * like any read failure.
 *
 * <p>Logs one DEBUG line per call (method, redacted URL, status or failure, milliseconds); never
 * headers or bodies.
 */
public final class AsyncHttpCall {

    private static final Logger log = LoggerFactory.getLogger(AsyncHttpCall.class);

    /** Timeouts longer than this are treated as "no timeout" (and cannot overflow nanoseconds). */
    static final Duration LONGEST_TIMEOUT = Duration.ofDays(365);

    private AsyncHttpCall() {
    }

    /**
     * Sends {@code request} and turns its answer into a value.
     *
     * @param client the client to send with
     * @param request the request
     * @param timeout the whole call's limit: connect, send, wait and read the body
     * @param maxBytes the most body bytes read (the endpoint's {@code maxResponseBytes})
     * @param onExchange turns a complete answer (any status) into the value; may throw a runtime
     *     exception, which fails the future
     * @param onFailure turns a transport failure into the exception that fails the future
     * @param <T> the value type
     * @return the future, completed on an OkHttp thread (or on the caller's, if the call fails at once)
     */
    public static <T> CompletableFuture<T> enqueue(OkHttpClient client, Request request, Duration timeout,
            long maxBytes, Function<HttpExchange, T> onExchange, Function<IOException, ? extends RuntimeException> onFailure) {
        Objects.requireNonNull(onExchange, "onExchange");
        Objects.requireNonNull(onFailure, "onFailure");
        Call call = client.newCall(request);
        if (timeout.compareTo(LONGEST_TIMEOUT) <= 0) {
            call.timeout().timeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
            WatchdogPacer.touch();
        }
        CompletableFuture<T> future = new CompletableFuture<>();
        future.whenComplete((value, error) -> {
            if (future.isCancelled()) {
                call.cancel();
            }
        });
        long start = System.nanoTime();
        call.enqueue(new Callback() {
            @Override
            public void onFailure(Call failed, IOException e) {
                if (log.isDebugEnabled()) {
                    log.debug("{} {} failed after {} ms: {}", request.method(), Redaction.url(request.url().toString()),
                            elapsed(start).toMillis(), e.getClass().getSimpleName());
                }
                if (!future.isDone()) {
                    future.completeExceptionally(onFailure.apply(e));
                }
            }

            @Override
            public void onResponse(Call answered, Response response) {
                HttpExchange exchange;
                try (response) {
                    ResponseBody body = response.body();
                    exchange = exchange(response, body, start, maxBytes);
                } catch (IOException e) {
                    onFailure(answered, e);
                    return;
                }
                if (log.isDebugEnabled()) {
                    log.debug("{} {} -> {} in {} ms", request.method(), Redaction.url(request.url().toString()),
                            exchange.status(), exchange.elapsed().toMillis());
                }
                try {
                    future.complete(onExchange.apply(exchange));
                } catch (RuntimeException e) {
                    future.completeExceptionally(e);
                }
            }
        });
        return future;
    }

    /**
     * Sends the request on the calling thread and maps the answer, for callers that would only wait
     * for {@link #enqueue} anyway: no hand-off to the client's dispatcher and back.
     *
     * @param client the client
     * @param request the request
     * @param timeout the whole call's time limit
     * @param maxBytes the most body bytes read (the endpoint's {@code maxResponseBytes})
     * @param onExchange maps the answer (any status) to the result or throws the typed failure
     * @param onFailure maps transport failures
     * @param <T> the result type
     * @return the result
     */
    public static <T> T execute(OkHttpClient client, Request request, Duration timeout, long maxBytes,
            Function<HttpExchange, T> onExchange, Function<IOException, ? extends RuntimeException> onFailure) {
        return execute(client, request, timeout, maxBytes, CallCancellation.never(), ErrorContext.none(),
                onExchange, onFailure);
    }

    /**
     * As {@link #execute(OkHttpClient, Request, Duration, long, Function, Function)}, cancellable: firing
     * {@code cancellation} from another thread cancels the HTTP call at once. A call ended by that
     * cancel, or by an interrupt of the calling thread (whose flag stays set), fails with a
     * {@link RequestCancelledException}; a thread already interrupted sends nothing.
     *
     * @param client the client
     * @param request the request
     * @param timeout the whole call's time limit
     * @param maxBytes the most body bytes read (the endpoint's {@code maxResponseBytes})
     * @param cancellation cancels the call from another thread
     * @param context the error context of a cancellation
     * @param onExchange maps the answer (any status) to the result or throws the typed failure
     * @param onFailure maps transport failures
     * @param <T> the result type
     * @return the result
     */
    public static <T> T execute(OkHttpClient client, Request request, Duration timeout, long maxBytes,
            CallCancellation cancellation, ErrorContext context,
            Function<HttpExchange, T> onExchange, Function<IOException, ? extends RuntimeException> onFailure) {
        if (Thread.currentThread().isInterrupted()) {
            throw new RequestCancelledException("interrupted before sending the request", context, null);
        }
        Call call = client.newCall(request);
        if (timeout.compareTo(LONGEST_TIMEOUT) <= 0) {
            call.timeout().timeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
            WatchdogPacer.touch();
        }
        cancellation.onCancel(call::cancel);
        long start = System.nanoTime();
        HttpExchange exchange;
        try (Response response = call.execute()) {
            ResponseBody body = response.body();
            exchange = exchange(response, body, start, maxBytes);
        } catch (IOException e) {
            if (log.isDebugEnabled()) {
                log.debug("{} {} failed after {} ms: {}", request.method(), Redaction.url(request.url().toString()),
                        elapsed(start).toMillis(), e.getClass().getSimpleName());
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new RequestCancelledException("interrupted while waiting for the answer", context, e);
            }
            if (cancellation.isCancelled()) {
                throw new RequestCancelledException("call cancelled by the router", context, e);
            }
            throw onFailure.apply(e);
        }
        if (log.isDebugEnabled()) {
            log.debug("{} {} -> {} in {} ms", request.method(), Redaction.url(request.url().toString()),
                    exchange.status(), exchange.elapsed().toMillis());
        }
        return onExchange.apply(exchange);
    }

    /**
     * Reads the whole answer, at most {@code maxBytes} of body: the body's bytes as received and its
     * charset (UTF-8, JSON's encoding and what every provider sends, unless the Content-Type names
     * another), without parsing the media type on the common path. A UTF-8 byte-order mark is
     * dropped, as {@link ResponseBody#string()} would.
     *
     * @throws ResponseTooLargeException if the body is longer than {@code maxBytes}
     */
    static HttpExchange exchange(Response response, ResponseBody body, long start, long maxBytes)
            throws IOException {
        if (body == null) {
            return new HttpExchange(response.code(), response.headers(), new byte[0], elapsed(start));
        }
        String type = response.header("Content-Type");
        if (type != null && type.indexOf('=') >= 0 && Redaction.containsIgnoreCase(type, "charset=")
                && !Redaction.containsIgnoreCase(type, "charset=utf-8")
                && !Redaction.containsIgnoreCase(type, "charset=\"utf-8\"")) {
            return new HttpExchange(response.code(), response.headers(), BoundedBody.text(body, maxBytes),
                    elapsed(start));
        }
        byte[] bytes = BoundedBody.bytes(body, maxBytes);
        if (BoundedBody.hasUtf8Bom(bytes)) {
            bytes = java.util.Arrays.copyOfRange(bytes, 3, bytes.length);
        }
        return new HttpExchange(response.code(), response.headers(), bytes, elapsed(start));
    }

    /** Reads a streaming answer's body on the HTTP client's thread. */
    @FunctionalInterface
    public interface BodyReader {
        /**
         * Reads the body to its end.
         *
         * @param body the body; closed by the caller afterwards
         * @param headers the 2xx answer's headers (the provider's request id, for failures in the stream)
         * @throws IOException when reading fails
         */
        void read(ResponseBody body, Headers headers) throws IOException;
    }

    /**
     * Sends a request whose successful answer is a stream: a 2xx answer's body is handed to
     * {@code reader} on the HTTP client's thread (which blocks while it reads: the stream's
     * backpressure); any other answer is read whole and handed to {@code onError} as an
     * {@link HttpExchange}; transport failures go to {@code onFailure}. Cancelling the returned
     * handle cancels the call (the server sees the disconnect).
     *
     * @param client the client
     * @param request the request
     * @param timeout the whole call's time limit
     * @param maxBytes the most bytes of a non-2xx body read (the endpoint's {@code maxResponseBytes});
     *     the reader bounds a 2xx body itself, per event
     * @param reader reads a 2xx body
     * @param onError receives a non-2xx answer
     * @param onFailure receives transport failures (also those while reading the body), unless cancelled
     * @return a handle that cancels the call
     */
    public static StreamHandle stream(OkHttpClient client, Request request, Duration timeout, long maxBytes,
            BodyReader reader, Consumer<HttpExchange> onError,
            Consumer<IOException> onFailure) {
        Call call = client.newCall(request);
        if (timeout.compareTo(LONGEST_TIMEOUT) <= 0) {
            call.timeout().timeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
            WatchdogPacer.touch();
        }
        long start = System.nanoTime();
        // Our own cancel, not call.isCanceled(): OkHttp's call timeout also cancels the call, and a
        // timeout must still be reported.
        AtomicBoolean cancelled = new AtomicBoolean();
        call.enqueue(new Callback() {
            @Override
            public void onFailure(Call failed, IOException e) {
                if (!cancelled.get()) {
                    onFailure.accept(e);
                }
            }

            @Override
            public void onResponse(Call answered, Response response) {
                try (response) {
                    ResponseBody body = response.body();
                    if (log.isDebugEnabled()) {
                        log.debug("{} {} -> {} (stream) after {} ms", request.method(),
                                Redaction.url(request.url().toString()), response.code(), elapsed(start).toMillis());
                    }
                    if (!response.isSuccessful() || body == null) {
                        onError.accept(exchange(response, body, start, maxBytes));
                        return;
                    }
                    reader.read(body, response.headers());
                } catch (IOException e) {
                    if (!cancelled.get()) {
                        onFailure.accept(e);
                    }
                }
            }
        });
        return () -> {
            cancelled.set(true);
            call.cancel();
        };
    }

    /**
     * Whether a transport failure is a timeout: a socket read/connect timeout or OkHttp's whole-call
     * timeout (an {@link InterruptedIOException}, or an {@link IOException} whose message is
     * {@code timeout}).
     *
     * @param e the failure
     * @return whether it is a timeout
     */
    public static boolean isTimeout(IOException e) {
        return e instanceof InterruptedIOException || "timeout".equalsIgnoreCase(e.getMessage());
    }

    private static Duration elapsed(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
