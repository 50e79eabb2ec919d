package io.llmrouter.providers.openai;

import static io.llmrouter.providers.openai.TestSupport.json;
import static io.llmrouter.providers.testsupport.ProviderTestKit.await;
import static io.llmrouter.providers.testsupport.ProviderTestKit.environment;
import static io.llmrouter.providers.testsupport.ProviderTestKit.failureOf;
import static io.llmrouter.providers.testsupport.ProviderTestKit.tree;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.rerank.RerankRequest;
import io.llmrouter.api.rerank.RerankResponse;
import io.llmrouter.api.rerank.RerankResult;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.EndpointCall;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Jina/Voyage-style {@code {apiBase}/rerank} of the OpenAI-compatible adapter, bodies from Jina's and Voyage's references. */
@ExtendWith(StartedServers.class)
class OpenAiCompatibleRerankTest {

    private static final String KEY = "jina_test_key_0123456789";

    private static final String JINA_ANSWER = """
            {"model":"jina-reranker-v2-base-multilingual","usage":{"total_tokens":815},
             "results":[{"index":1,"document":{"text":"Organic cotton skin care"},"relevance_score":0.8814},
                        {"index":0,"document":{"text":"Green tea extract serum"},"relevance_score":0.0341}]}""";

    private final MockWebServer server = new MockWebServer();

    private static RerankRequest request(String model) {
        return RerankRequest.builder(model, "Organic skincare products for sensitive skin")
                .addDocument("Green tea extract serum").addDocument("Organic cotton skin care")
                .topN(2).returnDocuments(true).build();
    }

    private OpenAiProvider compatible() {
        return OpenAiProvider.builder().vendor(OpenAiCompatibleVendor.OPENAI_COMPATIBLE)
                .environment(environment(Map.of())).build();
    }

    private Endpoint endpoint() {
        return Endpoint.builder().deploymentId("jina").modelGroup("rerank")
                .providerRoute("openai_compatible/jina-reranker-v2-base-multilingual")
                .apiBase(server.url("/v1").toString()).apiKey(Secret.of(KEY)).timeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void givenJinaStyleApi_whenRerank_thenPostsExactBodyToRerankAndReadsDocumentsAndTokens() throws Exception {
        // given
        server.enqueue(json(200, JINA_ANSWER));
        // when
        RerankResponse response = await(compatible().rerankAsync(new EndpointCall<>(
                request("jina-reranker-v2-base-multilingual"), endpoint())));
        // then
        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1/rerank");
        assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(tree(sent.getBody().utf8())).isEqualTo(tree("""
                {"model":"jina-reranker-v2-base-multilingual","query":"Organic skincare products for sensitive skin",
                 "documents":["Green tea extract serum","Organic cotton skin care"],"top_n":2,
                 "return_documents":true}"""));
        assertThat(response).isEqualTo(RerankResponse.builder().model("jina-reranker-v2-base-multilingual")
                .addResult(new RerankResult(1, 0.8814, "Organic cotton skin care"))
                .addResult(new RerankResult(0, 0.0341, "Green tea extract serum"))
                .usage(Usage.builder().promptTokens(815).totalTokens(815).build()).build());
    }

    @Test
    void givenVoyageStyleDataArray_whenRerank_thenReadsIt() throws Exception {
        server.enqueue(json(200, """
                {"object":"list","data":[{"relevance_score":0.4375,"index":0,"document":"Green tea extract serum"}],
                 "model":"rerank-2","usage":{"total_tokens":26}}"""));

        RerankResponse response = await(compatible().rerankAsync(new EndpointCall<>(request("rerank-2"), endpoint())));

        assertThat(response.results()).containsExactly(new RerankResult(0, 0.4375, "Green tea extract serum"));
    }

    @Test
    void givenHtmlPage_whenRerank_thenInvalidProviderResponse() {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html")
                .body("<html>gateway</html>").build());

        assertThat(failureOf(compatible().rerankAsync(new EndpointCall<>(request("m"), endpoint()))))
                .isInstanceOf(InvalidProviderResponseException.class);
    }

    @Test
    void givenTokenPricedReranker_whenRouterRerank_thenCostIsTokensTimesTheTablePrice() {
        // given
        server.enqueue(json(200, JINA_ANSWER));
        try (Router router = Router.builder().deployment(Deployment.builder("rerank",
                        "openai_compatible/jina-reranker-v2-base-multilingual")
                .apiBase(server.url("/v1").toString()).apiKey(Secret.of(KEY)).build()).build()) {
            // when
            RerankResponse response = router.rerank(request("rerank"));
            // then: 815 tokens at jina-reranker-v2-base-multilingual's $0.000000018 per input token
            assertThat(response.cost().totalUsd().orElseThrow()).isEqualByComparingTo(new BigDecimal("0.00001467"));
        }
    }
}
