package io.llmrouter.providers.anthropic;

import static io.llmrouter.providers.anthropic.AnthropicTestSupport.json;
import static io.llmrouter.providers.testsupport.ProviderTestKit.tree;
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
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.providers.testsupport.StartedServers;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The adapter behind a real {@link Router}, bound to a deployment, priced from the bundled price table. */
@ExtendWith(StartedServers.class)
class AnthropicRouterTest {

    /** Prompt: 100 uncached + 1,000 written to the cache + 2,000 read from it; 50 output tokens. */
    private static final String ANSWER = """
            {"id":"msg_01RouterPricing0000000000","type":"message","role":"assistant",
             "model":"claude-3-5-sonnet-20241022","content":[{"type":"text","text":"Bonjour !"}],
             "stop_reason":"end_turn","stop_sequence":null,
             "usage":{"input_tokens":100,"cache_creation_input_tokens":1000,"cache_read_input_tokens":2000,
                      "output_tokens":50}}""";

    private final MockWebServer server = new MockWebServer();

    /** The system prompt the router's requests carry, which the adapter lifts into {@code system}. */
    private static final ChatRequest REQUEST = ChatRequest.builder("claude")
            .addMessage(Message.system("Translate to French."))
            .addMessage(Message.user("Hello!"))
            .build();

    /** A router with one Anthropic deployment behind the loopback server, no retries. */
    private Router routerToClaude() {
        Deployment claude = Deployment.builder("claude", "anthropic/claude-3-5-sonnet-20241022").id("claude-primary")
                .apiBase(server.url("/").toString()).apiKey(Secret.of("sk-ant-router-test-0123456789"))
                .provider(AnthropicProvider.create()).build();
        return Router.builder().deployment(claude).retryPolicy(retry -> retry.numRetries(0)
                .backoff(Duration.ZERO, Duration.ZERO)).build();
    }

    @Test
    void givenCachedPrompt_whenCompletionThroughTheRouter_thenCacheReadsAndWritesArePricedAsSuch() throws Exception {
        // given
        server.enqueue(json(200, ANSWER));
        try (Router router = routerToClaude()) {
            // when
            ChatResponse response = router.completion(REQUEST);
            // then: the provider model went out, with the system prompt lifted
            RecordedRequest sent = server.takeRequest(5, SECONDS);
            assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1/messages");
            assertThat(tree(sent.getBody().utf8())).isEqualTo(tree("""
                    {"model":"claude-3-5-sonnet-20241022","max_tokens":4096,"system":"Translate to French.",
                     "messages":[{"role":"user","content":"Hello!"}]}"""));
            assertThat(response.text()).isEqualTo("Bonjour !");
            assertThat(response.usage()).contains(Usage.builder().promptTokens(3100).completionTokens(50)
                    .cachedTokens(2000).cacheCreationTokens(1000).build());
            assertThat(response.routing().orElseThrow().attempts()).extracting(Attempt::deploymentId)
                    .containsExactly("claude-primary");
            // claude-3-5-sonnet-20241022: input $3/M, output $15/M, cache read $0.30/M, cache write $3.75/M
            Cost cost = response.cost();
            assertThat(cost.isPriced()).isTrue();
            assertThat(cost.inputUsd()).isEqualByComparingTo("0.0003");
            assertThat(cost.cachedInputUsd()).isEqualByComparingTo("0.0006");
            assertThat(cost.cacheCreationUsd()).isEqualByComparingTo("0.00375");
            assertThat(cost.outputUsd()).isEqualByComparingTo("0.00075");
            assertThat(cost.totalUsd()).hasValueSatisfying(
                    total -> assertThat(total).isEqualByComparingTo(new BigDecimal("0.0054")));
        }
    }

    /** The streaming guide's shape; prompt: 100 uncached + 1,000 cache writes + 2,000 cache reads; 50 output tokens. */
    private static final String STREAM = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_01RouterStream000000000000","type":"message","role":"assistant","model":"claude-3-5-sonnet-20241022","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":100,"cache_creation_input_tokens":1000,"cache_read_input_tokens":2000,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Bon"}}

            event: ping
            data: {"type": "ping"}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"jour !"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":50}}

            event: message_stop
            data: {"type":"message_stop"}

            """;

    @Test
    void givenCachedPrompt_whenStreamThroughTheRouter_thenChunksArriveAndTheAccumulatedUsageIsPriced() throws Exception {
        // given
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
                .body(STREAM).build());
        try (Router router = routerToClaude()) {
            // when
            List<ChatChunk> chunks = new ArrayList<>();
            ChatResponse response;
            try (ChatStream stream = router.stream(REQUEST)) {
                for (ChatChunk chunk : stream) {
                    chunks.add(chunk);
                }
                response = stream.response();
            }
            // then: the body asked for a stream, with no stream_options
            RecordedRequest sent = server.takeRequest(5, SECONDS);
            assertThat(sent.getHeaders().get("accept")).isEqualTo("text/event-stream");
            assertThat(tree(sent.getBody().utf8())).isEqualTo(tree("""
                    {"model":"claude-3-5-sonnet-20241022","max_tokens":4096,"system":"Translate to French.",
                     "messages":[{"role":"user","content":"Hello!"}],"stream":true}"""));
            String id = "msg_01RouterStream000000000000";
            String model = "claude-3-5-sonnet-20241022";
            Usage usage = Usage.builder().promptTokens(3100).completionTokens(50).cachedTokens(2000)
                    .cacheCreationTokens(1000).build();
            assertThat(chunks).containsExactly(
                    ChatChunk.builder(id, model).role("assistant").text("Bon").build(),
                    ChatChunk.text(id, model, "jour !"),
                    ChatChunk.builder(id, model).finishReason(FinishReason.STOP).rawFinishReason("end_turn").build(),
                    ChatChunk.builder(id, model).usage(usage).build());
            assertThat(response.text()).isEqualTo("Bonjour !");
            assertThat(response.usage()).contains(usage);
            assertThat(response.routing().orElseThrow().attempts()).extracting(Attempt::deploymentId)
                    .containsExactly("claude-primary");
            // claude-3-5-sonnet-20241022: input $3/M, output $15/M, cache read $0.30/M, cache write $3.75/M
            Cost cost = response.cost();
            assertThat(cost.inputUsd()).isEqualByComparingTo("0.0003");
            assertThat(cost.cachedInputUsd()).isEqualByComparingTo("0.0006");
            assertThat(cost.cacheCreationUsd()).isEqualByComparingTo("0.00375");
            assertThat(cost.outputUsd()).isEqualByComparingTo("0.00075");
            assertThat(cost.totalUsd()).hasValueSatisfying(
                    total -> assertThat(total).isEqualByComparingTo(new BigDecimal("0.0054")));
        }
    }
}
