package io.llmrouter.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The wire behaviour of each fault, seen by the JDK's own HTTP client (no adapter involved). */
class FaultServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final String OPENAI_BODY = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";

    private static HttpResponse<String> post(FaultServer server, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer sk-test-0123456789abcdef")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> chat(FaultServer server) throws Exception {
        return post(server, "/v1/chat/completions", OPENAI_BODY);
    }

    @Test
    void givenScript_whenCalled_thenFaultsPlayInOrderAndTheLastRepeats() throws Exception {
        try (FaultServer server = FaultServer.openAi().then(Fault.status(503)).times(3).then(Fault.ok("hi")).start()) {
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                statuses.add(chat(server).statusCode());
            }
            assertThat(statuses).containsExactly(503, 503, 503, 200, 200);
            assertThat(server.callCount()).isEqualTo(5);
            assertThat(server.requests()).hasSize(5).allSatisfy(r -> {
                assertThat(r.path()).isEqualTo("/v1/chat/completions");
                assertThat(JSON.readTree(r.body())).isEqualTo(JSON.readTree(OPENAI_BODY));
                assertThat(r.header("authorization")).contains("Bearer sk-test-0123456789abcdef");
                assertThat(r.toString()).doesNotContain("sk-test");
            });
            assertThat(server.url()).isEqualTo("http://127.0.0.1:" + server.port() + "/v1");
        }
    }

    @Test
    void okAnswersARealisticChatCompletionWithUsage() throws Exception {
        try (FaultServer server = FaultServer.openAi().then(Fault.ok("hi there")).start()) {
            HttpResponse<String> response = chat(server);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("x-request-id")).contains("req_fault_1");
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.path("object").asText()).isEqualTo("chat.completion");
            assertThat(body.path("model").asText()).isEqualTo("gpt-4o");
            assertThat(body.path("choices").get(0).path("message").path("content").asText()).isEqualTo("hi there");
            assertThat(body.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
            assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(2);
            assertThat(body.path("usage").path("total_tokens").asInt())
                    .isEqualTo(body.path("usage").path("prompt_tokens").asInt() + 2);
        }
    }

    @Test
    void anthropicServesMessagesAnd529Overloaded() throws Exception {
        try (FaultServer server = FaultServer.anthropic().then(Fault.overloaded()).then(Fault.ok("hey")).start()) {
            String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            HttpResponse<String> first = post(server, "/v1/messages", body);
            HttpResponse<String> second = post(server, "/v1/messages", body);
            assertThat(first.statusCode()).isEqualTo(529);
            assertThat(JSON.readTree(first.body()).path("error").path("type").asText()).isEqualTo("overloaded_error");
            assertThat(JSON.readTree(second.body()).path("content").get(0).path("text").asText()).isEqualTo("hey");
            assertThat(JSON.readTree(second.body()).path("usage").path("output_tokens").asInt()).isEqualTo(1);
        }
    }

    @Test
    void wrongPathGets404AndUsesNoScriptStep() throws Exception {
        try (FaultServer server = FaultServer.openAi().then(Fault.status(500)).then(Fault.ok("x")).start()) {
            assertThat(post(server, "/v1/messages", "{}").statusCode()).isEqualTo(404);
            assertThat(chat(server).statusCode()).isEqualTo(500);
            assertThat(server.callCount()).isEqualTo(2);
        }
    }

    @Test
    void rateLimitCarriesRetryAfterOnlyWhenAsked() throws Exception {
        try (FaultServer server = FaultServer.openAi().then(Fault.rateLimited(Duration.ofMillis(1500)))
                .then(Fault.rateLimited()).start()) {
            HttpResponse<String> with = chat(server);
            HttpResponse<String> without = chat(server);
            assertThat(with.statusCode()).isEqualTo(429);
            assertThat(with.headers().firstValue("retry-after")).contains("2");
            assertThat(with.headers().firstValue("retry-after-ms")).contains("1500");
            assertThat(without.headers().firstValue("retry-after")).isEmpty();
            assertThat(JSON.readTree(without.body()).path("error").path("code").asText()).isEqualTo("rate_limit_exceeded");
        }
    }

    @Test
    void errorBodiesFollowTheVendorsEnvelope() throws Exception {
        try (FaultServer server = FaultServer.openAi().then(Fault.contextLengthExceeded()).then(Fault.contentFilter())
                .then(Fault.expiredKey()).then(Fault.htmlPage(502)).start()) {
            assertThat(JSON.readTree(chat(server).body()).path("error").path("code").asText())
                    .isEqualTo("context_length_exceeded");
            assertThat(JSON.readTree(chat(server).body()).path("error").path("code").asText()).isEqualTo("content_filter");
            HttpResponse<String> expired = chat(server);
            assertThat(expired.statusCode()).isEqualTo(401);
            assertThat(expired.body()).contains("sk-****").doesNotContain("sk-test-0123456789abcdef");
            HttpResponse<String> html = chat(server);
            assertThat(html.statusCode()).isEqualTo(502);
            assertThat(html.headers().firstValue("content-type")).contains("text/html");
            assertThat(html.body()).contains("<title>502 Bad Gateway</title>");
        }
    }

    @Test
    void malformedJsonIsACompleteAnswerWithHalfTheJson() throws Exception {
        try (FaultServer server = FaultServer.openAi().then(Fault.malformedJson()).start()) {
            HttpResponse<String> response = chat(server);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).startsWith("{\"id\":\"chatcmpl-fault1\"");
            assertThatThrownBy(() -> JSON.readTree(response.body())).isInstanceOf(IOException.class);
        }
    }

    @Test
    void truncatedBodyAndConnectionResetFailTheRead() throws Exception {
        try (FaultServer server = FaultServer.openAi().then(Fault.truncatedBody()).then(Fault.connectionReset()).start()) {
            assertThatThrownBy(() -> chat(server)).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> chat(server)).isInstanceOf(IOException.class);
            assertThat(server.callCount()).isEqualTo(2);
        }
    }

    @Test
    void noAnswerHoldsTheExchangeUntilClose() throws Exception {
        FaultServer server = FaultServer.openAi().then(Fault.noAnswer()).start();
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + "/chat/completions"))
                    .timeout(Duration.ofMillis(300)).POST(HttpRequest.BodyPublishers.ofString(OPENAI_BODY)).build();
            long start = System.nanoTime();
            assertThatThrownBy(() -> CLIENT.send(request, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(HttpTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(server.heldCount()).isEqualTo(1);
        } finally {
            server.close();
        }
        assertThat(server.heldCount()).isZero();
        server.close(); // idempotent
    }

    @Test
    void delayedFaultAnswersLate() throws Exception {
        try (FaultServer server = FaultServer.openAi().then(Fault.ok("slow").delayed(Duration.ofMillis(200))).start()) {
            long start = System.nanoTime();
            assertThat(chat(server).statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        }
    }

    @Test
    void replaceScriptAndHealChangeARunningServer() throws Exception {
        try (FaultServer server = FaultServer.openAi().then(Fault.status(500)).start()) {
            assertThat(chat(server).statusCode()).isEqualTo(500);
            server.replaceScript(Fault.status(502), Fault.status(504));
            assertThat(chat(server).statusCode()).isEqualTo(502);
            assertThat(chat(server).statusCode()).isEqualTo(504);
            server.heal();
            assertThat(JSON.readTree(chat(server).body()).path("choices").get(0).path("message").path("content").asText())
                    .isEqualTo(FaultServer.DEFAULT_REPLY);
        }
    }

    @Test
    void mixIsReproduciblePerCallNumberAndFollowsTheWeights() {
        Fault mix = Fault.mix(42).add(90, Fault.ok("a")).add(10, Fault.status(503)).build();
        List<Fault> first = IntStream.rangeClosed(1, 10_000).mapToObj(mix::resolve).toList();
        List<Fault> again = IntStream.rangeClosed(1, 10_000).mapToObj(mix::resolve).toList();
        assertThat(first).isEqualTo(again);
        long failures = first.stream().filter(f -> f.statusCode() == 503).count();
        assertThat(failures).isBetween(800L, 1200L);
        assertThat(Fault.mix(43).add(90, Fault.ok("a")).add(10, Fault.status(503)).build().resolve(7).toString())
                .startsWith("Fault[");
    }

    @Test
    void rejectsMisuse() {
        assertThatThrownBy(() -> Fault.status(200)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("200");
        assertThatThrownBy(() -> FaultServer.openAi().times(2)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> FaultServer.openAi().then(Fault.ok("x")).times(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Fault.mix(1).build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Fault.ok("x").delayed(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
