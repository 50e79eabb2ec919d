package io.llmrouter.providers.crossprovider;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.ChatStream;
import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Cost;
import io.llmrouter.api.chat.Usage;
import java.io.IOException;
import java.math.BigDecimal;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bill a vendor sends, end to end: a real {@link Router} calls a loopback vendor answering with the vendor's own
 * usage shape, and the answer's {@code cost()} and the router's spend are what the vendor charges, priced with the
 * bundled table. Expected amounts are worked out by hand in each test from the table's prices.
 */
class VendorBillRouterTest {

    /**
     * An xAI Grok 3 Mini answer as xAI sends it (https://docs.x.ai/docs/guides/reasoning): the 296 reasoning tokens
     * are outside {@code completion_tokens} (11), and {@code total_tokens} = 13 + 11 + 296 = 320.
     */
    private static final String GROK_REASONING = """
            {"id":"3a8c2f17-5b6e-4a0e-9f5d-2c1b7e9d8a61","object":"chat.completion","created":1743770302,
             "model":"grok-3-mini","choices":[{"index":0,"message":{"role":"assistant",
               "content":"101 multiplied by 3 is 303.",
               "reasoning_content":"Let me calculate 101 times 3. 100 times 3 is 300, plus 3 is 303.",
               "refusal":null},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":13,"completion_tokens":11,"total_tokens":320,
               "prompt_tokens_details":{"text_tokens":13,"audio_tokens":0,"image_tokens":0,"cached_tokens":0},
               "completion_tokens_details":{"reasoning_tokens":296,"audio_tokens":0,"accepted_prediction_tokens":0,
                 "rejected_prediction_tokens":0},
               "num_sources_used":0},
             "system_fingerprint":"fp_d133ae3397"}""";

    /** The same bill streamed: usage on the last chunk, reasoning again apart from completion. */
    private static final String GROK_REASONING_STREAM = """
            data: {"id":"grok-s1","object":"chat.completion.chunk","created":1743770302,"model":"grok-3-mini","choices":[{"index":0,"delta":{"role":"assistant","reasoning_content":"100 times 3 is 300."}}],"system_fingerprint":"fp_d133ae3397"}

            data: {"id":"grok-s1","object":"chat.completion.chunk","created":1743770302,"model":"grok-3-mini","choices":[{"index":0,"delta":{"content":"303."}}],"system_fingerprint":"fp_d133ae3397"}

            data: {"id":"grok-s1","object":"chat.completion.chunk","created":1743770302,"model":"grok-3-mini","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":13,"completion_tokens":11,"total_tokens":320,"prompt_tokens_details":{"text_tokens":13,"audio_tokens":0,"image_tokens":0,"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":296,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0},"num_sources_used":0},"system_fingerprint":"fp_d133ae3397"}

            data: [DONE]

            """;

    /**
     * A Perplexity Sonar Deep Research answer (https://docs.perplexity.ai/api-reference/chat-completions-post):
     * reasoning and citation tokens and the search count reported beside prompt and completion, which
     * {@code total_tokens} = 19 + 7,163 excludes.
     */
    private static final String PERPLEXITY_DEEP_RESEARCH = """
            {"id":"0b5e6c2a-1f3d-4e8b-9a7c-5d2e1f0a9b8c","model":"sonar-deep-research","created":1741195200,
             "usage":{"prompt_tokens":19,"completion_tokens":7163,"total_tokens":7182,"citation_tokens":9586,
               "num_search_queries":18,"reasoning_tokens":73997},
             "citations":["https://example.org/a","https://example.org/b"],
             "search_results":[{"title":"A","url":"https://example.org/a","date":"2025-02-01"}],
             "object":"chat.completion",
             "choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant",
               "content":"<think>Planning the search.</think>The report, with sources [1][2]."}}]}""";

    /** A Perplexity Sonar answer: no search count, so one request fee at the reported (low) context size. */
    private static final String PERPLEXITY_SONAR = """
            {"id":"7c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f","model":"sonar","created":1741195200,
             "usage":{"prompt_tokens":14,"completion_tokens":200,"total_tokens":214,"search_context_size":"low",
               "cost":{"input_tokens_cost":0.0,"output_tokens_cost":0.0,"request_cost":0.005,"total_cost":0.005}},
             "citations":["https://example.org/c"],
             "object":"chat.completion",
             "choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"Answer [1]."}}]}""";

    /** An OpenAI GPT-5 answer served on the Flex tier (https://platform.openai.com/docs/guides/flex-processing). */
    private static final String OPENAI_FLEX = """
            {"id":"chatcmpl-flex1","object":"chat.completion","created":1754500000,"model":"gpt-5-2025-08-07",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Done.","refusal":null,"annotations":[]},
               "finish_reason":"stop"}],
             "usage":{"prompt_tokens":10000,"completion_tokens":3000,"total_tokens":13000,
               "prompt_tokens_details":{"cached_tokens":2000,"audio_tokens":0},
               "completion_tokens_details":{"reasoning_tokens":2000,"audio_tokens":0,"accepted_prediction_tokens":0,
                 "rejected_prediction_tokens":0}},
             "service_tier":"flex","system_fingerprint":null}""";

    /** A Claude answer that ran the web search tool three times (server_tool_use.web_search_requests). */
    private static final String ANTHROPIC_WEB_SEARCH = """
            {"id":"msg_01WebSearch","type":"message","role":"assistant","model":"claude-3-5-sonnet-20241022",
             "content":[{"type":"text","text":"Three sources agree."}],"stop_reason":"end_turn","stop_sequence":null,
             "usage":{"input_tokens":1000,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,
               "output_tokens":200,"server_tool_use":{"web_search_requests":3},"service_tier":"standard"}}""";

    /** A Gemini 2.5 Flash answer to an audio prompt: the modality split is in promptTokensDetails. */
    private static final String GEMINI_AUDIO = """
            {"candidates":[{"content":{"parts":[{"text":"The speaker says hello."}],"role":"model"},
               "finishReason":"STOP","index":0}],
             "usageMetadata":{"promptTokenCount":10000,"candidatesTokenCount":600,"totalTokenCount":11000,
               "thoughtsTokenCount":400,
               "promptTokensDetails":[{"modality":"TEXT","tokenCount":4000},{"modality":"AUDIO","tokenCount":6000}],
               "candidatesTokensDetails":[{"modality":"TEXT","tokenCount":600}]},
             "modelVersion":"gemini-2.5-flash","responseId":"gem-audio-1"}""";

    private MockWebServer vendor;

    @BeforeEach
    void start() throws IOException {
        vendor = new MockWebServer();
        vendor.start();
    }

    @AfterEach
    void stop() {
        vendor.close();
    }

    @Test
    void givenGrokReasoningAnswer_whenCompletion_thenReasoningBilledOnTopOfCompletionAndSpent() {
        // given
        answer("application/json", GROK_REASONING);
        try (Router router = routerFor("grok", "xai/grok-3-mini")) {
            // when
            ChatResponse response = router.completion(ChatRequest.ofUser("grok", "What is 101*3?"));
            // then: xai/grok-3-mini is 0.0000003 in, 0.0000005 out, reasoning billed as output:
            // 13 × 0.0000003 = 0.0000039; 11 × 0.0000005 = 0.0000055; 296 × 0.0000005 = 0.000148;
            // total 0.0001574 (the visible 11 completion tokens alone would be 0.0000094)
            assertThat(response.usage()).contains(Usage.builder().promptTokens(13).completionTokens(307)
                    .totalTokens(320).reasoningTokens(296).build());
            Cost cost = response.cost();
            assertThat(cost.pricedBy()).contains("xai/grok-3-mini");
            assertThat(cost.inputUsd()).isEqualByComparingTo("0.0000039");
            assertThat(cost.outputUsd()).isEqualByComparingTo("0.0000055");
            assertThat(cost.reasoningUsd()).isEqualByComparingTo("0.000148");
            assertThat(cost.totalUsd()).hasValueSatisfying(t -> assertThat(t).isEqualByComparingTo("0.0001574"));
            assertThat(router.spend().total()).isEqualByComparingTo("0.0001574");
            assertThat(router.spend().byProvider()).hasEntrySatisfying("xai",
                    v -> assertThat(v).isEqualByComparingTo("0.0001574"));
        }
    }

    @Test
    void givenGrokReasoningStream_whenStreamed_thenAggregatedCostBillsReasoningAndIsSpent() {
        // given
        answer("text/event-stream", GROK_REASONING_STREAM);
        try (Router router = routerFor("grok", "xai/grok-3-mini");
                ChatStream stream = router.stream(ChatRequest.ofUser("grok", "What is 101*3?"))) {
            // when
            StringBuilder text = new StringBuilder();
            for (ChatChunk chunk : stream) {
                chunk.text().ifPresent(text::append);
            }
            ChatResponse response = stream.response();
            // then: the same bill as the answer above, 0.0001574
            assertThat(text).hasToString("303.");
            assertThat(response.usage().orElseThrow().completionTokens()).isEqualTo(307);
            assertThat(response.cost().totalUsd())
                    .hasValueSatisfying(t -> assertThat(t).isEqualByComparingTo("0.0001574"));
            assertThat(router.spend().total()).isEqualByComparingTo("0.0001574");
        }
    }

    @Test
    void givenPerplexityDeepResearchAnswer_whenCompletion_thenCitationsReasoningAndSearchesBilledAndSpent() {
        // given
        answer("application/json", PERPLEXITY_DEEP_RESEARCH);
        try (Router router = routerFor("research", "perplexity/sonar-deep-research")) {
            // when
            ChatResponse response = router.completion(ChatRequest.ofUser("research", "Survey the field"));
            // then: perplexity/sonar-deep-research is 0.000002 in, 0.000008 out, 0.000003 reasoning,
            // 0.000002 citation, 0.005 per search:
            // 19 × 0.000002 = 0.000038; 7,163 × 0.000008 = 0.057304; 73,997 × 0.000003 = 0.221991;
            // 9,586 × 0.000002 = 0.019172; 18 × 0.005 = 0.09; total 0.388505
            Cost cost = response.cost();
            assertThat(cost.inputUsd()).isEqualByComparingTo("0.000038");
            assertThat(cost.outputUsd()).isEqualByComparingTo("0.057304");
            assertThat(cost.reasoningUsd()).isEqualByComparingTo("0.221991");
            assertThat(cost.citationUsd()).isEqualByComparingTo("0.019172");
            assertThat(cost.requestUsd()).isEqualByComparingTo("0.09");
            assertThat(cost.totalUsd()).hasValueSatisfying(t -> assertThat(t).isEqualByComparingTo("0.388505"));
            assertThat(router.spend().total()).isEqualByComparingTo("0.388505");
            assertThat(router.spend().byProvider()).hasEntrySatisfying("perplexity",
                    v -> assertThat(v).isEqualByComparingTo("0.388505"));
        }
    }

    @Test
    void givenPerplexitySonarAnswerWithoutSearchCount_whenCompletion_thenOneRequestFeeAtItsContextSize() {
        // given
        answer("application/json", PERPLEXITY_SONAR);
        try (Router router = routerFor("sonar", "perplexity/sonar")) {
            // when
            ChatResponse response = router.completion(ChatRequest.ofUser("sonar", "Latest news?"));
            // then: perplexity/sonar is 0.000001 in and out, 0.005 per request at low context:
            // 14 × 0.000001 = 0.000014; 200 × 0.000001 = 0.0002; 0.005 request; total 0.005214
            assertThat(response.cost().requestUsd()).isEqualByComparingTo("0.005");
            assertThat(response.cost().totalUsd())
                    .hasValueSatisfying(t -> assertThat(t).isEqualByComparingTo("0.005214"));
            assertThat(router.spend().total()).isEqualByComparingTo(new BigDecimal("0.005214"));
        }
    }

    @Test
    void givenOpenAiFlexAnswer_whenCompletion_thenFlexPricesApply() {
        // given
        answer("application/json", OPENAI_FLEX);
        try (Router router = routerFor("gpt-5", "openai/gpt-5")) {
            // when
            ChatResponse response = router.completion(ChatRequest.ofUser("gpt-5", "Summarize"));
            // then: gpt-5 flex prices: (10,000 − 2,000) × 0.000000625 = 0.005; 2,000 × 0.0000000625 = 0.000125;
            // 1,000 × 0.000005 = 0.005; 2,000 reasoning × 0.000005 = 0.01; total 0.020125 (0.04025 at base prices)
            assertThat(response.usage().orElseThrow().serviceTier()).contains("flex");
            assertThat(response.cost().totalUsd())
                    .hasValueSatisfying(t -> assertThat(t).isEqualByComparingTo("0.020125"));
            assertThat(router.spend().total()).isEqualByComparingTo("0.020125");
        }
    }

    @Test
    void givenClaudeAnswerWithWebSearches_whenCompletion_thenEachSearchBilled() {
        // given
        answer("application/json", ANTHROPIC_WEB_SEARCH);
        Deployment d = Deployment.builder("claude", "anthropic/claude-3-5-sonnet-20241022").id("claude-1")
                .apiBase(vendor.url("/").toString()).apiKey(Secret.of("sk-ant-test")).build();
        try (Router router = Router.builder().deployment(d).retryPolicy(retry -> retry.numRetries(0)).build()) {
            // when
            ChatResponse response = router.completion(ChatRequest.ofUser("claude", "Search the news"));
            // then: 1,000 × 0.000003 = 0.003; 200 × 0.000015 = 0.003; 3 searches × 0.01 = 0.03; total 0.036
            assertThat(response.usage().orElseThrow().searchQueries()).isEqualTo(3);
            assertThat(response.cost().requestUsd()).isEqualByComparingTo("0.03");
            assertThat(response.cost().totalUsd())
                    .hasValueSatisfying(t -> assertThat(t).isEqualByComparingTo("0.036"));
            assertThat(router.spend().total()).isEqualByComparingTo("0.036");
        }
    }

    @Test
    void givenGeminiAudioPrompt_whenCompletion_thenAudioTokensAtTheAudioPrice() {
        // given
        answer("application/json", GEMINI_AUDIO);
        Deployment d = Deployment.builder("flash", "gemini/gemini-2.5-flash").id("flash-1")
                .apiBase(vendor.url("/v1beta").toString()).apiKey(Secret.of("gemini-test-key")).build();
        try (Router router = Router.builder().deployment(d).retryPolicy(retry -> retry.numRetries(0)).build()) {
            // when
            ChatResponse response = router.completion(ChatRequest.ofUser("flash", "Transcribe"));
            // then: 4,000 text × 0.0000003 = 0.0012; 6,000 audio × 0.000001 = 0.006; 600 × 0.0000025 = 0.0015;
            // 400 thinking × 0.0000025 = 0.001; total 0.0097
            assertThat(response.usage().orElseThrow().audioPromptTokens()).isEqualTo(6_000);
            assertThat(response.cost().audioInputUsd()).isEqualByComparingTo("0.006");
            assertThat(response.cost().totalUsd())
                    .hasValueSatisfying(t -> assertThat(t).isEqualByComparingTo("0.0097"));
            assertThat(router.spend().total()).isEqualByComparingTo("0.0097");
        }
    }

    /** An OpenAI-shaped answer with the given usage, as every OpenAI-compatible vendor sends it. */
    private static String openAiAnswer(String model, int prompt, int completion) {
        return """
                {"id":"chatcmpl-v1","object":"chat.completion","created":1735689600,"model":"%s",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Done."},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d}}"""
                .formatted(model, prompt, completion, prompt + completion);
    }

    @Test
    void givenDatabricksServingEndpointAnswer_whenCompletion_thenPricedByTheDatabricksEntry() {
        // given
        answer("application/json", openAiAnswer("databricks-meta-llama-3-3-70b-instruct", 1000, 200));
        try (Router router = routerFor("llama", "databricks/databricks-meta-llama-3-3-70b-instruct")) {
            // when
            ChatResponse response = router.completion(ChatRequest.ofUser("llama", "Summarize"));
            // then: databricks/databricks-meta-llama-3-3-70b-instruct is 0.00000100002 in, 0.00000299999 out:
            // 1,000 × 0.00000100002 = 0.00100002; 200 × 0.00000299999 = 0.000599998; total 0.001600018
            Cost cost = response.cost();
            assertThat(cost.pricedBy()).contains("databricks/databricks-meta-llama-3-3-70b-instruct");
            assertThat(cost.totalUsd()).hasValueSatisfying(t -> assertThat(t).isEqualByComparingTo("0.001600018"));
            assertThat(router.spend().byProvider()).hasEntrySatisfying("databricks",
                    v -> assertThat(v).isEqualByComparingTo("0.001600018"));
        }
    }

    @Test
    void givenSambaNovaAnswer_whenCompletion_thenPricedByTheSambaNovaEntry() {
        // given
        answer("application/json", openAiAnswer("DeepSeek-R1", 100, 50));
        try (Router router = routerFor("r1", "sambanova/DeepSeek-R1")) {
            // when
            ChatResponse response = router.completion(ChatRequest.ofUser("r1", "Think"));
            // then: sambanova/DeepSeek-R1 is 0.000005 in, 0.000007 out: 100 × 0.000005 = 0.0005;
            // 50 × 0.000007 = 0.00035; total 0.00085
            assertThat(response.cost().pricedBy()).contains("sambanova/DeepSeek-R1");
            assertThat(response.cost().totalUsd()).hasValueSatisfying(t -> assertThat(t).isEqualByComparingTo("0.00085"));
        }
    }

    private void answer(String contentType, String body) {
        vendor.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", contentType).body(body)
                .build());
    }

    private Router routerFor(String group, String route) {
        Deployment d = Deployment.builder(group, route).id(group + "-1").apiBase(vendor.url("/v1").toString())
                .apiKey(Secret.of("test-key")).build();
        return Router.builder().deployment(d).retryPolicy(retry -> retry.numRetries(0)).build();
    }
}
