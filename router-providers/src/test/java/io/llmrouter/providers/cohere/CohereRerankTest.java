package io.llmrouter.providers.cohere;

import static io.llmrouter.providers.cohere.CohereTestSupport.json;
import static io.llmrouter.providers.testsupport.ProviderTestKit.await;
import static io.llmrouter.providers.testsupport.ProviderTestKit.environment;
import static io.llmrouter.providers.testsupport.ProviderTestKit.failureOf;
import static io.llmrouter.providers.testsupport.ProviderTestKit.tree;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.exception.AuthenticationException;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.rerank.RerankRequest;
import io.llmrouter.api.rerank.RerankResponse;
import io.llmrouter.api.rerank.RerankResult;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.EndpointCall;
import java.math.BigDecimal;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Cohere's {@code /v2/rerank}, bodies from Cohere's API reference, directly and through a {@link Router}. */
@ExtendWith(StartedServers.class)
class CohereRerankTest {

    private static final String KEY = "co-rerank-SECRET-0123456789";

    private static final String ANSWER = """
            {"results":[{"index":3,"relevance_score":0.999071},{"index":4,"relevance_score":0.7867867},
                        {"index":0,"relevance_score":0.32713068}],
             "id":"07734bd2-2473-4f07-94e1-0d9f0e6843cf",
             "meta":{"api_version":{"version":"2","is_experimental":false},"billed_units":{"search_units":1}}}""";

    private final MockWebServer server = new MockWebServer();
    private final MockWebServer backup = new MockWebServer();

    private static RerankRequest.Builder capitals(String model) {
        return RerankRequest.builder(model, "What is the capital of the United States?")
                .addDocument("Carson City is the capital city of the American state of Nevada.")
                .addDocument("The Commonwealth of the Northern Mariana Islands is a group of islands in the Pacific.")
                .addDocument("Capitalization or capitalisation in English grammar is the use of a capital letter.")
                .addDocument("Washington, D.C. is the capital of the United States.")
                .addDocument("Capital punishment has existed in the United States since before it was a country.");
    }

    private Endpoint endpoint() {
        return Endpoint.builder().deploymentId("cohere-rerank").modelGroup("rerank")
                .providerRoute("cohere/rerank-v3.5").apiBase(server.url("/").toString()).apiKey(Secret.of(KEY))
                .build();
    }

    private static CohereProvider provider() {
        return CohereProvider.builder().environment(environment(Map.of())).build();
    }

    @Test
    void givenRerank_whenSent_thenPostsExactBodyToV2RerankAndReadsRankedResultsAndSearchUnits() throws Exception {
        // given
        server.enqueue(json(200, ANSWER));
        // when
        RerankResponse response = await(provider().rerankAsync(new EndpointCall<>(
                capitals("rerank-v3.5").topN(3).build(), endpoint())));
        // then
        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent.getMethod()).isEqualTo("POST");
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/v2/rerank");
        assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(tree(sent.getBody().utf8())).isEqualTo(tree("""
                {"model":"rerank-v3.5","query":"What is the capital of the United States?",
                 "documents":["Carson City is the capital city of the American state of Nevada.",
                   "The Commonwealth of the Northern Mariana Islands is a group of islands in the Pacific.",
                   "Capitalization or capitalisation in English grammar is the use of a capital letter.",
                   "Washington, D.C. is the capital of the United States.",
                   "Capital punishment has existed in the United States since before it was a country."],
                 "top_n":3}"""));
        assertThat(response).isEqualTo(RerankResponse.builder().id("07734bd2-2473-4f07-94e1-0d9f0e6843cf")
                .model("rerank-v3.5").searchUnits(1)
                .addResult(new RerankResult(3, 0.999071, "")).addResult(new RerankResult(4, 0.7867867, ""))
                .addResult(new RerankResult(0, 0.32713068, "")).build());
    }

    @Test
    void givenReturnDocuments_whenRerank_thenTextsComeFromTheRequestSinceV2SendsNone() throws Exception {
        server.enqueue(json(200, ANSWER));

        RerankResponse response = await(provider().rerankAsync(new EndpointCall<>(
                capitals("rerank-v3.5").returnDocuments(true).build(), endpoint())));

        assertThat(tree(server.takeRequest(5, SECONDS).getBody().utf8()).has("return_documents")).isFalse();
        assertThat(response.results().get(0).document())
                .isEqualTo("Washington, D.C. is the capital of the United States.");
    }

    @Test
    void givenIndexBeyondTheDocuments_whenRerank_thenInvalidProviderResponse() {
        server.enqueue(json(200, """
                {"results":[{"index":9,"relevance_score":0.5}],"id":"x"}"""));

        Throwable failure = failureOf(provider().rerankAsync(new EndpointCall<>(capitals("rerank-v3.5").build(),
                endpoint())));

        assertThat(failure).isInstanceOf(InvalidProviderResponseException.class).hasMessageContaining("$.results[0].index");
    }

    @Test
    void givenRejectedKey_whenRerank_thenAuthenticationExceptionWithoutTheKey() {
        server.enqueue(json(401, "{\"message\":\"invalid api token\"}"));

        Throwable failure = failureOf(provider().rerankAsync(new EndpointCall<>(capitals("rerank-v3.5").build(),
                endpoint())));

        assertThat(failure).isInstanceOf(AuthenticationException.class);
        assertThat(failure.getMessage()).doesNotContain(KEY);
    }

    @Test
    void givenPrimaryAnswering500_whenRouterRerank_thenBackupAnswersPricedPerSearchUnit() {
        // given
        server.enqueue(new MockResponse.Builder().code(500).addHeader("Content-Type", "application/json")
                .body("{\"message\":\"internal server error\"}").build());
        backup.enqueue(json(200, ANSWER.replace("\"search_units\":1", "\"search_units\":2")));
        try (Router router = Router.builder()
                .deployment(Deployment.builder("rerank", "cohere/rerank-v3.5").id("primary")
                        .apiBase(server.url("/").toString()).apiKey(Secret.of(KEY)).build())
                .deployment(Deployment.builder("rerank-backup", "cohere/rerank-v3.5").id("backup")
                        .apiBase(backup.url("/").toString()).apiKey(Secret.of(KEY)).build())
                .fallbackPolicy(f -> f.fallbacks("rerank", "rerank-backup"))
                .retryPolicy(r -> r.numRetries(0)).build()) {
            // when
            RerankResponse response = router.rerank(capitals("rerank").topN(3).build());
            // then
            assertThat(response.results()).extracting(RerankResult::index).containsExactly(3, 4, 0);
            assertThat(response.routing().orElseThrow().attempts()).extracting(Attempt::deploymentId)
                    .containsExactly("primary", "backup");
            // 2 search units at rerank-v3.5's $0.002 per query
            assertThat(response.cost().totalUsd().orElseThrow()).isEqualByComparingTo(new BigDecimal("0.004"));
        }
    }

    @Test
    void givenAdapterWithoutRerank_whenRouterRerank_thenBadRequestBeforeAnyNetworkCall() {
        try (Router router = Router.builder().deployment(Deployment.builder("rerank", "anthropic/claude-3-5-haiku")
                .apiBase(server.url("/").toString()).apiKey(Secret.of(KEY)).build()).build()) {
            assertThatThrownBy(() -> router.rerank(capitals("rerank").build()))
                    .isInstanceOf(BadRequestException.class).hasMessageContaining("does not support rerank");
            assertThat(server.getRequestCount()).isZero();
        }
    }
}
