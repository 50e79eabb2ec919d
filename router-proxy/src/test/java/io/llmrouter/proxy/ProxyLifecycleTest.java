package io.llmrouter.proxy;

import static io.llmrouter.proxy.ProxyFixture.MASTER_KEY;
import static io.llmrouter.proxy.ProxyFixture.chatBody;
import static io.llmrouter.proxy.ProxyFixture.tree;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Graceful stop with a stream open, and key budgets seeded from the database when a proxy starts. */
class ProxyLifecycleTest {

    @Test
    void givenOpenStream_whenClosing_thenStreamFinishesNewRequestsGet503AndRouterIsClosed() throws Exception {
        ProxyFixture proxy = new ProxyFixture(ProxySettings.builder().drainTimeout(Duration.ofSeconds(30)).build(),
                // ~6 s of stream: the stop and the refused request happen while it is open, even on a busy machine
                b -> b.chunkDelay(Duration.ofMillis(300)).stream("a", "b", "c", "d", "e", "f", "g", "h", "i", "j",
                        "k", "l", "m", "n", "o", "p", "q", "r", "s", "t"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(proxy.url("/v1/chat/completions")))
                .header("Authorization", "Bearer " + MASTER_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(chatBody("gpt-4o", true))).build();
        HttpResponse<InputStream> streaming = proxy.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        BufferedReader reader = new BufferedReader(new InputStreamReader(streaming.body(), StandardCharsets.UTF_8));
        String first = reader.readLine();
        assertThat(first).startsWith("data: {");

        // when
        CompletableFuture<Void> closing = CompletableFuture.runAsync(proxy::close);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!proxy.server.isStopping() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }

        // then
        HttpResponse<String> refused = proxy.post("/v1/chat/completions", MASTER_KEY, chatBody("other", false));
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(tree(refused.body()).at("/error/code").asText()).isEqualTo("shutting_down");
        String rest = reader.lines().collect(Collectors.joining("\n"));
        assertThat(rest.strip()).endsWith("data: [DONE]");
        assertThat(first + rest).contains("\"content\":\"t\"");
        closing.get(30, TimeUnit.SECONDS);
        assertThat(proxy.router.isClosed()).isTrue();
    }

    @Test
    void givenKeyOverBudgetInTheDatabase_whenAProxyStarts_thenItsBudgetIsSeededAndEnforced() {
        String db = "proxy-" + UUID.randomUUID();
        String key;
        try (ProxyFixture first = new ProxyFixture(db, ProxySettings.defaults(), b -> b.reply("hi"))) {
            key = first.newKey("{\"max_budget\":0.5,\"budget_duration\":\"30d\"}");
            assertThat(first.post("/v1/chat/completions", key, chatBody("gpt-4o", false)).statusCode())
                    .isEqualTo(200); // $1: over the $0.50 budget from now on
        }

        try (ProxyFixture second = new ProxyFixture(db, ProxySettings.defaults(), b -> b.reply("hi"))) {
            HttpResponse<String> r = second.post("/v1/chat/completions", key, chatBody("gpt-4o", false));

            assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
            assertThat(tree(r.body()).at("/error/type").asText()).isEqualTo("budget_exceeded");
            assertThat(second.chat.callCount()).isZero();
        }
    }
}
