package io.llmrouter.proxy.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.llmrouter.DeploymentStatus;
import io.llmrouter.proxy.store.StoreHealth;
import io.llmrouter.spi.StateStore;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Operations: {@code /health/liveliness}, {@code /health/readiness}, {@code /metrics} (Prometheus
 * text), and the admin page's static files under {@code /ui} (no data in them: the page calls the
 * admin API with the master key its user types).
 */
final class OpsRoutes {

    /** How long readiness waits for the database. */
    static final Duration DATABASE_CHECK_TIMEOUT = Duration.ofSeconds(2);
    private static final String UI_ROOT = "io/llmrouter/proxy/ui/";
    private static final String UI_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
            + " img-src 'self' data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    private final ProxyApp app;

    OpsRoutes(ProxyApp app) {
        this.app = app;
    }

    void register(RoutesConfig routes) {
        app.route(routes, "GET", "/health/liveliness", this::liveliness);
        app.route(routes, "GET", "/health/liveness", this::liveliness);
        app.route(routes, "GET", "/health/readiness", this::readiness);
        app.route(routes, "GET", "/metrics", this::metrics);
        app.route(routes, "GET", "/ui", this::ui);
        app.route(routes, "GET", "/ui/<path>", this::ui);
    }

    private void liveliness(Context ctx) {
        ctx.status(200).contentType(ProxyApp.JSON).result("{\"status\":\"alive\"}");
    }

    private void readiness(Context ctx) {
        ObjectNode out = JsonOut.MAPPER.createObjectNode();
        boolean ready = true;
        StoreHealth db = app.store.health(DATABASE_CHECK_TIMEOUT);
        ObjectNode dbNode = out.putObject("database");
        dbNode.put("status", db.isUp() ? "up" : "down");
        dbNode.put("message", db.message());
        ready &= db.isUp();
        Map<String, int[]> groups = new LinkedHashMap<>();
        StateStore.Availability stateStore = StateStore.Availability.AVAILABLE;
        for (DeploymentStatus s : app.router.deploymentStatuses()) {
            int[] counts = groups.computeIfAbsent(s.modelGroup(), g -> new int[2]);
            counts[1]++;
            if (s.state() != DeploymentStatus.State.COOLING_DOWN) {
                counts[0]++;
            }
            if (s.stateStore() != StateStore.Availability.AVAILABLE) {
                stateStore = s.stateStore();
            }
        }
        ObjectNode stateNode = out.putObject("state_store");
        stateNode.put("status", stateStore.name().toLowerCase(Locale.ROOT));
        ready &= stateStore == StateStore.Availability.AVAILABLE;
        ObjectNode groupsNode = out.putObject("model_groups");
        for (Map.Entry<String, int[]> g : groups.entrySet()) {
            groupsNode.putObject(g.getKey()).put("available", g.getValue()[0]).put("deployments", g.getValue()[1]);
            ready &= g.getValue()[0] > 0;
        }
        out.put("status", ready ? "ready" : "not_ready");
        ctx.status(ready ? 200 : 503).contentType(ProxyApp.JSON).result(out.toString());
    }

    private void metrics(Context ctx) {
        ctx.status(200).contentType("text/plain; version=0.0.4; charset=utf-8").result(app.metrics.scrape());
    }

    private void ui(Context ctx) throws IOException {
        String path = ctx.path().equals("/ui") || ctx.path().equals("/ui/") ? "index.html"
                : ctx.path().substring("/ui/".length());
        if (path.isEmpty()) {
            path = "index.html";
        }
        if (path.contains("..") || path.contains("//") || path.contains("\\") || path.startsWith("/")) {
            throw ProxyError.notFound("no such file");
        }
        InputStream in = OpsRoutes.class.getClassLoader().getResourceAsStream(UI_ROOT + path);
        if (in == null) {
            throw ProxyError.notFound("no such file");
        }
        byte[] bytes;
        try (in) {
            bytes = in.readAllBytes();
        }
        ctx.header("x-content-type-options", "nosniff");
        ctx.header("cache-control", "no-cache");
        // The admin page has no inline script or style and loads nothing from elsewhere: forbid all else.
        ctx.header("content-security-policy", UI_POLICY);
        ctx.header("referrer-policy", "no-referrer");
        ctx.header("x-frame-options", "DENY");
        ctx.status(200).contentType(contentType(path)).result(bytes);
    }

    private static String contentType(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        if (p.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (p.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (p.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        if (p.endsWith(".svg")) {
            return "image/svg+xml";
        }
        if (p.endsWith(".png")) {
            return "image/png";
        }
        if (p.endsWith(".json")) {
            return "application/json";
        }
        return "application/octet-stream";
    }
}
