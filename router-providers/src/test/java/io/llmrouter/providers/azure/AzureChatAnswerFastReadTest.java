package io.llmrouter.providers.azure;

import static io.llmrouter.providers.testsupport.ProviderTestKit.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.internal.OpenAiJsonCodec;
import io.llmrouter.providers.testsupport.ProviderTestKit;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.spi.Endpoint;
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
 * Azure OpenAI and Azure AI chat answers read straight from the bytes give the same response as the
 * tree reader with the deployment's model added when the answer names none (as
 * {@code OpenAiChatAnswerFastReadTest} checks for the OpenAI family).
 */
@ExtendWith(StartedServers.class)
class AzureChatAnswerFastReadTest {

    private static final Pattern INTEGRAL = Pattern.compile("(\"(?:created|prompt_tokens)\"\\s*:\\s*)(\\d+)");

    private final MockWebServer server = new MockWebServer();

    static Stream<Arguments> azureAnswers() {
        return Stream.of("chat-response.json", "chat-response-content-filter.json", "chat-response-spec-minimal.json")
                .flatMap(f -> Stream.of(Arguments.of("azure-openai", f), Arguments.of("azure-ai", f)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("azureAnswers")
    void givenAzureAnswer_whenReadFromBytes_thenSameResponseAsFromTree(String kind, String file) throws Exception {
        // given
        String body = ProviderTestKit.resource("azure", file);
        String withoutModel = body.replaceFirst("\"model\"\\s*:\\s*\"[^\"]*\"\\s*,", "");
        boolean openAi = kind.equals("azure-openai");
        Provider provider = openAi ? AzureOpenAiProvider.builder().environment(k -> null).build()
                : AzureAiProvider.builder().environment(k -> null).build();
        Endpoint endpoint = Endpoint.builder().deploymentId("primary").modelGroup("gpt-4o")
                .providerRoute((openAi ? "azure/" : "azure_ai/") + "my-deployment")
                .apiBase(server.url(openAi ? "/" : "/models").toString()).apiKey(Secret.of("azure-key-0123456789"))
                .timeout(Duration.ofSeconds(5)).build();
        ProviderCall call = ProviderCall.of(ChatRequest.ofUser("my-deployment", "Hello"), endpoint);
        for (String sent : new String[] {body, withoutModel}) {
            assertThat(OpenAiJsonCodec.readResponseFast(sent.getBytes(StandardCharsets.UTF_8), "my-deployment", false))
                    .as("read from the bytes").isNotNull();
            // when
            ChatResponse fast = answer(provider, call, sent, true);
            ChatResponse tree = answer(provider, call, treeOnly(sent), true);
            // then
            assertThat(fast).isEqualTo(tree);
        }
    }

    /** The body with one integral count written as a float: same tree result, not read fast. */
    private static String treeOnly(String body) {
        Matcher m = INTEGRAL.matcher(body);
        assertThat(m.find()).as("an integral created or prompt_tokens in the sample").isTrue();
        String treeOnly = m.replaceFirst("$1$2.0");
        assertThat(OpenAiJsonCodec.readResponseFast(treeOnly.getBytes(StandardCharsets.UTF_8), "x", true)).isNull();
        return treeOnly;
    }

    private ChatResponse answer(Provider provider, ProviderCall call, String body, boolean async) throws Exception {
        server.enqueue(ProviderTestKit.json(200, body, Map.of()));
        return async ? await(provider.completeAsync(call)) : provider.complete(call);
    }
}
