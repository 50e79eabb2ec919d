package io.llmrouter.providers.bedrock;

import static io.llmrouter.providers.bedrock.BedrockTestSupport.ACCESS_KEY_ID;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.CLOCK;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.REQUEST_ID;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.SECRET_ACCESS_KEY;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.resource;
import static io.llmrouter.providers.testsupport.ProviderTestKit.await;
import static io.llmrouter.providers.testsupport.ProviderTestKit.failureOf;
import static io.llmrouter.providers.testsupport.ProviderTestKit.tree;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.embedding.Embedding;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.embedding.EmbeddingResponse;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.providers.testsupport.ProviderTestKit;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.spi.EmbeddingCall;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.ProviderOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Embeddings through InvokeModel: Titan (one text per call) and Cohere (batches), against MockWebServer. */
@ExtendWith(StartedServers.class)
class BedrockEmbeddingsTest {

    private static final String TITAN = "amazon.titan-embed-text-v2:0";
    private static final String TITAN_PATH = "/model/amazon.titan-embed-text-v2%3A0/invoke";
    private static final String COHERE = "cohere.embed-english-v3";

    private final MockWebServer server = new MockWebServer();

    private static BedrockProvider provider() {
        return BedrockProvider.builder().environment(ProviderTestKit.environment(Map.of())).clock(CLOCK).build();
    }

    private EmbeddingCall call(EmbeddingRequest request) {
        return new EmbeddingCall(request, Endpoint.builder().deploymentId("embed-primary").modelGroup("embeddings")
                .providerRoute("bedrock/" + request.model()).apiBase(server.url("/").toString())
                .options(ProviderOptions.empty().with(BedrockProvider.REGION, "us-east-1")
                        .with(BedrockProvider.CREDENTIALS, BedrockTestSupport.credentials()))
                .timeout(Duration.ofSeconds(5)).build());
    }

    private static MockResponse json(String body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .addHeader("x-amzn-requestid", REQUEST_ID).body(body).build();
    }

    /** Answers each Titan call by its input text, since parallel calls arrive in any order. */
    private void titanAnswers(Map<String, MockResponse> byText) {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String text = tree(request.getBody().utf8()).path("inputText").asText();
                return byText.getOrDefault(text, new MockResponse.Builder().code(500).build());
            }
        });
    }

    private List<RecordedRequest> takeRequests(int n) throws InterruptedException {
        List<RecordedRequest> requests = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            RecordedRequest r = server.takeRequest(5, SECONDS);
            assertThat(r).isNotNull();
            requests.add(r);
        }
        return requests;
    }

    @Test
    void givenTwoTextsForTitan_whenEmbed_thenOneSignedInvokeCallPerTextAndVectorsInInputOrder() throws Exception {
        // given
        titanAnswers(Map.of("The food was delicious.", json(resource("titan-embed-response-1.json")),
                "The service was slow.", json(resource("titan-embed-response-2.json"))));
        EmbeddingRequest request = EmbeddingRequest.builder(TITAN).addInput("The food was delicious.")
                .addInput("The service was slow.").dimensions(256).putExtraBody("normalize", BooleanNode.TRUE).build();
        // when
        EmbeddingResponse response = await(provider().embedAsync(call(request)));
        // then
        List<RecordedRequest> sent = takeRequests(2);
        List<JsonNode> bodies = new ArrayList<>();
        for (RecordedRequest r : sent) {
            assertThat(r.getMethod()).isEqualTo("POST");
            assertThat(r.getUrl().encodedPath()).isEqualTo(TITAN_PATH);
            assertThat(r.getHeaders().get("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"
                    + "20150830/us-east-1/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-date, ");
            BedrockProviderTest.assertSignedWithSigV4(r, ACCESS_KEY_ID, SECRET_ACCESS_KEY, "us-east-1", false);
            bodies.add(tree(r.getBody().utf8()));
        }
        assertThat(bodies).containsExactlyInAnyOrder(
                tree("{\"inputText\":\"The food was delicious.\",\"dimensions\":256,\"normalize\":true}"),
                tree("{\"inputText\":\"The service was slow.\",\"dimensions\":256,\"normalize\":true}"));
        assertThat(response.model()).isEqualTo(TITAN);
        assertThat(response.data()).containsExactly(
                Embedding.of(0, new float[] {0.125f, -0.5f, 0.75f, 0.0f}),
                Embedding.of(1, new float[] {-0.25f, 0.5f, 0.0625f, 1.0f}));
        assertThat(response.usage()).contains(Usage.of(5 + 7, 0));
    }

    @Test
    void givenOneTitanCallThrottled_whenEmbed_thenTheWholeRequestFailsWithTheTypedError() {
        // given
        titanAnswers(Map.of("ok", json(resource("titan-embed-response-1.json")),
                "throttled", new MockResponse.Builder().code(429)
                        .addHeader("x-amzn-errortype", "ThrottlingException:http://internal.amazon.com/coral/")
                        .body("{\"message\":\"Too many requests, please wait before trying again.\"}").build()));
        // when
        Throwable failure = failureOf(provider().embedAsync(call(EmbeddingRequest.of(TITAN, "ok", "throttled"))));
        // then
        assertThat(failure).isExactlyInstanceOf(RateLimitException.class);
        assertThat(((RateLimitException) failure).isRetryable()).isTrue();
    }

    @Test
    void givenCohereTexts_whenEmbed_thenOneBatchCallWithInputTypeAndUsageFromTheTokenHeader() throws Exception {
        // given
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .addHeader("X-Amzn-Bedrock-Input-Token-Count", "6")
                .body(resource("cohere-embed-response.json")).build());
        EmbeddingRequest request = EmbeddingRequest.builder(COHERE).addInput("the cat sat").addInput("on the mat")
                .putExtraBody("truncate", TextNode.valueOf("END")).build();
        // when
        EmbeddingResponse response = await(provider().embedAsync(call(request)));
        // then
        RecordedRequest sent = takeRequests(1).get(0);
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/model/cohere.embed-english-v3/invoke");
        assertThat(tree(sent.getBody().utf8())).isEqualTo(tree("""
                {"texts":["the cat sat","on the mat"],"input_type":"search_document","truncate":"END"}"""));
        assertThat(response.data()).containsExactly(
                Embedding.of(0, new float[] {0.015625f, -0.03125f, 0.5f}),
                Embedding.of(1, new float[] {0.25f, 0.125f, -0.0625f}));
        assertThat(response.usage()).contains(Usage.of(6, 0));
    }

    @Test
    void givenInputTypeInExtraBodyAndDimensions_whenCohereEmbed_thenTheyReplaceTheDefaults() throws Exception {
        // given
        server.enqueue(json("{\"embeddings\":{\"float\":[[0.5,0.25]]},\"response_type\":\"embeddings_by_type\"}"));
        EmbeddingRequest request = EmbeddingRequest.builder("cohere.embed-v4:0").addInput("query").dimensions(256)
                .putExtraBody("input_type", TextNode.valueOf("search_query"))
                .putExtraBody("embedding_types", tree("[\"float\"]")).build();
        // when
        EmbeddingResponse response = await(provider().embedAsync(call(request)));
        // then
        assertThat(tree(takeRequests(1).get(0).getBody().utf8())).isEqualTo(tree("""
                {"texts":["query"],"input_type":"search_query","output_dimension":256,"embedding_types":["float"]}"""));
        assertThat(response.data()).containsExactly(Embedding.of(0, new float[] {0.5f, 0.25f}));
        assertThat(response.usage()).as("no token count reported").isEmpty();
    }

    @Test
    void givenMoreThan96TextsForCohere_whenEmbed_thenBatchesOf96AndKeepsTheIndexes() throws Exception {
        // given
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                JsonNode texts = tree(request.getBody().utf8()).path("texts");
                StringBuilder vectors = new StringBuilder();
                for (JsonNode t : texts) {
                    vectors.append(vectors.length() == 0 ? "" : ",").append("[").append(t.asText().substring(5))
                            .append("]");
                }
                return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                        .addHeader("X-Amzn-Bedrock-Input-Token-Count", String.valueOf(texts.size()))
                        .body("{\"embeddings\":[" + vectors + "]}").build();
            }
        });
        List<String> inputs = IntStream.range(0, 100).mapToObj(i -> "text " + i).toList();
        // when
        EmbeddingResponse response = await(provider().embedAsync(call(EmbeddingRequest.builder(COHERE)
                .inputs(inputs).build())));
        // then
        List<Integer> batchSizes = new ArrayList<>();
        for (RecordedRequest r : takeRequests(2)) {
            batchSizes.add(tree(r.getBody().utf8()).path("texts").size());
        }
        assertThat(batchSizes).containsExactlyInAnyOrder(96, 4);
        assertThat(response.data()).hasSize(100);
        for (int i = 0; i < 100; i++) {
            assertThat(response.data().get(i).index()).isEqualTo(i);
            assertThat(response.data().get(i).get(0)).isEqualTo((float) i);
        }
        assertThat(response.usage()).contains(Usage.of(100, 0));
    }

    @Test
    void givenModelOfAnotherFamily_whenEmbed_thenBadRequestBeforeAnyCall() {
        // when
        Throwable failure = failureOf(provider().embedAsync(call(EmbeddingRequest.of("amazon.nova-pro-v1:0", "hi"))));
        // then
        assertThat(failure).isExactlyInstanceOf(BadRequestException.class)
                .hasMessageContaining("amazon.titan-embed-*").hasMessageContaining("cohere.embed-*");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void givenTitanAnswerWithoutEmbedding_whenEmbed_thenInvalidProviderResponse() {
        // given
        server.enqueue(json("{\"inputTextTokenCount\":3}"));
        // when
        Throwable failure = failureOf(provider().embedAsync(call(EmbeddingRequest.of(TITAN, "hi"))));
        // then
        assertThat(failure).isExactlyInstanceOf(io.llmrouter.api.exception.InvalidProviderResponseException.class)
                .hasMessageContaining("embedding is missing");
    }
}
