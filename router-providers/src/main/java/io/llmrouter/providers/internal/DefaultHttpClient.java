package io.llmrouter.providers.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * The OkHttp client the adapters use when the user gives none. One instance per JVM, created on
 * first use, so every provider and deployment shares its connection pool and dispatcher threads
 * (as OkHttp recommends).
 *
 * <p>Connect timeout {@link #CONNECT_TIMEOUT}; no read, write or call timeout on the client,
 * because each call sets its own whole-call limit ({@code Call.timeout()}) from the deployment, and
 * LLM answers often take far longer than a socket read timeout would allow. The dispatcher allows
 * {@value #MAX_REQUESTS} concurrent calls in total and per host (OkHttp's default of 5 per host
 * would throttle an asynchronous router). OkHttp's own retries are off
 * ({@code retryOnConnectionFailure(false)}): the router decides every retry.
 */
public final class DefaultHttpClient {

    /** Time allowed to open a TCP/TLS connection. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** Concurrent calls allowed by the dispatcher, in total and per host. */
    public static final int MAX_REQUESTS = 256;

    /** Idle connections kept in the pool. */
    public static final int MAX_IDLE_CONNECTIONS = 32;

    /** How long an idle pooled connection is kept. */
    public static final Duration KEEP_ALIVE = Duration.ofMinutes(5);

    private DefaultHttpClient() {
    }

    /** The shared default client. */
    public static OkHttpClient shared() {
        return Holder.CLIENT;
    }

    /** A new client with the default settings (its own pool and dispatcher). */
    public static OkHttpClient create() {
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(MAX_REQUESTS);
        dispatcher.setMaxRequestsPerHost(MAX_REQUESTS);
        return new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(MAX_IDLE_CONNECTIONS, KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS))
                .connectTimeout(CONNECT_TIMEOUT)
                .readTimeout(Duration.ZERO)
                .writeTimeout(Duration.ZERO)
                .callTimeout(Duration.ZERO)
                // The router is the only place that retries: no silent repeat of a 408 or of a
                // request on a failed connection, so provider calls stay bounded and visible.
                .retryOnConnectionFailure(false)
                .build();
    }

    private static final class Holder {
        static final OkHttpClient CLIENT = create();
    }
}
