package io.llmrouter.providers.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.SocketFactory;
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
 *
 * <p>Threads: the dispatcher's are daemon threads (named {@value #DISPATCHER_THREAD_NAME}, ended
 * after {@link #DISPATCHER_KEEP_ALIVE} idle), so the client never keeps a finished program alive;
 * OkHttp's other threads (connection pool, timeout watchdog) are daemons already.
 *
 * <p>Interrupts: sockets come from {@link SocketChannel}s, whose blocking reads and writes end when
 * the thread is interrupted (the channel closes with a {@code ClosedByInterruptException}); so
 * interrupting a thread blocked in a synchronous call on this client ends the call at once and
 * discards its connection. OkHttp's default sockets ignore interrupts.
 */
public final class DefaultHttpClient {

    /** Time allowed to open a TCP/TLS connection. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** Concurrent calls allowed by the dispatcher, in total and per host. */
    public static final int MAX_REQUESTS = 256;

    /**
     * Idle connections kept in the pool: as many as the dispatcher runs calls at once, so a burst up to
     * that concurrency finds its connections again on the next burst instead of closing and reopening
     * (a TCP and TLS handshake each) the ones above a smaller limit. Unused connections still close after
     * {@link #KEEP_ALIVE}.
     */
    public static final int MAX_IDLE_CONNECTIONS = MAX_REQUESTS;

    /** How long an idle pooled connection is kept. */
    public static final Duration KEEP_ALIVE = Duration.ofMinutes(5);

    /** The name of the dispatcher's threads. */
    public static final String DISPATCHER_THREAD_NAME = "llmrouter-http-dispatcher";

    /** How long an idle dispatcher thread is kept (OkHttp's default). */
    public static final Duration DISPATCHER_KEEP_ALIVE = Duration.ofSeconds(60);

    private DefaultHttpClient() {
    }

    /** The shared default client. */
    public static OkHttpClient shared() {
        return Holder.CLIENT;
    }

    /** A new client with the default settings (its own pool and dispatcher). */
    public static OkHttpClient create() {
        Dispatcher dispatcher = new Dispatcher(daemonExecutor());
        dispatcher.setMaxRequests(MAX_REQUESTS);
        dispatcher.setMaxRequestsPerHost(MAX_REQUESTS);
        return new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .socketFactory(InterruptibleSocketFactory.INSTANCE)
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

    /** OkHttp's own dispatcher executor (unbounded, direct hand-off), with daemon threads. */
    private static ExecutorService daemonExecutor() {
        AtomicInteger count = new AtomicInteger();
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, DISPATCHER_KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, DISPATCHER_THREAD_NAME + "-" + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Unconnected sockets backed by a {@link SocketChannel} (interruptible I/O); OkHttp connects them. */
    static final class InterruptibleSocketFactory extends SocketFactory {
        static final InterruptibleSocketFactory INSTANCE = new InterruptibleSocketFactory();

        @Override
        public Socket createSocket() throws IOException {
            return SocketChannel.open().socket();
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return connected(new InetSocketAddress(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            throw new UnsupportedOperationException("binding a local address is not supported");
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return connected(new InetSocketAddress(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            throw new UnsupportedOperationException("binding a local address is not supported");
        }

        private static Socket connected(InetSocketAddress address) throws IOException {
            Socket socket = SocketChannel.open().socket();
            socket.connect(address);
            return socket;
        }
    }

    private static final class Holder {
        static final OkHttpClient CLIENT = create();
    }
}
