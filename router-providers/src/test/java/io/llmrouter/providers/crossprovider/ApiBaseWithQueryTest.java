package io.llmrouter.providers.crossprovider;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.providers.azure.AzureOpenAiProvider;
import io.llmrouter.providers.bedrock.AwsCredentials;
import io.llmrouter.providers.bedrock.BedrockProvider;
import io.llmrouter.providers.testsupport.StartedServers;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 16 item 8: an {@code apiBase} with a query string (a gateway's {@code ?tenant=...}, Azure's
 * {@code ?api-version=...}) keeps its query, and every adapter appends its path to the base's path,
 * not after the query.
 */
@ExtendWith(StartedServers.class)
class ApiBaseWithQueryTest {

    private final MockWebServer server = new MockWebServer();

    static Stream<Arguments> vendors() {
        return Stream.of(
                Arguments.of("openai/gpt-4o", "/v1?tenant=acme&sig=a%2Bb", "/v1/chat/completions"),
                Arguments.of("groq/llama-3.1-8b-instant", "/openai/v1/?tenant=acme&sig=a%2Bb",
                        "/openai/v1/chat/completions"),
                Arguments.of("azure/my-deployment", "/?tenant=acme&sig=a%2Bb",
                        "/openai/deployments/my-deployment/chat/completions"),
                Arguments.of("anthropic/claude-3-5-sonnet-20241022", "/?tenant=acme&sig=a%2Bb", "/v1/messages"),
                Arguments.of("anthropic/claude-3-5-sonnet-20241022", "/v1?tenant=acme&sig=a%2Bb", "/v1/messages"),
                Arguments.of("gemini/gemini-2.0-flash", "/v1beta?tenant=acme&sig=a%2Bb",
                        "/v1beta/models/gemini-2.0-flash:generateContent"),
                Arguments.of("cohere/command-a-03-2025", "/?tenant=acme&sig=a%2Bb", "/v2/chat"),
                Arguments.of("bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0", "/gw?tenant=acme&sig=a%2Bb",
                        "/gw/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse"));
    }

    private Deployment deployment(String route, String base) {
        Deployment.Builder b = Deployment.builder("chat", route).id("d")
                .apiBase("http://" + server.getHostName() + ":" + server.getPort() + base);
        if (route.startsWith("bedrock/")) {
            b.option(BedrockProvider.REGION, "us-east-1")
                    .option(BedrockProvider.CREDENTIALS, AwsCredentials.of("AKIDEXAMPLE", Secret.of("example-secret")));
        } else {
            b.apiKey(Secret.of("test-key"));
        }
        if (route.startsWith("azure/")) {
            b.option(AzureOpenAiProvider.API_VERSION, "2024-10-21");
        }
        return b.build();
    }

    private RecordedRequest sentOnce(Deployment deployment, boolean embedding) throws InterruptedException {
        // any answer will do: only the request line matters here
        server.enqueue(new MockResponse.Builder().code(500).addHeader("Content-Type", "application/json")
                .body("{}").build());
        try (Router router = Router.builder().deployment(deployment).retryPolicy(retry -> retry.numRetries(0)).build()) {
            try {
                if (embedding) {
                    router.embedding(EmbeddingRequest.of("chat", "hello"));
                } else {
                    router.completion(ChatRequest.builder("chat")
                            .addMessage(io.llmrouter.api.chat.Message.user("hello")).maxTokens(16).build());
                }
            } catch (RuntimeException expected) {
                // the 500
            }
        }
        RecordedRequest sent = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(sent).as("request sent").isNotNull();
        return sent;
    }

    @ParameterizedTest(name = "{0} at {1}")
    @MethodSource("vendors")
    void givenApiBaseWithQuery_whenCompletion_thenPathGoesOnThePathAndTheQueryIsKept(String route, String base,
            String path) throws Exception {
        HttpUrl url = sentOnce(deployment(route, base), false).getUrl();

        assertThat(url.encodedPath()).isEqualTo(path);
        assertThat(url.queryParameter("tenant")).isEqualTo("acme");
        assertThat(url.queryParameter("sig")).isEqualTo("a+b");
        assertThat(url.encodedQuery()).startsWith("tenant=acme&sig=a%2Bb");
    }

    @Test
    void givenOpenAiApiBaseWithQuery_whenEmbedding_thenPathGoesOnThePath() throws Exception {
        HttpUrl url = sentOnce(deployment("openai/text-embedding-3-small", "/v1?tenant=acme"), true).getUrl();

        assertThat(url.encodedPath()).isEqualTo("/v1/embeddings");
        assertThat(url.encodedQuery()).isEqualTo("tenant=acme");
    }

    @Test
    void givenAzureApiBaseWithItsOwnApiVersion_whenCompletion_thenThatVersionIsSentOnce() throws Exception {
        Deployment d = Deployment.builder("chat", "azure/my-deployment").id("d").apiKey(Secret.of("k"))
                .apiBase("http://" + server.getHostName() + ":" + server.getPort()
                        + "/openai?api-version=2025-04-01-preview&tenant=acme")
                .build();

        HttpUrl url = sentOnce(d, false).getUrl();

        assertThat(url.encodedPath()).isEqualTo("/openai/deployments/my-deployment/chat/completions");
        assertThat(url.queryParameterValues("api-version")).containsExactly("2025-04-01-preview");
        assertThat(url.queryParameter("tenant")).isEqualTo("acme");
    }

    @Test
    void givenAzureApiVersionOption_whenBaseHasAnother_thenTheOptionWins() throws Exception {
        Deployment d = Deployment.builder("chat", "azure/my-deployment").id("d").apiKey(Secret.of("k"))
                .apiBase("http://" + server.getHostName() + ":" + server.getPort() + "/?api-version=2023-05-15")
                .option(AzureOpenAiProvider.API_VERSION, "2024-10-21").build();

        HttpUrl url = sentOnce(d, false).getUrl();

        assertThat(url.queryParameterValues("api-version")).containsExactly("2024-10-21");
    }
}
