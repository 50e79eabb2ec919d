package io.llmrouter.providers.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.StreamInterruptedException;
import io.llmrouter.testing.Fault;
import io.llmrouter.testing.FaultServer;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One end-of-stream rule on every route prefix, through the router and the real adapters: a
 * stream that delivered its finish reason is complete even without its terminal event
 * ({@code data: [DONE]}, {@code message_stop}); a stream that ends cleanly with neither is
 * interrupted. (Gemini's and Bedrock's readers follow the same rule: GeminiStreamTest,
 * BedrockStreamingTest.)
 */
class EndOfStreamRuleTest {

    private FaultServer server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    private Router router(String route, Fault fault) {
        server = (route.startsWith("anthropic/") ? FaultServer.anthropic() : FaultServer.openAi()).then(fault).start();
        return Router.builder().retryPolicy(retry -> retry.numRetries(0)).timeouts(timeouts -> timeouts.firstTokenTimeout(Duration.ofSeconds(10)))
                .deployment(Deployment.builder("g", route).id("d").apiBase(server.url())
                        .apiKey(Secret.of("sk-end-rule-test")).build())
                .build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai/gpt-4o", "groq/llama-3.3-70b-versatile", "mistral/mistral-large-latest",
            "deepseek/deepseek-chat", "together_ai/meta-llama/Llama-3-70b", "openrouter/openai/gpt-4o", "xai/grok-2",
            "vllm/my-model", "openai_compatible/my-model", "anthropic/claude-sonnet-4-5"})
    void givenStreamWithItsFinishButWithoutTerminalEvent_whenStreamed_thenItIsComplete(String route) throws Exception {
        try (Router router = router(route, Fault.streamWithoutTerminator(3))) {
            ChatResponse r = router.streamAsync(ChatRequest.ofUser("g", "hi"), c -> { }).get(10, TimeUnit.SECONDS);

            assertThat(r.text()).isEqualTo("w0 w1 w2 ");
            assertThat(r.finishReason()).contains(FinishReason.STOP);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai/gpt-4o", "groq/llama-3.3-70b-versatile", "mistral/mistral-large-latest",
            "deepseek/deepseek-chat", "together_ai/meta-llama/Llama-3-70b", "openrouter/openai/gpt-4o", "xai/grok-2",
            "vllm/my-model", "openai_compatible/my-model", "anthropic/claude-sonnet-4-5"})
    void givenStreamEndingCleanlyWithNeitherFinishNorTerminalEvent_whenStreamed_thenStreamInterrupted(String route) {
        try (Router router = router(route, Fault.streamWithoutEnd(3))) {
            Throwable e = catchThrowable(() -> router.streamAsync(ChatRequest.ofUser("g", "hi"), c -> { })
                    .get(10, TimeUnit.SECONDS));

            assertThat(e).isInstanceOf(ExecutionException.class).cause().isInstanceOf(StreamInterruptedException.class)
                    .hasCauseInstanceOf(InvalidProviderResponseException.class);
            assertThat(((StreamInterruptedException) e.getCause()).partialText()).isEqualTo("w0 w1 w2 ");
        }
    }
}
