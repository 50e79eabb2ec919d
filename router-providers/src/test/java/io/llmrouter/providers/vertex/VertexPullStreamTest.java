package io.llmrouter.providers.vertex;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.api.exception.ServiceUnavailableException;
import io.llmrouter.providers.testsupport.PullDriver;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.spi.ChunkSource;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.ProviderOptions;
import io.llmrouter.testing.RecordingSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link VertexAiProvider#openStream}: Gemini and Claude streams read on the caller's thread with
 * the Gemini and Anthropic adapters' own event handling, the same chunks and failures as
 * {@code streamAsync}; while the token is still being fetched, the push-style stream.
 */
@ExtendWith(StartedServers.class)
class VertexPullStreamTest {

    private static final String TOKEN = "ya29.c.test-pull-token-0123456789";
    private static final String GEMINI_STREAM = """
            data: {"candidates":[{"content":{"role":"model","parts":[{"text":"Bon"}]}}],"responseId":"resp-vrtx-pull"}

            data: {"candidates":[{"content":{"role":"model","parts":[{"text":"jour"}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":2,"totalTokenCount":7},"responseId":"resp-vrtx-pull"}

            """;
    private static final String CLAUDE_STREAM = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_vrtx_pull","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello from"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" Vertex."}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":4}}

            event: message_stop
            data: {"type":"message_stop"}

            """;

    private final MockWebServer server = new MockWebServer();

    private static VertexAiProvider provider() {
        return VertexAiProvider.builder().environment(v -> null).build();
    }

    private ProviderCall.Builder call(String model, String location) {
        ChatRequest request = ChatRequest.ofUser(model, "Say hello.").toBuilder().stream(true).build();
        return ProviderCall.builder(request).deploymentId("vertex").modelGroup("vertex")
                .providerRoute("vertex_ai/" + model).apiBase(server.url("/").toString())
                .options(ProviderOptions.empty().with(VertexAiProvider.PROJECT, "p")
                        .with(VertexAiProvider.LOCATION, location))
                .timeout(Duration.ofSeconds(5));
    }

    private ProviderCall gemini() {
        return call("gemini-2.5-flash", "us-central1").apiKey(Secret.of(TOKEN)).build();
    }

    private ProviderCall claude() {
        return call("claude-sonnet-4-5@20250929", "us-east5").apiKey(Secret.of(TOKEN)).build();
    }

    private static MockResponse sse(String body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream").body(body).build();
    }

    private static List<ChatChunk> drain(ChunkSource source) {
        List<ChatChunk> chunks = new ArrayList<>();
        for (Optional<ChatChunk> c = source.next(); c.isPresent(); c = source.next()) {
            chunks.add(c.get());
        }
        return chunks;
    }

    private List<ChatChunk> pushed(ProviderCall call) throws Exception {
        RecordingSink sink = new RecordingSink();
        provider().streamAsync(call, sink);
        return sink.awaitCompleted().chunks();
    }

    @Test
    void givenGeminiModelWithAToken_whenPulled_thenTheSameChunksAsPushedFromTheSameRequest() throws Exception {
        server.enqueue(sse(GEMINI_STREAM));
        server.enqueue(sse(GEMINI_STREAM));
        List<ChatChunk> pushed = pushed(gemini());
        RecordedRequest pushedRequest = server.takeRequest(5, SECONDS);

        List<ChatChunk> pulled;
        try (ChunkSource source = provider().openStream(gemini())) {
            pulled = drain(source);
        }

        assertThat(pulled).isEqualTo(pushed);
        assertThat(pulled.stream().map(c -> c.text().orElse("")).reduce("", String::concat)).isEqualTo("Bonjour");
        assertThat(pulled).anyMatch(c -> c.usage().isPresent());
        RecordedRequest pulledRequest = server.takeRequest(5, SECONDS);
        assertThat(pulledRequest.getUrl().toString()).isEqualTo(pushedRequest.getUrl().toString())
                .endsWith("/publishers/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
        assertThat(pulledRequest.getBody().utf8()).isEqualTo(pushedRequest.getBody().utf8());
        assertThat(pulledRequest.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void givenClaudeModelWithAToken_whenPulled_thenTheSameChunksAsPushedFromTheSameRequest() throws Exception {
        server.enqueue(sse(CLAUDE_STREAM));
        server.enqueue(sse(CLAUDE_STREAM));
        List<ChatChunk> pushed = pushed(claude());
        RecordedRequest pushedRequest = server.takeRequest(5, SECONDS);

        List<ChatChunk> pulled;
        try (ChunkSource source = provider().openStream(claude())) {
            pulled = drain(source);
        }

        assertThat(pulled).isEqualTo(pushed);
        assertThat(pulled.stream().map(c -> c.text().orElse("")).reduce("", String::concat))
                .isEqualTo("Hello from Vertex.");
        RecordedRequest pulledRequest = server.takeRequest(5, SECONDS);
        assertThat(pulledRequest.getUrl().encodedPath()).isEqualTo(pushedRequest.getUrl().encodedPath())
                .endsWith("/publishers/anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict");
        assertThat(pulledRequest.getBody().utf8()).isEqualTo(pushedRequest.getBody().utf8());
    }

    @Test
    void givenRateLimitBeforeTheStream_whenOpened_thenOpenStreamItselfThrowsTheTypedFailure() {
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Content-Type", "application/json").body("""
                {"error":{"code":429,"message":"Resource exhausted.","status":"RESOURCE_EXHAUSTED"}}""").build());

        assertThatThrownBy(() -> provider().openStream(gemini())).isInstanceOf(RateLimitException.class)
                .hasMessageNotContaining(TOKEN);
    }

    @Test
    void givenClaudeErrorEventAndCutStream_whenPulled_thenTheSameTypedFailuresAsPushed() {
        String opening = CLAUDE_STREAM.substring(0, CLAUDE_STREAM.indexOf("event: content_block_delta"));
        server.enqueue(sse(opening + """
                event: error
                data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}

                """));
        server.enqueue(sse(opening));

        Throwable overloaded = PullDriver.drain(() -> provider().openStream(claude())).awaitError();
        Throwable cut = PullDriver.drain(() -> provider().openStream(claude())).awaitError();

        assertThat(overloaded).isInstanceOf(ServiceUnavailableException.class);
        assertThat(cut).isInstanceOf(InvalidProviderResponseException.class).hasMessageContaining("message_stop");
    }

    @Test
    void givenTokenStillBeingFetched_whenOpened_thenTheStreamOpensOnceItArrivesAndCompletes() throws Exception {
        server.enqueue(sse(GEMINI_STREAM));
        CompletableFuture<String> pending = new CompletableFuture<>();
        ProviderCall call = call("gemini-2.5-flash", "us-central1").options(ProviderOptions.empty()
                .with(VertexAiProvider.PROJECT, "p").with(VertexAiProvider.LOCATION, "us-central1")
                .with(VertexAiProvider.CREDENTIALS, () -> pending)).build();

        RecordingSink sink = PullDriver.drain(() -> provider().openStream(call));
        pending.complete(TOKEN);

        assertThat(sink.awaitCompleted().texts()).containsExactly("Bon", "jour");
        assertThat(server.takeRequest(5, SECONDS).getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
    }
}
