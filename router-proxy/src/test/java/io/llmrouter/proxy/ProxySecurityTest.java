package io.llmrouter.proxy;

import static io.llmrouter.proxy.ProxyFixture.MASTER_KEY;
import static io.llmrouter.proxy.ProxyFixture.chatBody;
import static io.llmrouter.proxy.ProxyFixture.tree;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keys, limits and leaks: missing, wrong, expired, blocked and over-budget keys; a key for one model
 * calling another; oversized bodies; header injection; admin routes without the master key; and no
 * key in any error body or log line.
 */
class ProxySecurityTest {

    private static ProxyFixture proxy;
    /** Every answer body this class received, searched for keys at the end. */
    private static final List<String> BODIES = new ArrayList<>();
    private static final List<String> KEYS = new ArrayList<>();

    @BeforeAll
    static void start() {
        proxy = new ProxyFixture(ProxySettings.builder().maxRequestBytes(4096).build(),
                b -> b.reply("Hello from fake"));
        KEYS.add(MASTER_KEY);
    }

    @AfterAll
    static void stop() throws IOException {
        proxy.close();
        for (String body : BODIES) {
            for (String key : KEYS) {
                assertThat(body).doesNotContain(key);
            }
        }
        Path log = Path.of("target", "proxy-test.log");
        if (Files.exists(log)) {
            String text = Files.readString(log);
            for (String key : KEYS) {
                assertThat(text).doesNotContain(key);
            }
        }
    }

    private static HttpResponse<String> chat(String key, String model) {
        return seen(proxy.post("/v1/chat/completions", key, chatBody(model, false)));
    }

    private static HttpResponse<String> seen(HttpResponse<String> r) {
        BODIES.add(r.body());
        r.headers().map().values().forEach(v -> BODIES.add(String.join(",", v)));
        return r;
    }

    private static String key(String body) {
        String key = proxy.newKey(body);
        KEYS.add(key);
        return key;
    }

    private static void assertError(HttpResponse<String> r, int status, String messagePart) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(tree(r.body()).at("/error/message").asText()).containsIgnoringCase(messagePart);
    }

    @Test
    void missingKeyIs401() {
        assertError(chat(null, "gpt-4o"), 401, "missing");
    }

    @Test
    void wrongKeysAre401() {
        assertError(chat("sk-not-a-real-key-0000000000000000", "gpt-4o"), 401, "invalid");
        assertError(chat("garbage", "gpt-4o"), 401, "invalid");
        KEYS.add("sk-not-a-real-key-0000000000000000");
    }

    @Test
    void expiredKeyIs401() {
        String key = key("{\"expires\":\"2001-01-01T00:00:00Z\"}");

        assertError(chat(key, "gpt-4o"), 401, "expired");
    }

    @Test
    void blockedKeyIs401() {
        String key = key("{}");
        assertThat(chat(key, "gpt-4o").statusCode()).isEqualTo(200);

        seen(proxy.post("/key/update", MASTER_KEY, "{\"key\":\"" + key + "\",\"blocked\":true}"));

        assertError(chat(key, "gpt-4o"), 401, "blocked");
    }

    @Test
    void keyAcceptedInXApiKeyAndApiKeyHeaders() {
        String key = key("{}");
        for (String header : List.of("x-api-key", "api-key")) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(proxy.url("/v1/models"))).header(header, key)
                    .GET().build();
            assertThat(seen(proxy.send(request)).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void givenKeyForOneModel_whenCallingAnother_then403AndModelsListShowsOnlyItsModel() {
        String key = key("{\"models\":[\"gpt-4o\"]}");

        assertError(chat(key, "other"), 403, "not allowed");
        assertThat(chat(key, "gpt-4o").statusCode()).isEqualTo(200);
        assertThat(seen(proxy.post("/v1/embeddings", key, "{\"model\":\"embed\",\"input\":\"a\"}")).statusCode())
                .isEqualTo(403);
        assertThat(tree(seen(proxy.get("/v1/models", key)).body()).get("data").findValuesAsText("id"))
                .containsExactly("gpt-4o");
    }

    @Test
    void givenKeyOverItsBudget_whenCalling_then429BeforeAnyProviderCall() {
        String key = key("{\"max_budget\":0.5,\"budget_duration\":\"30d\"}");
        assertThat(chat(key, "gpt-4o").statusCode()).isEqualTo(200); // costs $1
        int calls = proxy.chat.callCount();

        HttpResponse<String> refused = chat(key, "gpt-4o");

        assertError(refused, 429, "api key");
        assertThat(tree(refused.body()).at("/error/type").asText()).isEqualTo("budget_exceeded");
        assertThat(refused.headers().firstValue("retry-after")).isPresent();
        assertThat(proxy.chat.callCount()).isEqualTo(calls);
    }

    @Test
    void givenRpmLimit_whenOverIt_then429WithRetryAfter() {
        String key = key("{\"rpm_limit\":2}");
        assertThat(chat(key, "gpt-4o").statusCode()).isEqualTo(200);
        assertThat(chat(key, "gpt-4o").statusCode()).isEqualTo(200);

        HttpResponse<String> third = chat(key, "gpt-4o");

        assertError(third, 429, "rpm");
        assertThat(third.headers().firstValue("retry-after")).isPresent();
    }

    @Test
    void oversizedBodiesAre413WithOrWithoutContentLength() {
        String big = chatBody("gpt-4o", false).replace("hello", "x".repeat(5000));

        assertError(seen(proxy.post("/v1/chat/completions", MASTER_KEY, big)), 413, "larger than 4096");
        HttpRequest chunked = HttpRequest.newBuilder(URI.create(proxy.url("/v1/chat/completions")))
                .header("Authorization", "Bearer " + MASTER_KEY).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
                .build();
        assertThat(seen(proxy.send(chunked)).statusCode()).isEqualTo(413);
    }

    @Test
    void givenCrLfInAModelName_whenChat_thenNothingReachesTheResponseHeaders() {
        HttpResponse<String> r = seen(proxy.post("/v1/chat/completions", MASTER_KEY,
                chatBody("gpt-4o\\r\\nSet-Cookie: evil=1", false)));

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("set-cookie")).isEmpty();
        assertThat(r.headers().map().keySet()).noneMatch(h -> h.toLowerCase().contains("evil"));
    }

    @Test
    void givenRawCrInAHeaderValue_whenSent_thenRefusedBeforeAnyHandler() throws IOException {
        String request = "GET /v1/models HTTP/1.1\r\nHost: localhost\r\nx-api-key: " + MASTER_KEY
                + "\rInjected: yes\r\nConnection: close\r\n\r\n";

        String answer = raw(request);

        assertThat(answer).startsWith("HTTP/1.1 400");
        assertThat(answer).doesNotContain("Injected");
    }

    private static String raw(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", proxy.server.port())) {
            s.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            BODIES.add(answer);
            return answer;
        }
    }

    @Test
    void adminRoutesNeedTheMasterKey() {
        String key = key("{}");
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (String path : List.of("/key/info?key=x", "/key/list", "/global/spend/keys", "/global/spend/models",
                "/admin/deployments")) {
            answers.add(seen(proxy.get(path, null)));
            answers.add(seen(proxy.get(path, key)));
        }
        for (String path : List.of("/key/generate", "/key/update", "/key/delete")) {
            answers.add(seen(proxy.post(path, null, "{}")));
            answers.add(seen(proxy.post(path, key, "{\"keys\":[\"" + key + "\"]}")));
        }
        assertThat(answers).allSatisfy(r -> assertThat(r.statusCode()).as(r.uri().toString()).isEqualTo(401));
        assertThat(chat(key, "gpt-4o").statusCode()).isEqualTo(200); // not deleted by the refused call
    }
}
