package io.llmrouter.providers.gemini;

import static io.llmrouter.providers.gemini.GeminiTestSupport.KEY;
import static io.llmrouter.providers.gemini.GeminiTestSupport.json;
import static io.llmrouter.providers.gemini.GeminiTestSupport.resource;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.ChatStream;
import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Cost;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.testing.FakeProvider;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The adapter behind a real {@link Router}, bound to the deployment, priced from the bundled table. */
@ExtendWith(StartedServers.class)
class GeminiRouterTest {

    private static final String ANSWER = """
            {"candidates":[{"content":{"role":"model","parts":[{"text":"Bonjour !"}]},"finishReason":"STOP",
              "index":0}],
             "usageMetadata":{"promptTokenCount":1000,"candidatesTokenCount":100,"totalTokenCount":1100,
              "cachedContentTokenCount":400},
             "modelVersion":"gemini-2.0-flash-001","responseId":"resp-router-1"}""";

    private final MockWebServer server = new MockWebServer();

    @Test
    void givenOverloadedThenAnswer_whenRouterCompletion_thenRetriesAndPricesFromTheBundledTable() throws Exception {
        // given
        server.enqueue(json(503, resource("error-503-unavailable.json")));
        server.enqueue(json(200, ANSWER));
        Deployment flash = Deployment.builder("flash", "gemini/gemini-2.0-flash").id("flash-1")
                .apiBase(server.url("/v1beta").toString()).apiKey(Secret.of(KEY))
                .provider(GeminiProvider.create()).build();
        try (Router router = Router.builder().deployment(flash).retryPolicy(retry -> retry.numRetries(1)
                        .backoff(Duration.ofMillis(1), Duration.ofMillis(1))).build()) {
            // when
            ChatResponse response = router.completion(ChatRequest.ofUser("flash", "Say hello in French."));
            // then
            assertThat(response.text()).isEqualTo("Bonjour !");
            assertThat(response.routing().orElseThrow().attempts()).extracting(Attempt::deploymentId)
                    .containsExactly("flash-1", "flash-1");
            assertThat(response.routing().orElseThrow().attempts().get(0).statusCode()).hasValue(503);
            // gemini/gemini-2.0-flash: input 1e-7, cached input 2.5e-8, output 4e-7 USD per token
            Cost cost = response.cost();
            assertThat(cost.isPriced()).isTrue();
            assertThat(cost.inputUsd()).isEqualByComparingTo(new BigDecimal("0.00006"));        // 600 uncached
            assertThat(cost.cachedInputUsd()).isEqualByComparingTo(new BigDecimal("0.00001"));   // 400 cached
            assertThat(cost.outputUsd()).isEqualByComparingTo(new BigDecimal("0.00004"));        // 100 output
            assertThat(cost.totalUsd().orElseThrow()).isEqualByComparingTo(new BigDecimal("0.00011"));
            assertThat(server.getRequestCount()).isEqualTo(2);
            server.takeRequest(5, SECONDS);
            assertThat(server.takeRequest(5, SECONDS).getUrl().encodedPath())
                    .isEqualTo("/v1beta/models/gemini-2.0-flash:generateContent");
        }
    }

    @Test
    void givenStreamingDeployment_whenRouterStream_thenChunksInOrderAndAccumulatedUsageAndCost() throws Exception {
        // given: the same usage as ANSWER, streamed in three events
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
                .body(resource("stream-text.sse")).build());
        Deployment flash = Deployment.builder("flash", "gemini/gemini-2.0-flash").id("flash-1")
                .apiBase(server.url("/v1beta").toString()).apiKey(Secret.of(KEY))
                .provider(GeminiProvider.create()).build();
        try (Router router = Router.builder().deployment(flash).build();
                ChatStream stream = router.stream(ChatRequest.ofUser("flash", "Say hello in French."))) {
            // when
            List<ChatChunk> chunks = new ArrayList<>();
            stream.forEach(chunks::add);
            ChatResponse response = stream.response();
            // then
            assertThat(chunks).extracting(c -> c.text().orElse(null))
                    .containsExactly("Bonjour", " tout", " le monde !", null);
            assertThat(chunks.get(2).finishReason()).contains(FinishReason.STOP);
            assertThat(chunks.get(3).usage()).isPresent();
            assertThat(response.text()).isEqualTo("Bonjour tout le monde !");
            assertThat(response.id()).isEqualTo("resp-stream-1");
            assertThat(response.finishReason()).contains(FinishReason.STOP);
            assertThat(response.usage()).contains(Usage.builder().promptTokens(1000).completionTokens(100)
                    .totalTokens(1100).cachedTokens(400).build());
            assertThat(response.routing().orElseThrow().attempts()).extracting(Attempt::deploymentId)
                    .containsExactly("flash-1");
            // gemini/gemini-2.0-flash: input 1e-7, cached input 2.5e-8, output 4e-7 USD per token
            Cost cost = response.cost();
            assertThat(cost.isPriced()).isTrue();
            assertThat(cost.inputUsd()).isEqualByComparingTo(new BigDecimal("0.00006"));
            assertThat(cost.cachedInputUsd()).isEqualByComparingTo(new BigDecimal("0.00001"));
            assertThat(cost.outputUsd()).isEqualByComparingTo(new BigDecimal("0.00004"));
            assertThat(cost.totalUsd().orElseThrow()).isEqualByComparingTo(new BigDecimal("0.00011"));
            RecordedRequest sent = server.takeRequest(5, SECONDS);
            assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1beta/models/gemini-2.0-flash:streamGenerateContent");
            assertThat(sent.getUrl().query()).isEqualTo("alt=sse");
        }
    }

    private static final String SAFETY = """
            {"candidates":[{"index":0,"finishReason":"SAFETY","safetyRatings":[
              {"category":"HARM_CATEGORY_HARASSMENT","probability":"HIGH","blocked":true}]}],
             "usageMetadata":{"promptTokenCount":8,"totalTokenCount":8},"modelVersion":"gemini-2.0-flash"}
            """;

    @Test
    void givenSafetyStoppedAnswer_whenTheGroupHasAContentPolicyFallback_thenTheFallbackAnswersElseItIsReturned() {
        server.enqueue(json(200, SAFETY));
        server.enqueue(json(200, SAFETY));
        Deployment flash = Deployment.builder("flash", "gemini/gemini-2.0-flash").id("flash-1")
                .apiBase(server.url("/v1beta").toString()).apiKey(Secret.of(KEY))
                .provider(GeminiProvider.create()).build();
        Deployment lenient = Deployment.builder("lenient", "openai/gpt-4o").id("lenient")
                .provider(FakeProvider.replying("from lenient")).build();
        try (Router withFallback = Router.builder().deployment(flash).deployment(lenient)
                .fallbackPolicy(fallback -> fallback.contentPolicyFallbacks("flash", "lenient")).retryPolicy(retry -> retry.numRetries(0)).build();
                Router without = Router.builder().deployment(flash).retryPolicy(retry -> retry.numRetries(0)).build()) {

            ChatResponse fallenBack = withFallback.completion(ChatRequest.ofUser("flash", "hi"));
            ChatResponse asIs = without.completion(ChatRequest.ofUser("flash", "hi"));

            assertThat(fallenBack.text()).isEqualTo("from lenient");
            assertThat(fallenBack.routing().orElseThrow().attempts()).extracting(a -> a.errorType().orElse("ok"))
                    .containsExactly("ContentPolicyViolationException", "ok");
            assertThat(asIs.finishReason()).contains(FinishReason.CONTENT_FILTER);
            assertThat(asIs.choices().get(0).rawFinishReason()).isEqualTo("SAFETY");
        }
    }
}
