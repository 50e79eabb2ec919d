package io.llmrouter.proxy;

import static io.llmrouter.proxy.ProxyFixture.MASTER_KEY;
import static io.llmrouter.proxy.ProxyFixture.tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.Deployment;
import io.llmrouter.api.Secret;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.proxy.store.ApiKeys;
import io.llmrouter.proxy.store.SpendEntry;
import io.llmrouter.proxy.store.SpendStatus;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code /v1/completions}, {@code /v1/moderations}, {@code /v1/images/generations},
 * {@code /v1/rerank} and {@code /v1/responses} through the proxy to a loopback OpenAI upstream that
 * answers with the bodies of OpenAI's (and Jina's, for rerank) API reference; the {@code *-down}
 * groups' upstream answers 500.
 */
class ProxyEndpointsTest {

    private static final String COMPLETION_ANSWER = """
            {"id": "cmpl-uqkvlQyYK7bGYrRHQ0eXlWi7", "object": "text_completion", "created": 1589478378,
             "model": "gpt-3.5-turbo-instruct", "system_fingerprint": "fp_44709d6fcb",
             "choices": [{"text": "\\n\\nThis is indeed a test", "index": 0, "logprobs": null,
                          "finish_reason": "length"}],
             "usage": {"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12}}""";
    private static final String MODERATION_ANSWER = """
            {"id": "modr-AB8CjOTu2jiq12hp1AQPfeqFWaORR", "model": "omni-moderation-2024-09-26",
             "results": [{"flagged": true,
                          "categories": {"harassment": true, "hate": false, "violence": true},
                          "category_scores": {"harassment": 0.5215635299682617, "hate": 0.22706663608551025,
                                              "violence": 0.9971134662628174},
                          "category_applied_input_types": {"harassment": ["text"], "hate": ["text"],
                                                           "violence": ["text"]}}]}""";
    private static final String IMAGE_ANSWER = """
            {"created": 1713833628,
             "data": [{"url": "https://images.example.com/otter.png",
                       "revised_prompt": "A cute baby sea otter floating on its back in calm water"}]}""";
    private static final String RERANK_ANSWER = """
            {"model": "jina-reranker-v2-base-multilingual", "usage": {"total_tokens": 38},
             "results": [{"index": 1, "document": {"text": "Paris is the capital of France."},
                          "relevance_score": 0.9162},
                         {"index": 0, "document": {"text": "Berlin is the capital of Germany."},
                          "relevance_score": 0.0251}]}""";
    private static final String RESPONSES_ANSWER = """
            {"id": "resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b", "object": "response",
             "created_at": 1741476542, "status": "completed", "error": null, "incomplete_details": null,
             "instructions": null, "max_output_tokens": null, "model": "gpt-4.1-2025-04-14",
             "output": [{"type": "message", "id": "msg_67ccd2bf17f0819081ff3bb2cf6508e60bb6a6b452d3795b",
                         "status": "completed", "role": "assistant",
                         "content": [{"type": "output_text", "annotations": [],
                                      "text": "In a peaceful grove beneath a silver moon, a unicorn named Lumina."}]}],
             "parallel_tool_calls": true, "previous_response_id": null,
             "reasoning": {"effort": null, "summary": null}, "store": true, "temperature": 1.0,
             "text": {"format": {"type": "text"}}, "tool_choice": "auto", "tools": [], "top_p": 1.0,
             "truncation": "disabled",
             "usage": {"input_tokens": 36, "input_tokens_details": {"cached_tokens": 0}, "output_tokens": 87,
                       "output_tokens_details": {"reasoning_tokens": 0}, "total_tokens": 123},
             "user": null, "metadata": {}}""";
    private static final String SERVER_ERROR = """
            {"error": {"message": "The server had an error while processing your request. Sorry about that!",
                       "type": "server_error", "param": null, "code": null}}""";

    private static final ModelPrice PER_TOKEN = ModelPrice.builder().inputPerMillion("1").outputPerMillion("1")
            .build();

    private static MockWebServer upstream;
    private static ProxyFixture proxy;
    /** The last body the upstream received, by path. */
    private static final Map<String, JsonNode> SENT = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws IOException {
        upstream = new MockWebServer();
        upstream.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getUrl().encodedPath();
                SENT.put(path, tree(request.getBody() == null ? "null" : request.getBody().utf8()));
                if (path.startsWith("/down/")) {
                    return json(500, SERVER_ERROR);
                }
                return switch (path) {
                    case "/v1/completions" -> json(200, COMPLETION_ANSWER);
                    case "/v1/moderations" -> json(200, MODERATION_ANSWER);
                    case "/v1/images/generations" -> json(200, IMAGE_ANSWER);
                    case "/v1/rerank" -> json(200, RERANK_ANSWER);
                    case "/v1/responses" -> json(200, RESPONSES_ANSWER);
                    default -> json(404, "{\"error\":{\"message\":\"no route\",\"type\":\"invalid_request_error\"}}");
                };
            }
        });
        upstream.start();
        String up = "http://" + upstream.getHostName() + ":" + upstream.getPort() + "/v1";
        String down = "http://" + upstream.getHostName() + ":" + upstream.getPort() + "/down/v1";
        proxy = new ProxyFixture(b -> b
                .retryPolicy(r -> r.numRetries(0))
                .deployment(openAi("instruct", "gpt-3.5-turbo-instruct", up, PER_TOKEN))
                .deployment(openAi("moderate", "omni-moderation-latest", up, PER_TOKEN))
                .deployment(openAi("images", "dall-e-3", up, ModelPrice.builder().perImage("0.04").build()))
                .deployment(openAi("rerank", "jina-reranker-v2-base-multilingual", up,
                        ModelPrice.builder().perQuery("0.002").build()))
                .deployment(openAi("responses", "gpt-4.1", up, PER_TOKEN))
                .deployment(openAi("responses-down", "gpt-4.1", down, PER_TOKEN))
                .deployment(openAi("instruct-down", "gpt-3.5-turbo-instruct", down, PER_TOKEN))
                .deployment(openAi("moderate-down", "omni-moderation-latest", down, PER_TOKEN))
                .deployment(openAi("images-down", "dall-e-3", down, PER_TOKEN))
                .deployment(openAi("rerank-down", "jina-reranker-v2-base-multilingual", down, PER_TOKEN)));
    }

    private static Deployment openAi(String group, String model, String apiBase, ModelPrice price) {
        return Deployment.builder(group, "openai/" + model).id("dep-" + group).apiBase(apiBase)
                .apiKey(Secret.of("sk-upstream-not-a-real-key")).price(price).build();
    }

    private static MockResponse json(int status, String body) {
        return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body)
                .build();
    }

    @AfterAll
    static void stop() throws IOException {
        proxy.close();
        upstream.close();
    }

    @Test
    void givenLegacyCompletion_whenPosted_thenForwardedWithExtrasAndAnsweredAsTextCompletion() {
        // when
        HttpResponse<String> r = proxy.post("/v1/completions", MASTER_KEY, """
                {"model": "instruct", "prompt": "Say this is a test", "max_tokens": 7, "temperature": 0,
                 "top_p": 1, "n": 1, "stop": "\\n\\n\\n", "seed": 42, "suffix": "!", "echo": false,
                 "user": "u-1", "stream": false, "metadata": {"trace": "t"}}""");

        // then
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        ObjectNode body = (ObjectNode) tree(r.body());
        assertThat(body.remove("created").isIntegralNumber()).isTrue();
        assertThat(body).isEqualTo(tree("""
                {"id": "cmpl-uqkvlQyYK7bGYrRHQ0eXlWi7", "object": "text_completion",
                 "model": "gpt-3.5-turbo-instruct",
                 "choices": [{"text": "\\n\\nThis is indeed a test", "index": 0, "logprobs": null,
                              "finish_reason": "length"}],
                 "usage": {"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12}}"""));
        assertThat(SENT.get("/v1/completions")).isEqualTo(tree("""
                {"model": "gpt-3.5-turbo-instruct", "prompt": "Say this is a test", "max_tokens": 7,
                 "temperature": 0.0, "stop": "\\n\\n\\n", "n": 1, "user": "u-1",
                 "top_p": 1, "seed": 42, "suffix": "!", "echo": false}"""));
        assertThat(r.headers().firstValue("x-llmrouter-deployment")).hasValue("dep-instruct");
        assertThat(r.headers().firstValue("x-llmrouter-attempts")).hasValue("1");
        assertThat(r.headers().firstValue("x-llmrouter-cost")).hasValueSatisfying(
                v -> assertThat(new BigDecimal(v)).isEqualByComparingTo("0.000012"));
    }

    @Test
    void completionsWithoutV1PrefixAndWithPromptArrayWorkToo() {
        HttpResponse<String> r = proxy.post("/completions", MASTER_KEY,
                "{\"model\":\"instruct\",\"prompt\":[\"a\",\"b\"]}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(SENT.get("/v1/completions").get("prompt")).isEqualTo(tree("[\"a\",\"b\"]"));
    }

    @Test
    void givenModeration_whenPosted_thenOpenAiModerationObject() {
        HttpResponse<String> r = proxy.post("/v1/moderations", MASTER_KEY,
                "{\"model\":\"moderate\",\"input\":[\"I will hurt you\",{\"type\":\"text\",\"text\":\"hi\"}]}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(tree(r.body())).isEqualTo(tree("""
                {"id": "modr-AB8CjOTu2jiq12hp1AQPfeqFWaORR", "model": "omni-moderation-2024-09-26",
                 "results": [{"flagged": true,
                              "categories": {"harassment": true, "hate": false, "violence": true},
                              "category_scores": {"harassment": 0.5215635299682617, "hate": 0.22706663608551025,
                                                  "violence": 0.9971134662628174}}]}"""));
        assertThat(SENT.get("/v1/moderations")).isEqualTo(tree(
                "{\"model\":\"omni-moderation-latest\",\"input\":[\"I will hurt you\",\"hi\"]}"));
        assertThat(r.headers().firstValue("x-llmrouter-deployment")).hasValue("dep-moderate");
    }

    @Test
    void givenImageGeneration_whenPosted_thenOpenAiImagesResponse() {
        HttpResponse<String> r = proxy.post("/v1/images/generations", MASTER_KEY, """
                {"model": "images", "prompt": "A cute baby sea otter", "n": 1, "size": "1024x1024",
                 "quality": "standard", "response_format": "url", "user": "u-2"}""");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(tree(r.body())).isEqualTo(tree(IMAGE_ANSWER));
        assertThat(SENT.get("/v1/images/generations")).isEqualTo(tree("""
                {"model": "dall-e-3", "prompt": "A cute baby sea otter", "n": 1, "size": "1024x1024",
                 "quality": "standard", "response_format": "url", "user": "u-2"}"""));
        assertThat(r.headers().firstValue("x-llmrouter-deployment")).hasValue("dep-images");
        assertThat(r.headers().firstValue("x-llmrouter-cost")).hasValueSatisfying(
                v -> assertThat(new BigDecimal(v)).isEqualByComparingTo("0.04"));
    }

    @Test
    void givenRerank_whenPosted_thenCohereShapedResults() {
        HttpResponse<String> r = proxy.post("/v1/rerank", MASTER_KEY, """
                {"model": "rerank", "query": "capital of France?", "top_n": 2,
                 "documents": ["Berlin is the capital of Germany.", {"text": "Paris is the capital of France."}]}""");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        ObjectNode body = (ObjectNode) tree(r.body());
        assertThat(body.remove("id").asText()).isNotBlank();
        assertThat(body).isEqualTo(tree("""
                {"model": "jina-reranker-v2-base-multilingual",
                 "results": [{"index": 1, "relevance_score": 0.9162,
                              "document": {"text": "Paris is the capital of France."}},
                             {"index": 0, "relevance_score": 0.0251,
                              "document": {"text": "Berlin is the capital of Germany."}}],
                 "meta": {"billed_units": {"search_units": 1}},
                 "usage": {"total_tokens": 38}}"""));
        assertThat(SENT.get("/v1/rerank")).isEqualTo(tree("""
                {"model": "jina-reranker-v2-base-multilingual", "query": "capital of France?",
                 "documents": ["Berlin is the capital of Germany.", "Paris is the capital of France."],
                 "top_n": 2, "return_documents": true}"""));
        assertThat(r.headers().firstValue("x-llmrouter-cost")).hasValueSatisfying(
                v -> assertThat(new BigDecimal(v)).isEqualByComparingTo("0.002"));
    }

    @Test
    void givenResponsesRequest_whenPosted_thenBodiesPassThrough() {
        HttpResponse<String> r = proxy.post("/v1/responses", MASTER_KEY, """
                {"model": "responses", "input": "Tell me a three sentence bedtime story about a unicorn.",
                 "metadata": {"k": "v"}, "stream": false}""");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(tree(r.body())).isEqualTo(tree(RESPONSES_ANSWER));
        assertThat(SENT.get("/v1/responses")).isEqualTo(tree("""
                {"model": "gpt-4.1", "input": "Tell me a three sentence bedtime story about a unicorn.",
                 "metadata": {"k": "v"}, "stream": false}"""));
        assertThat(r.headers().firstValue("x-llmrouter-deployment")).hasValue("dep-responses");
    }

    @Test
    void givenVirtualKey_whenEachEndpointCalled_thenSpendLogHasItsCallType() {
        // given
        String key = proxy.newKey("{\"models\":[\"instruct\",\"moderate\",\"images\",\"rerank\",\"responses\"]}");

        // when
        assertThat(proxy.post("/v1/completions", key, "{\"model\":\"instruct\",\"prompt\":\"x\"}").statusCode())
                .isEqualTo(200);
        assertThat(proxy.post("/v1/moderations", key, "{\"model\":\"moderate\",\"input\":\"x\"}").statusCode())
                .isEqualTo(200);
        assertThat(proxy.post("/v1/images/generations", key, "{\"model\":\"images\",\"prompt\":\"x\"}")
                .statusCode()).isEqualTo(200);
        assertThat(proxy.post("/v1/rerank", key, "{\"model\":\"rerank\",\"query\":\"q\",\"documents\":[\"a\",\"b\"]}")
                .statusCode()).isEqualTo(200);
        assertThat(proxy.post("/v1/responses", key, "{\"model\":\"responses\",\"input\":\"x\"}").statusCode())
                .isEqualTo(200);

        // then
        proxy.store.spendLog().flush();
        assertThat(proxy.store.spendLog().entries(ApiKeys.hash(key), 10))
                .allSatisfy(e -> assertThat(e.status()).isEqualTo(SpendStatus.SUCCESS))
                .extracting(SpendEntry::callType)
                .containsExactlyInAnyOrder("text_completion", "moderation", "image_generation", "rerank",
                        "responses");
        assertThat(proxy.store.spendLog().entries(ApiKeys.hash(key), 10))
                .filteredOn(e -> e.callType().equals("text_completion"))
                .singleElement().satisfies(e -> {
                    assertThat(e.totalTokens()).isEqualTo(12);
                    assertThat(e.deploymentId()).hasValue("dep-instruct");
                });
    }

    static Stream<Arguments> endpoints() {
        return Stream.of(
                Arguments.of("/v1/completions", "{\"model\":\"%s\",\"prompt\":\"x\"}", "instruct"),
                Arguments.of("/v1/moderations", "{\"model\":\"%s\",\"input\":\"x\"}", "moderate"),
                Arguments.of("/v1/images/generations", "{\"model\":\"%s\",\"prompt\":\"x\"}", "images"),
                Arguments.of("/v1/rerank", "{\"model\":\"%s\",\"query\":\"q\",\"documents\":[\"a\"]}", "rerank"),
                Arguments.of("/v1/responses", "{\"model\":\"%s\",\"input\":\"x\"}", "responses"));
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void givenUpstream500_whenCalled_then502InOpenAiErrorShape(String path, String body, String group) {
        HttpResponse<String> r = proxy.post(path, MASTER_KEY, body.formatted(group + "-down"));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(502);
        JsonNode error = tree(r.body()).get("error");
        assertThat(error.fieldNames()).toIterable().containsExactly("message", "type", "param", "code");
        assertThat(error.get("type").asText()).isEqualTo("upstream_error");
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void givenKeyNotAllowedForModel_whenCalled_then403(String path, String body, String group) {
        String key = proxy.newKey("{\"models\":[\"gpt-4o\"]}");

        HttpResponse<String> r = proxy.post(path, key, body.formatted(group));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(tree(r.body()).at("/error/code").asText()).isEqualTo("model_not_allowed");
    }

    static Stream<Arguments> badBodies() {
        return Stream.of(
                Arguments.of("/v1/completions", "{\"model\":\"instruct\",\"prompt\":[1,2,3]}", "prompt"),
                Arguments.of("/v1/completions", "{\"model\":\"instruct\",\"prompt\":\"x\",\"stream\":true}", "stream"),
                Arguments.of("/v1/completions", "{\"model\":\"instruct\",\"prompt\":\"x\",\"max_tokens\":\"7\"}",
                        "max_tokens"),
                Arguments.of("/v1/completions", "{\"prompt\":\"x\"}", "model"),
                Arguments.of("/v1/moderations", "{\"model\":\"moderate\",\"input\":42}", "input"),
                Arguments.of("/v1/images/generations", "{\"model\":\"images\",\"prompt\":\"x\",\"n\":\"two\"}", "n"),
                Arguments.of("/v1/images/generations", "{\"model\":\"images\",\"prompt\":\"x\",\"size\":\"big\"}",
                        "size"),
                Arguments.of("/v1/images/generations", "{\"model\":\"images\"}", "prompt"),
                Arguments.of("/v1/rerank", "{\"model\":\"rerank\",\"query\":\"q\",\"documents\":\"a\"}", "documents"),
                Arguments.of("/v1/rerank", "{\"model\":\"rerank\",\"query\":\"q\",\"documents\":[\"a\"],\"top_n\":0}",
                        "top_n"),
                Arguments.of("/v1/rerank", "{\"model\":\"rerank\",\"documents\":[\"a\"]}", "query"),
                Arguments.of("/v1/responses", "{\"model\":\"responses\",\"input\":\"x\",\"stream\":true}",
                        "stream"));
    }

    @ParameterizedTest
    @MethodSource("badBodies")
    void givenBadBody_whenCalled_then400NamingTheField(String path, String body, String field) {
        HttpResponse<String> r = proxy.post(path, MASTER_KEY, body);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode error = tree(r.body()).get("error");
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.get("param").asText()).isEqualTo(field);
        assertThat(error.get("message").asText()).startsWith(field + ": ");
    }

    @Test
    void givenBodyThatIsNoObject_whenCompletions_then400() {
        HttpResponse<String> r = proxy.post("/v1/completions", MASTER_KEY, "[1]");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(tree(r.body()).at("/error/message").asText()).isEqualTo("$: expected an object");
    }
}
