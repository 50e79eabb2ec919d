package io.llmrouter.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.micrometer.RouterMetrics;
import io.llmrouter.proxy.store.ProxyStore;
import io.llmrouter.proxy.store.StoreSettings;
import io.llmrouter.testing.FakeProvider;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * A proxy on a free loopback port over fake providers and an in-memory H2 store. Groups:
 * {@code gpt-4o} (replies "Hello from fake", $1 per call), {@code other} (same),
 * {@code streamy} (streams "Hel", "lo", " world") and {@code embed} (embeddings).
 */
final class ProxyFixture implements AutoCloseable {

    static final String MASTER_KEY = "sk-master-0123456789abcdef";
    /** $1 per million input tokens: a call with 1,000,000 prompt tokens costs $1. */
    static final ModelPrice PRICE = ModelPrice.builder().inputPerMillion("1").outputPerMillion("1").build();
    static final ObjectMapper JSON = new ObjectMapper();

    final String dbName;
    final FakeProvider chat;
    final FakeProvider other = FakeProvider.builder().usage(Usage.of(1_000_000, 0)).reply("Hello from other").build();
    final FakeProvider streamy;
    final FakeProvider embed = FakeProvider.builder().usage(Usage.of(10, 0)).dimensions(4).reply("unused")
            .build();
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final Router router;
    final ProxyStore store;
    final ProxyServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ProxyFixture() {
        this(ProxySettings.defaults(), b -> b.reply("Hello from fake"));
    }

    ProxyFixture(ProxySettings settings, UnaryOperator<FakeProvider.Builder> chatScript) {
        this("proxy-" + UUID.randomUUID(), settings, chatScript);
    }

    /** A proxy on the in-memory database {@code dbName} (which outlives the proxy: a restart finds its keys). */
    ProxyFixture(String dbName, ProxySettings settings, UnaryOperator<FakeProvider.Builder> chatScript) {
        this(dbName, settings, chatScript, UnaryOperator.identity());
    }

    /** The default groups plus what {@code routerExtras} adds to the router (deployments, policies). */
    ProxyFixture(UnaryOperator<Router.Builder> routerExtras) {
        this("proxy-" + UUID.randomUUID(), ProxySettings.defaults(), b -> b.reply("Hello from fake"), routerExtras);
    }

    private ProxyFixture(String dbName, ProxySettings settings, UnaryOperator<FakeProvider.Builder> chatScript,
            UnaryOperator<Router.Builder> routerExtras) {
        this.dbName = dbName;
        this.chat = chatScript.apply(FakeProvider.builder().usage(Usage.of(1_000_000, 0)))
                .build();
        this.streamy = FakeProvider.builder().usage(Usage.of(1_000_000, 3)).stream("Hel", "lo", " world").build();
        this.router = routerExtras.apply(Router.builder()
                .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").id("dep-a").price(PRICE).provider(chat)
                        .build())
                .deployment(Deployment.builder("other", "openai/other").id("dep-other").price(PRICE).provider(other)
                        .build())
                .deployment(Deployment.builder("streamy", "openai/streamy").id("dep-stream").price(PRICE)
                        .provider(streamy).build())
                .deployment(Deployment.builder("embed", "openai/text-embedding-3-small").id("dep-embed").price(PRICE)
                        .provider(embed).build())
                .listener(RouterMetrics.create(registry)))
                .build();
        this.store = openStore();
        this.server = ProxyServer.builder().router(router).store(store).masterKey(Secret.of(MASTER_KEY))
                .port(0).settings(settings).metrics(registry).build().start();
    }

    ProxyStore openStore() {
        return ProxyStore.open(StoreSettings.builder().jdbcUrl("jdbc:h2:mem:" + dbName
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1")
                .flushInterval(Duration.ofMillis(20)).build());
    }

    String url(String path) {
        return server.baseUrl() + path;
    }

    HttpResponse<String> post(String path, String key, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return send(b.build());
    }

    HttpResponse<String> get(String path, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30)).GET();
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return send(b.build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates a virtual key with the given /key/generate body; returns the generate answer. */
    JsonNode generate(String body) {
        HttpResponse<String> r = post("/key/generate", MASTER_KEY, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return tree(r.body());
    }

    String newKey(String body) {
        return generate(body).get("key").asText();
    }

    static String chatBody(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]"
                + (stream ? ",\"stream\":true" : "") + "}";
    }

    @Override
    public void close() {
        server.close();
    }
}
