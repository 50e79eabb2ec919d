package io.llmrouter.providers.openai;

import static io.llmrouter.providers.testsupport.ProviderTestKit.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.internal.OpenAiJsonCodec;
import io.llmrouter.providers.testsupport.ProviderTestKit;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderCall;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chat answer read straight from the bytes gives each OpenAI-family adapter the same response
 * (vendor usage rules included) as the tree reader: every vendor sample answer is sent as it is (read
 * fast) and with one integral count written as {@code N.0}, which the fast reader leaves to the tree
 * reader and the tree reader reads as {@code N}; both calls must give equal responses, on the
 * asynchronous and on the blocking path.
 */
@ExtendWith(StartedServers.class)
class OpenAiChatAnswerFastReadTest {

    private static final Pattern INTEGRAL = Pattern.compile("(\"(?:created|prompt_tokens)\"\\s*:\\s*)(\\d+)");

    private final MockWebServer server = new MockWebServer();

    static Stream<Arguments> answers() {
        return Stream.of(
                Arguments.of(OpenAiCompatibleVendor.OPENAI, "openai", "response-text.json"),
                Arguments.of(OpenAiCompatibleVendor.OPENAI, "openai", "response-logprobs.json"),
                Arguments.of(OpenAiCompatibleVendor.OPENAI, "openai", "response-refusal.json"),
                Arguments.of(OpenAiCompatibleVendor.OPENAI, "openai", "response-tool-call.json"),
                Arguments.of(OpenAiCompatibleVendor.GROQ, "groq", "chat-response.json"),
                Arguments.of(OpenAiCompatibleVendor.MISTRAL, "mistral", "chat-response.json"),
                Arguments.of(OpenAiCompatibleVendor.DEEPSEEK, "deepseek", "chat-response.json"),
                Arguments.of(OpenAiCompatibleVendor.TOGETHER_AI, "together_ai", "chat-response.json"),
                Arguments.of(OpenAiCompatibleVendor.FIREWORKS_AI, "fireworks_ai", "chat-response.json"),
                Arguments.of(OpenAiCompatibleVendor.OPENROUTER, "openrouter", "chat-response.json"),
                Arguments.of(OpenAiCompatibleVendor.XAI, "xai", "chat-response.json"),
                Arguments.of(OpenAiCompatibleVendor.PERPLEXITY, "perplexity", "chat-response.json"),
                Arguments.of(OpenAiCompatibleVendor.CEREBRAS, "cerebras", "chat-response.json"),
                Arguments.of(OpenAiCompatibleVendor.OLLAMA, "ollama", "chat-response.json"),
                Arguments.of(OpenAiCompatibleVendor.LM_STUDIO, "lm_studio", "chat-response.json"),
                Arguments.of(OpenAiCompatibleVendor.VLLM, "vllm", "chat-response.json"));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("answers")
    void givenVendorAnswer_whenReadFromBytes_thenSameResponseAsFromTree(OpenAiCompatibleVendor vendor, String folder,
            String file) throws Exception {
        // given
        String body = ProviderTestKit.resource(folder, file);
        String treeOnly = treeOnly(body);
        assertThat(OpenAiJsonCodec.readResponseFast(body.getBytes(StandardCharsets.UTF_8), null, true))
                .as("read from the bytes").isNotNull();
        OpenAiProvider provider = OpenAiProvider.builder().vendor(vendor).environment(k -> null).build();
        ProviderCall call = ProviderCall.builder(ChatRequest.ofUser("m", "Hello")).deploymentId("d")
                .modelGroup("chat").providerRoute(vendor.prefix() + "/m").apiBase(server.url("/v1").toString())
                .apiKey(Secret.of("sk-test-0123456789")).timeout(Duration.ofSeconds(5)).build();
        // when
        ChatResponse fastAsync = answer(server, provider, call, body, true);
        ChatResponse treeAsync = answer(server, provider, call, treeOnly, true);
        ChatResponse fastBlocking = answer(server, provider, call, body, false);
        ChatResponse treeBlocking = answer(server, provider, call, treeOnly, false);
        // then
        assertThat(fastAsync).isEqualTo(treeAsync).isEqualTo(fastBlocking).isEqualTo(treeBlocking);
        assertThat(fastAsync.toString()).isEqualTo(treeAsync.toString());
    }

    /** The body with one integral count written as a float: same tree result, not read fast. */
    private static String treeOnly(String body) {
        Matcher m = INTEGRAL.matcher(body);
        assertThat(m.find()).as("an integral created or prompt_tokens in the sample").isTrue();
        String treeOnly = m.replaceFirst("$1$2.0");
        assertThat(OpenAiJsonCodec.readResponseFast(treeOnly.getBytes(StandardCharsets.UTF_8), "x", true)).isNull();
        return treeOnly;
    }

    private static ChatResponse answer(MockWebServer server, Provider provider, ProviderCall call, String body,
            boolean async) throws Exception {
        server.enqueue(ProviderTestKit.json(200, body, Map.of()));
        return async ? await(provider.completeAsync(call)) : provider.complete(call);
    }
}
