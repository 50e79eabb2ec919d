package io.llmrouter.proxy;

import static io.llmrouter.proxy.ProxyFixture.MASTER_KEY;
import static io.llmrouter.proxy.ProxyFixture.chatBody;
import static io.llmrouter.proxy.ProxyFixture.tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The proxy's OpenAI API and operations over plain HTTP: exact framing, error JSON, headers. */
class ProxyHttpTest {

    private static ProxyFixture proxy;

    @BeforeAll
    static void start() {
        proxy = new ProxyFixture();
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @Test
    void givenMasterKey_whenChatCompletion_thenOpenAiJsonWithRoutingHeaders() {
        HttpResponse<String> r = proxy.post("/v1/chat/completions", MASTER_KEY, chatBody("gpt-4o", false));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith(
                "application/json"));
        JsonNode body = tree(r.body());
        assertThat(body.get("object").asText()).isEqualTo("chat.completion");
        assertThat(body.at("/choices/0/message/content").asText()).isEqualTo("Hello from fake");
        assertThat(body.at("/usage/prompt_tokens").asInt()).isEqualTo(1_000_000);
        assertThat(r.headers().firstValue("x-llmrouter-deployment")).hasValue("dep-a");
        assertThat(r.headers().firstValue("x-litellm-model-id")).hasValue("dep-a");
        assertThat(r.headers().firstValue("x-llmrouter-attempts")).hasValue("1");
        assertThat(new BigDecimal(r.headers().firstValue("x-llmrouter-cost").orElseThrow())).isEqualByComparingTo("1");
        assertThat(r.headers().firstValue("x-litellm-response-cost")).isPresent();
        assertThat(r.headers().firstValue("server")).isEmpty();
    }

    @Test
    void chatCompletionsWithoutV1PrefixWorkToo() {
        HttpResponse<String> r = proxy.post("/chat/completions", MASTER_KEY, chatBody("gpt-4o", false));

        assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    void givenStreamWithIncludeUsage_whenChat_thenOpenAiSseFramingWithUsageChunkAndDone() {
        String body = "{\"model\":\"streamy\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

        HttpResponse<String> r = proxy.post("/v1/chat/completions", MASTER_KEY, body);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith(
                "text/event-stream"));
        String text = r.body();
        assertThat(text).endsWith("data: [DONE]\n\n");
        List<JsonNode> events = new ArrayList<>();
        for (String event : text.split("\n\n")) {
            assertThat(event).startsWith("data: ");
            String data = event.substring("data: ".length());
            if (!data.equals("[DONE]")) {
                events.add(tree(data));
            }
        }
        StringBuilder content = new StringBuilder();
        for (JsonNode e : events.subList(0, events.size() - 1)) {
            assertThat(e.get("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(e.has("usage")).isTrue();
            assertThat(e.get("usage").isNull()).isTrue();
            content.append(e.at("/choices/0/delta/content").asText(""));
        }
        assertThat(content.toString()).isEqualTo("Hello world");
        assertThat(events.get(events.size() - 2).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        JsonNode usage = events.get(events.size() - 1);
        assertThat(usage.get("choices").size()).isZero();
        assertThat(usage.at("/usage/completion_tokens").asInt()).isEqualTo(3);
        assertThat(usage.get("id").asText()).isEqualTo(events.get(0).get("id").asText());
    }

    @Test
    void givenStreamWithoutIncludeUsage_whenChat_thenNoUsageFieldAnywhere() {
        HttpResponse<String> r = proxy.post("/v1/chat/completions", MASTER_KEY, chatBody("streamy", true));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).doesNotContain("\"usage\"").endsWith("data: [DONE]\n\n");
    }

    @Test
    void givenEmbeddingRequest_whenFloatOrBase64_thenOpenAiShapes() {
        HttpResponse<String> floats = proxy.post("/v1/embeddings", MASTER_KEY,
                "{\"model\":\"embed\",\"input\":[\"a\",\"b\"]}");
        HttpResponse<String> base64 = proxy.post("/v1/embeddings", MASTER_KEY,
                "{\"model\":\"embed\",\"input\":\"a\",\"encoding_format\":\"base64\"}");

        assertThat(floats.statusCode()).as(floats.body()).isEqualTo(200);
        JsonNode f = tree(floats.body());
        assertThat(f.get("object").asText()).isEqualTo("list");
        assertThat(f.get("data").size()).isEqualTo(2);
        assertThat(f.at("/data/1/index").asInt()).isEqualTo(1);
        assertThat(f.at("/data/0/embedding").size()).isEqualTo(4);
        JsonNode b = tree(base64.body());
        byte[] raw = Base64.getDecoder().decode(b.at("/data/0/embedding").asText());
        assertThat(raw).hasSize(16);
        float first = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getFloat();
        assertThat(first).isEqualTo((float) f.at("/data/0/embedding/0").asDouble());
    }

    @Test
    void givenMasterKey_whenListingModels_thenEveryGroupInOpenAiListShape() {
        JsonNode body = tree(proxy.get("/v1/models", MASTER_KEY).body());

        assertThat(body.get("object").asText()).isEqualTo("list");
        assertThat(body.get("data").findValuesAsText("id")).containsExactly("gpt-4o", "other", "streamy", "embed");
        assertThat(body.at("/data/0/object").asText()).isEqualTo("model");
    }

    @Test
    void givenUnknownModel_whenChat_then404InOpenAiErrorShape() {
        HttpResponse<String> r = proxy.post("/v1/chat/completions", MASTER_KEY, chatBody("nope", false));

        assertThat(r.statusCode()).isEqualTo(404);
        JsonNode error = tree(r.body()).get("error");
        assertThat(error.fieldNames()).toIterable().containsExactly("message", "type", "param", "code");
        assertThat(error.get("code").asText()).isEqualTo("model_not_found");
        assertThat(error.get("message").asText()).contains("nope").doesNotContain("gpt-4o");
    }

    @Test
    void givenMalformedBody_whenChat_then400NamingThePath() {
        HttpResponse<String> r = proxy.post("/v1/chat/completions", MASTER_KEY, "{\"model\":\"gpt-4o\",\"messages\":3}");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(tree(r.body()).at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(tree(r.body()).at("/error/message").asText()).contains("messages");
    }

    @Test
    void givenUpstreamFailure_whenChat_thenMappedStatusAndRetryAfter() {
        try (ProxyFixture failing = new ProxyFixture(ProxySettings.defaults(),
                b -> b.fail(429, java.time.Duration.ofSeconds(7)))) {
            HttpResponse<String> r = failing.post("/v1/chat/completions", MASTER_KEY, chatBody("gpt-4o", false));

            assertThat(r.statusCode()).isIn(429, 503);
            assertThat(r.headers().firstValue("retry-after")).isPresent();
            assertThat(tree(r.body()).at("/error/message").asText()).isNotBlank();
        }
    }

    @Test
    void healthAndMetrics() {
        proxy.post("/v1/chat/completions", MASTER_KEY, chatBody("gpt-4o", false));

        assertThat(proxy.get("/health/liveliness", null).statusCode()).isEqualTo(200);
        HttpResponse<String> ready = proxy.get("/health/readiness", null);
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(tree(ready.body()).at("/database/status").asText()).isEqualTo("up");
        assertThat(tree(ready.body()).at("/model_groups/gpt-4o/available").asInt()).isEqualTo(1);
        HttpResponse<String> metrics = proxy.get("/metrics", null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("llmrouter_requests");
    }

    @Test
    void uiWithoutItsFilesIs404AndTraversalIsRefused() {
        assertThat(proxy.get("/ui/../../etc/passwd", null).statusCode()).isIn(400, 404);
        assertThat(proxy.get("/ui/%2e%2e/%2e%2e/etc/passwd", null).statusCode()).isIn(400, 404);
        assertThat(proxy.get("/ui/nope.js", null).statusCode()).isEqualTo(404);
    }

    @Test
    void unknownRouteIs404Json() {
        HttpResponse<String> r = proxy.get("/v1/nothing", MASTER_KEY);

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(tree(r.body()).at("/error/type").asText()).isEqualTo("not_found_error");
    }
}
