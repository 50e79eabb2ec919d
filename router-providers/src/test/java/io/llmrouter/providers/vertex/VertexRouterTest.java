package io.llmrouter.providers.vertex;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Cost;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.embedding.EmbeddingResponse;
import io.llmrouter.providers.testsupport.ProviderTestKit;
import io.llmrouter.providers.testsupport.StartedServers;
import java.math.BigDecimal;
import java.util.Map;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Vertex AI routes through the router, priced from the bundled table's {@code vertex_ai} entries. */
@ExtendWith(StartedServers.class)
class VertexRouterTest {

    private final MockWebServer server = new MockWebServer();

    private Deployment deployment(String name, String route) {
        return Deployment.builder(name, route).apiBase(server.url("/").toString()).apiKey(Secret.of("ya29.token"))
                .option(VertexAiProvider.PROJECT, "my-project").option(VertexAiProvider.LOCATION, "us-east5")
                .provider(VertexAiProvider.builder().environment(v -> null).build()).build();
    }

    @Test
    void givenGeminiOnVertex_whenRouterCompletion_thenPricedFromVertexLanguageModels() {
        server.enqueue(ProviderTestKit.json(200, """
                {"candidates":[{"content":{"role":"model","parts":[{"text":"Bonjour"}]},"finishReason":"STOP"}],
                 "usageMetadata":{"promptTokenCount":1000,"candidatesTokenCount":200,"totalTokenCount":1200},
                 "modelVersion":"gemini-2.5-flash"}""", Map.of()));
        try (Router router = Router.builder().deployment(deployment("flash", "vertex_ai/gemini-2.5-flash")).build()) {
            ChatResponse response = router.completion(ChatRequest.ofUser("flash", "Bonjour ?"));

            // gemini-2.5-flash (vertex_ai-language-models): input 3e-7, output 2.5e-6 USD per token
            Cost cost = response.cost();
            assertThat(cost.isPriced()).isTrue();
            assertThat(cost.inputUsd()).isEqualByComparingTo(new BigDecimal("0.0003"));    // 1000 x 3e-7
            assertThat(cost.outputUsd()).isEqualByComparingTo(new BigDecimal("0.0005"));   // 200 x 2.5e-6
            assertThat(cost.totalUsd().orElseThrow()).isEqualByComparingTo(new BigDecimal("0.0008"));
        }
    }

    @Test
    void givenClaudeOnVertex_whenRouterCompletion_thenPricedFromVertexAnthropicModels() {
        server.enqueue(ProviderTestKit.json(200, """
                {"id":"msg_vrtx_1","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
                 "content":[{"type":"text","text":"Bonjour"}],"stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":1000,"output_tokens":100}}""", Map.of()));
        try (Router router = Router.builder()
                .deployment(deployment("sonnet", "vertex_ai/claude-sonnet-4-5@20250929")).build()) {
            ChatResponse response = router.completion(ChatRequest.ofUser("sonnet", "Bonjour ?"));

            // vertex_ai/claude-sonnet-4-5@20250929: input 3e-6, output 1.5e-5 USD per token
            Cost cost = response.cost();
            assertThat(cost.isPriced()).isTrue();
            assertThat(cost.inputUsd()).isEqualByComparingTo(new BigDecimal("0.003"));     // 1000 x 3e-6
            assertThat(cost.outputUsd()).isEqualByComparingTo(new BigDecimal("0.0015"));   // 100 x 1.5e-5
            assertThat(cost.totalUsd().orElseThrow()).isEqualByComparingTo(new BigDecimal("0.0045"));
        }
    }

    @Test
    void givenTextEmbeddingOnVertex_whenRouterEmbedding_thenPricedFromVertexEmbeddingModels() {
        server.enqueue(ProviderTestKit.json(200, """
                {"predictions":[{"embeddings":{"statistics":{"truncated":false,"token_count":12},"values":[0.5,0.25]}}]}""",
                Map.of()));
        try (Router router = Router.builder().deployment(deployment("embed", "vertex_ai/text-embedding-005")).build()) {
            EmbeddingResponse response = router.embedding(EmbeddingRequest.of("embed", "hello vertex"));

            // text-embedding-005 (vertex_ai-embedding-models): input 1e-7 USD per token
            assertThat(response.cost().isPriced()).isTrue();
            assertThat(response.cost().totalUsd().orElseThrow()).isEqualByComparingTo(new BigDecimal("0.0000012"));
        }
    }
}
