package io.llmrouter.proxy;

import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.proxy.store.ProxyStore;
import io.llmrouter.proxy.store.StoreSettings;
import io.llmrouter.testing.LoopbackLlmServer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real proxy for the admin-page and load tests: {@link ProxyServer} on a free loopback port, an
 * in-memory H2 store, the master key {@link ProxyLoad#MASTER_KEY}, and a router with one OpenAI
 * deployment ({@code load-upstream}, group {@value ProxyLoad#MODEL}) at a {@link LoopbackLlmServer}.
 */
final class LoopbackProxy implements AutoCloseable {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Router router;
    private final ProxyStore store;
    private final ProxyServer server;

    private LoopbackProxy(Router router, ProxyStore store, ProxyServer server) {
        this.router = router;
        this.store = store;
        this.server = server;
    }

    /** Starts a proxy; the store's spill files (if any) go to {@code dataDirectory}. */
    static LoopbackProxy start(LoopbackLlmServer upstream, Path dataDirectory) {
        return start(upstream, dataDirectory, StoreSettings.DEFAULT_MAX_POOL_SIZE);
    }

    /** Starts a proxy whose store has a pool of {@code maxPoolSize} database connections. */
    static LoopbackProxy start(LoopbackLlmServer upstream, Path dataDirectory, int maxPoolSize) {
        Router router = ProxyLoad.router(upstream);
        ProxyStore store = ProxyStore.open(StoreSettings.builder().maxPoolSize(maxPoolSize)
                .jdbcUrl("jdbc:h2:mem:proxyui-" + DATABASES.incrementAndGet()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1")
                .spillDirectory(dataDirectory.resolve("spill")).build());
        ProxyServer server = ProxyServer.builder().router(router).store(store).masterKey(Secret.of(ProxyLoad.MASTER_KEY))
                .port(0).build().start();
        return new LoopbackProxy(router, store, server);
    }

    Router router() {
        return router;
    }

    ProxyStore store() {
        return store;
    }

    /** {@code http://127.0.0.1:<port>}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Stops the proxy, which closes the router and the store. */
    @Override
    public void close() {
        server.close();
    }
}
