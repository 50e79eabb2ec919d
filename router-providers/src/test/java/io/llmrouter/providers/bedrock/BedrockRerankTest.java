package io.llmrouter.providers.bedrock;

import static io.llmrouter.providers.bedrock.BedrockTestSupport.ACCESS_KEY_ID;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.CLOCK;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.REQUEST_ID;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.SECRET_ACCESS_KEY;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.json;
import static io.llmrouter.providers.testsupport.ProviderTestKit.await;
import static io.llmrouter.providers.testsupport.ProviderTestKit.environment;
import static io.llmrouter.providers.testsupport.ProviderTestKit.failureOf;
import static io.llmrouter.providers.testsupport.ProviderTestKit.tree;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.api.rerank.RerankRequest;
import io.llmrouter.api.rerank.RerankResponse;
import io.llmrouter.api.rerank.RerankResult;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.EndpointCall;
import io.llmrouter.spi.ProviderOptions;
import java.math.BigDecimal;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bedrock's Rerank API (Agents for Amazon Bedrock runtime, {@code POST /rerank}), bodies from the
 * AWS API reference, directly and through a {@link Router}.
 */
@ExtendWith(StartedServers.class)
class BedrockRerankTest {

    private static final String MODEL = "amazon.rerank-v1:0";

    private static final String ANSWER = """
            {"results":[
              {"index":1,"relevanceScore":0.9134,"document":{"type":"TEXT","textDocument":{"text":"Paris is the capital of France."}}},
              {"index":0,"relevanceScore":0.0207}]}""";

    private final MockWebServer server = new MockWebServer();
    private final MockWebServer backup = new MockWebServer();
    private final BedrockProvider provider = BedrockProvider.builder().environment(environment(Map.of()))
            .clock(CLOCK).build();

    private static RerankRequest.Builder capital(String model) {
        return RerankRequest.builder(model, "What is the capital of France?")
                .addDocument("Berlin is the capital of Germany.")
                .addDocument("Paris is the capital of France.");
    }

    private Endpoint endpoint(String region) {
        return Endpoint.builder().deploymentId("bedrock-rerank").modelGroup("rerank").providerRoute("bedrock/" + MODEL)
                .apiBase(server.url("/").toString()).options(ProviderOptions.empty().with(BedrockProvider.REGION, region)
                        .with(BedrockProvider.CREDENTIALS, BedrockTestSupport.credentials()))
                .build();
    }

    @Test
    void givenRerank_whenSent_thenPostsTheSignedAgentRuntimeBodyWithTheModelArnAndReadsTheRankedResults()
            throws Exception {
        // given
        server.enqueue(json(200, ANSWER));
        // when
        RerankResponse response = await(provider.rerankAsync(new EndpointCall<>(
                capital(MODEL).topN(2).returnDocuments(true).build(), endpoint("us-west-2"))));
        // then
        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent.getMethod()).isEqualTo("POST");
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/rerank");
        assertThat(sent.getHeaders().get("Authorization"))
                .startsWith("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY_ID + "/20150830/us-west-2/bedrock/aws4_request")
                .contains("SignedHeaders=content-type;host;x-amz-date");
        assertThat(sent.getHeaders().get("X-Amz-Date")).isEqualTo("20150830T123600Z");
        assertThat(tree(sent.getBody().utf8())).isEqualTo(tree("""
                {"queries":[{"type":"TEXT","textQuery":{"text":"What is the capital of France?"}}],
                 "sources":[
                   {"type":"INLINE","inlineDocumentSource":{"type":"TEXT","textDocument":{"text":"Berlin is the capital of Germany."}}},
                   {"type":"INLINE","inlineDocumentSource":{"type":"TEXT","textDocument":{"text":"Paris is the capital of France."}}}],
                 "rerankingConfiguration":{"type":"BEDROCK_RERANKING_MODEL",
                   "bedrockRerankingConfiguration":{"numberOfResults":2,
                     "modelConfiguration":{"modelArn":"arn:aws:bedrock:us-west-2::foundation-model/amazon.rerank-v1:0"}}}}"""));
        assertThat(response).isEqualTo(RerankResponse.builder().id(REQUEST_ID).model(MODEL).searchUnits(1)
                .addResult(new RerankResult(1, 0.9134, "Paris is the capital of France."))
                .addResult(new RerankResult(0, 0.0207, "Berlin is the capital of Germany.")).build());
    }

    @Test
    void givenNoTopNAndOneHundredOneDocuments_whenRerank_thenAsksForEveryResultAndCountsTwoBilledQueries()
            throws Exception {
        RerankRequest.Builder many = RerankRequest.builder(MODEL, "q");
        for (int i = 0; i < 101; i++) {
            many.addDocument("document " + i);
        }
        server.enqueue(json(200, "{\"results\":[{\"index\":100,\"relevanceScore\":0.5}]}"));

        RerankResponse response = await(provider.rerankAsync(new EndpointCall<>(many.build(), endpoint("us-east-1"))));

        assertThat(tree(server.takeRequest(5, SECONDS).getBody().utf8())
                .at("/rerankingConfiguration/bedrockRerankingConfiguration/numberOfResults").intValue()).isEqualTo(101);
        assertThat(response.searchUnits()).isEqualTo(2);
        assertThat(response.results()).containsExactly(new RerankResult(100, 0.5, ""));
    }

    @Test
    void givenModelArn_whenRerank_thenSendsItAsIs() throws Exception {
        String arn = "arn:aws:bedrock:eu-central-1::foundation-model/cohere.rerank-v3-5:0";
        server.enqueue(json(200, ANSWER));

        await(provider.rerankAsync(new EndpointCall<>(capital(arn).build(), endpoint("eu-central-1"))));

        assertThat(tree(server.takeRequest(5, SECONDS).getBody().utf8())
                .at("/rerankingConfiguration/bedrockRerankingConfiguration/modelConfiguration/modelArn").textValue())
                .isEqualTo(arn);
    }

    @Test
    void givenNoRegion_whenRerank_thenBadRequestBeforeAnyCall() {
        Endpoint noRegion = endpoint("us-east-1").toBuilder()
                .options(ProviderOptions.empty().with(BedrockProvider.CREDENTIALS, BedrockTestSupport.credentials()))
                .build();

        Throwable failure = failureOf(provider.rerankAsync(new EndpointCall<>(capital(MODEL).build(), noRegion)));

        assertThat(failure).isInstanceOf(BadRequestException.class).hasMessageContaining("no AWS region");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void givenMoreThanAThousandDocuments_whenRerank_thenBadRequestBeforeAnyCall() {
        RerankRequest.Builder many = RerankRequest.builder(MODEL, "q");
        for (int i = 0; i < 1001; i++) {
            many.addDocument("document " + i);
        }

        Throwable failure = failureOf(provider.rerankAsync(new EndpointCall<>(many.build(), endpoint("us-east-1"))));

        assertThat(failure).isInstanceOf(BadRequestException.class).hasMessageContaining("at most 1000 documents");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void givenIndexBeyondTheDocumentsOrAnHtmlPage_whenRerank_thenInvalidProviderResponse() {
        server.enqueue(json(200, "{\"results\":[{\"index\":7,\"relevanceScore\":0.5}]}"));
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html")
                .body("<html>" + SECRET_ACCESS_KEY + "</html>").build());

        Throwable badIndex = failureOf(provider.rerankAsync(new EndpointCall<>(capital(MODEL).build(),
                endpoint("us-east-1"))));
        Throwable html = failureOf(provider.rerankAsync(new EndpointCall<>(capital(MODEL).build(),
                endpoint("us-east-1"))));

        assertThat(badIndex).isInstanceOf(InvalidProviderResponseException.class)
                .hasMessageContaining("$.results[0].index");
        assertThat(html).isInstanceOf(InvalidProviderResponseException.class);
        assertThat(html.getMessage()).doesNotContain(SECRET_ACCESS_KEY);
    }

    @Test
    void givenThrottlingException_whenRerank_thenRetryableRateLimit() {
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Content-Type", "application/json")
                .addHeader("x-amzn-errortype", "ThrottlingException")
                .body("{\"message\":\"Too many requests\"}").build());

        Throwable failure = failureOf(provider.rerankAsync(new EndpointCall<>(capital(MODEL).build(),
                endpoint("us-east-1"))));

        assertThat(failure).isInstanceOf(RateLimitException.class);
    }

    @Test
    void givenPrimaryAnswering500_whenRouterRerank_thenBackupAnswersPricedPerQueryFromTheBundledTable() {
        // given
        server.enqueue(new MockResponse.Builder().code(500).addHeader("Content-Type", "application/json")
                .addHeader("x-amzn-errortype", "InternalServerException").body("{\"message\":\"internal\"}").build());
        backup.enqueue(json(200, ANSWER));
        try (Router router = Router.builder()
                .deployment(deployment("rerank", "primary", server))
                .deployment(deployment("rerank-backup", "backup", backup))
                .fallbackPolicy(f -> f.fallbacks("rerank", "rerank-backup"))
                .retryPolicy(r -> r.numRetries(0)).build()) {
            // when
            RerankResponse response = router.rerank(capital("rerank").build());
            // then
            assertThat(response.results()).extracting(RerankResult::index).containsExactly(1, 0);
            assertThat(response.routing().orElseThrow().attempts()).extracting(Attempt::deploymentId)
                    .containsExactly("primary", "backup");
            // 1 query (2 documents) at amazon.rerank-v1:0's $0.001 per query
            assertThat(response.cost().totalUsd().orElseThrow()).isEqualByComparingTo(new BigDecimal("0.001"));
        }
    }

    private Deployment deployment(String group, String id, MockWebServer at) {
        return Deployment.builder(group, "bedrock/" + MODEL).id(id).provider(provider)
                .apiBase(at.url("/").toString()).option(BedrockProvider.REGION, "us-east-1")
                .option(BedrockProvider.CREDENTIALS, BedrockTestSupport.credentials()).build();
    }
}
