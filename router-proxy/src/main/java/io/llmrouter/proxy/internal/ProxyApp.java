package io.llmrouter.proxy.internal;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.proxy.ProxySettings;
import io.llmrouter.proxy.store.ProxyStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's HTTP server: Javalin on Jetty, one blocking handler per request on Jetty's thread
 * pool, routes registered through {@link #route}, which authenticates nothing itself but counts
 * requests in flight (for the graceful stop) and turns every failure into OpenAI's error JSON.
 */
public final class ProxyApp {

    private static final Logger log = LoggerFactory.getLogger(ProxyApp.class);
    static final String JSON = "application/json";
    private static final String ERROR_WRITTEN = "llmrouter.proxy.error";
    private static final long JETTY_STOP_TIMEOUT_MS = 5_000;

    final Router router;
    final ProxyStore store;
    final ProxySettings settings;
    final Clock clock;
    final Authenticator auth;
    final KeyBudgets budgets;
    final KeyLimits limits;
    final SpendRecorder spend;
    final PrometheusMeterRegistry metrics;
    private final boolean ownsMetrics;
    private final String host;
    private final int requestedPort;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch drained = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Javalin javalin;
    private volatile ServerConnector connector;

    /** The app; nothing listens until {@link #start()}. */
    public ProxyApp(Router router, ProxyStore store, Secret masterKey, String host, int port, ProxySettings settings,
            PrometheusMeterRegistry metrics, Clock clock) {
        this.router = router;
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.host = host;
        this.requestedPort = port;
        this.ownsMetrics = metrics == null;
        this.metrics = metrics != null ? metrics : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.budgets = new KeyBudgets(router, store.keys());
        this.auth = new Authenticator(masterKey, store.keys(), budgets, clock);
        this.limits = new KeyLimits(clock);
        this.spend = new SpendRecorder(store.spendLog(), limits);
    }

    /** Registers the keys' budgets and starts listening. */
    public synchronized void start() {
        if (javalin != null) {
            throw new IllegalStateException("already started");
        }
        budgets.loadAll(clock.instant());
        OpenAiRoutes openAi = new OpenAiRoutes(this);
        AdminRoutes admin = new AdminRoutes(this);
        OpsRoutes ops = new OpsRoutes(this);
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = settings.maxRequestBytes();
            // The drain happens before Jetty stops (see stop()); Jetty's own graceful stop then only
            // lets the last responses' bytes go out (a stop timeout of 0 would cut them).
            config.jetty.modifyServer(server -> server.setStopTimeout(JETTY_STOP_TIMEOUT_MS));
            config.jetty.addConnector((server, httpConfig) -> {
                httpConfig.setSendServerVersion(false);
                ServerConnector c = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
                c.setHost(host);
                c.setPort(requestedPort);
                c.setIdleTimeout(settings.requestTimeout().toMillis());
                connector = c;
                return c;
            });
            openAi.register(config.routes);
            admin.register(config.routes);
            ops.register(config.routes);
            config.routes.error(404, ctx -> {
                if (ctx.attribute(ERROR_WRITTEN) == null) {
                    writeError(ctx, ProxyError.notFound("no route " + ctx.method() + " " + ctx.path()));
                }
            });
        });
        app.start();
        javalin = app;
        log.info("llmrouter proxy listening on {}:{}", host, port());
    }

    /** Registers {@code handler} for {@code method path}, counted in flight and with OpenAI errors. */
    void route(io.javalin.config.RoutesConfig routes, String method, String path, Handler handler) {
        Handler guarded = ctx -> {
            inFlight.incrementAndGet();
            try {
                if (stopping.get()) {
                    ctx.header("connection", "close");
                    throw new ProxyError(503, "service_unavailable", "shutting_down", null,
                            "the proxy is shutting down", 1);
                }
                handler.handle(ctx);
            } catch (Exception e) {
                ProxyError p = ErrorMapping.map(e, clock.instant());
                if (p.status >= 500 && !(e instanceof io.llmrouter.api.exception.LlmRouterException)
                        && !(e instanceof ProxyError)) {
                    log.warn("internal error on {} {}: {}", ctx.method(), ctx.path(), e.toString());
                }
                writeError(ctx, p);
            } finally {
                if (inFlight.decrementAndGet() == 0 && stopping.get()) {
                    drained.countDown();
                }
            }
        };
        switch (method) {
            case "GET" -> routes.get(path, guarded);
            case "POST" -> routes.post(path, guarded);
            default -> throw new IllegalArgumentException(method);
        }
    }

    static void writeError(Context ctx, ProxyError e) {
        ctx.attribute(ERROR_WRITTEN, Boolean.TRUE);
        if (e.retryAfterSeconds > 0) {
            ctx.header("retry-after", Long.toString(e.retryAfterSeconds));
        }
        ctx.status(e.status).contentType(JSON).result(JsonOut.error(e));
    }

    /** Sets a response header only when its value is plain visible ASCII (no CR, LF or other control). */
    static void safeHeader(Context ctx, String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return;
            }
        }
        ctx.header(name, value);
    }

    Optional<String> presentedKey(Context ctx) {
        return Authenticator.presentedKey(ctx.header("Authorization"), ctx.header("x-api-key"), ctx.header("api-key"));
    }

    /** The request body, at most {@link ProxySettings#maxRequestBytes()} (413 beyond). */
    byte[] body(Context ctx) throws IOException {
        long max = settings.maxRequestBytes();
        long declared = ctx.req().getContentLengthLong();
        if (declared > max) {
            ctx.header("connection", "close");
            throw ProxyError.tooLarge(max);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 1024);
            byte[] buf = new byte[8192];
            long total = 0;
            for (int n; (n = in.read(buf)) >= 0;) {
                total += n;
                if (total > max) {
                    ctx.header("connection", "close");
                    throw ProxyError.tooLarge(max);
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }

    String bodyText(Context ctx) throws IOException {
        return new String(body(ctx), StandardCharsets.UTF_8);
    }

    public String host() {
        return host;
    }

    public int port() {
        ServerConnector c = connector;
        return c == null ? requestedPort : c.getLocalPort();
    }

    public boolean isStopping() {
        return stopping.get();
    }

    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** The graceful stop: refuse new requests, drain, stop Jetty, close the router and the store. */
    public void stop() {
        if (!stopping.compareAndSet(false, true)) {
            try {
                stopped.await(settings.drainTimeout().toMillis() + 10_000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        try {
            if (inFlight.get() > 0) {
                log.info("draining {} requests in flight (up to {})", inFlight.get(), settings.drainTimeout());
                if (!drained.await(settings.drainTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("drain timeout: {} requests still in flight are cut", inFlight.get());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Javalin app = javalin;
                if (app != null) {
                    app.stop();
                }
            } finally {
                try {
                    router.close();
                } finally {
                    store.close();
                    if (ownsMetrics) {
                        metrics.close();
                    }
                    stopped.countDown();
                }
            }
        }
    }
}
