package io.llmrouter.proxy;

import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.proxy.internal.ProxyApp;
import io.llmrouter.proxy.store.ApiKeys;
import io.llmrouter.proxy.store.ProxyStore;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.Objects;

/**
 * An OpenAI-compatible HTTP gateway over a {@link Router}: {@code /v1/chat/completions} (JSON and
 * SSE), {@code /v1/embeddings}, {@code /v1/models}, {@code /v1/completions},
 * {@code /v1/moderations}, {@code /v1/images/generations}, {@code /v1/rerank},
 * {@code /v1/responses}, virtual keys with budgets and limits
 * ({@code /key/*}), spend ({@code /global/spend/*}), health and Prometheus metrics. See
 * {@code src-docs/proxy.md}.
 *
 * <pre>{@code
 * try (ProxyServer proxy = ProxyServer.builder()
 *         .router(router).store(ProxyStore.open(StoreSettings.defaults()))
 *         .masterKey(Secret.fromEnv("LLMROUTER_MASTER_KEY"))
 *         .port(4000).build().start()) {
 *     proxy.awaitStop();
 * }
 * }</pre>
 *
 * <p>The server owns the router and the store it is given: {@link #close()} stops accepting
 * requests, lets requests and streams in flight finish (up to {@link ProxySettings#drainTimeout()}),
 * then stops the HTTP server and closes the router and the store. Thread-safe.
 *
 * @since 0.1.0
 */
public final class ProxyServer implements AutoCloseable {

    /** The default host: loopback only, {@value}. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    /** The default port, LiteLLM's: {@value}. */
    public static final int DEFAULT_PORT = 4000;

    private final ProxyApp app;

    private ProxyServer(ProxyApp app) {
        this.app = app;
    }

    /** A builder; {@link Builder#router}, {@link Builder#store} and {@link Builder#masterKey} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts listening; also registers every stored key's budget with the router, seeded with its
     * current period's spend.
     *
     * @return this server
     * @throws IllegalStateException if started twice or the port is taken
     */
    public ProxyServer start() {
        app.start();
        return this;
    }

    /** The port listened on (the chosen one when built with port 0). */
    public int port() {
        return app.port();
    }

    /** The base URL, e.g. {@code http://127.0.0.1:4000}. */
    public String baseUrl() {
        return "http://" + app.host() + ":" + app.port();
    }

    /** Blocks until {@link #close()} has run (from another thread or a shutdown hook). */
    public void awaitStop() throws InterruptedException {
        app.awaitStop();
    }

    /** Whether a graceful stop has begun. */
    public boolean isStopping() {
        return app.isStopping();
    }

    /**
     * Stops gracefully: new requests get 503, requests and streams in flight finish (up to the
     * drain timeout), then the HTTP server stops and the router and store are closed. Idempotent.
     */
    @Override
    public void close() {
        app.stop();
    }

    @Override
    public String toString() {
        return "ProxyServer[" + app.host() + ":" + app.port() + "]";
    }

    /** Builds a {@link ProxyServer}; not thread-safe. */
    public static final class Builder {
        private Router router;
        private ProxyStore store;
        private Secret masterKey;
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private ProxySettings settings = ProxySettings.defaults();
        private PrometheusMeterRegistry metrics;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** The router requests go through; the server closes it. */
        public Builder router(Router router) {
            this.router = Objects.requireNonNull(router, "router");
            return this;
        }

        /** The key and spend store; the server closes it. */
        public Builder store(ProxyStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * The master key: admin API and every model; must start with {@code sk-}.
         *
         * @throws IllegalArgumentException if an available value does not start with {@code sk-}
         */
        public Builder masterKey(Secret masterKey) {
            Objects.requireNonNull(masterKey, "masterKey");
            if (masterKey.isAvailable() && !masterKey.reveal().startsWith(ApiKeys.PREFIX)) {
                throw new IllegalArgumentException("masterKey must start with " + ApiKeys.PREFIX);
            }
            this.masterKey = masterKey;
            return this;
        }

        /** The interface to listen on; default {@link ProxyServer#DEFAULT_HOST}. */
        public Builder host(String host) {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank");
            }
            this.host = host;
            return this;
        }

        /**
         * The port; default {@link ProxyServer#DEFAULT_PORT}; 0 picks a free one ({@link ProxyServer#port()}).
         *
         * @throws IllegalArgumentException if not 0 to 65535
         */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0 to 65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** Limits and timeouts; default {@link ProxySettings#defaults()}. */
        public Builder settings(ProxySettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * The registry {@code GET /metrics} scrapes; bind {@code RouterMetrics.create(registry)} as a
         * listener of the router to publish its metrics there. Default: an empty registry of the
         * server's own.
         */
        public Builder metrics(PrometheusMeterRegistry registry) {
            this.metrics = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** The clock for key expiry and budget periods; default UTC system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The server, not yet listening.
         *
         * @throws IllegalStateException naming the missing field, or when the master key is not
         *     available or does not start with {@code sk-}
         */
        public ProxyServer build() {
            if (router == null) {
                throw new IllegalStateException("router is required");
            }
            if (store == null) {
                throw new IllegalStateException("store is required");
            }
            if (masterKey == null) {
                throw new IllegalStateException("masterKey is required");
            }
            if (!masterKey.isAvailable()) {
                throw new IllegalStateException("masterKey is not available"
                        + masterKey.environmentVariable().map(v -> ": environment variable " + v + " is not set")
                                .orElse(""));
            }
            if (!masterKey.reveal().startsWith(ApiKeys.PREFIX)) {
                throw new IllegalStateException("masterKey must start with " + ApiKeys.PREFIX);
            }
            return new ProxyServer(new ProxyApp(router, store, masterKey, host, port, settings, metrics, clock));
        }
    }
}
