package io.llmrouter.examples.acme;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.exception.AuthenticationException;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.spi.ProviderCall;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@link AcmeProvider} does beyond the provider contract: the key rule and the multi-turn mapping. */
class AcmeProviderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ANSWER = """
            {"id": "gen_3", "output": "It is sunny.", "stop": "done", "tokens": {"in": 40, "out": 4}}""";

    private final MockWebServer server = new MockWebServer();

    @BeforeEach
    void start() throws Exception {
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void givenNoKeyForAcmesOwnBaseAndNoneInTheEnvironment_whenComplete_thenAuthenticationFailureNamingTheVariable() {
        AcmeProvider provider = new AcmeProvider(new OkHttpClient(), name -> null);
        ProviderCall call = ProviderCall.builder(ChatRequest.ofUser("acme-large", "hello")).deploymentId("acme")
                .modelGroup("acme").providerRoute("acme/acme-large").build();

        Throwable failure = failureOf(provider, call);

        assertThat(failure).isInstanceOf(AuthenticationException.class).hasMessageContaining("ACME_API_KEY");
    }

    @Test
    void givenEnvironmentKeyAndAnotherBase_whenComplete_thenNoKeyIsSentThere() throws Exception {
        server.enqueue(json(ANSWER));
        AcmeProvider provider = new AcmeProvider(new OkHttpClient(), name -> "acme-env-key-0123456789");

        provider.completeAsync(call(ChatRequest.ofUser("acme-large", "hello")).build()).get(5, SECONDS);

        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent.getHeaders().get("x-acme-key")).isNull();
    }

    @Test
    void givenTwoChoicesAsked_whenComplete_thenBadRequestBeforeAnyRequest() {
        AcmeProvider provider = new AcmeProvider(new OkHttpClient(), name -> null);
        ChatRequest request = ChatRequest.builder("acme-large").addMessage(Message.user("hello")).n(2).build();

        Throwable failure = failureOf(provider, call(request).apiKey(Secret.of("acme-key-0123456789")).build());

        assertThat(failure).isInstanceOf(BadRequestException.class).hasMessageContaining("n=1");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void givenToolCallAndItsResult_whenComplete_thenSentAsAgentAndFunctionTurns() throws Exception {
        server.enqueue(json(ANSWER));
        AcmeProvider provider = new AcmeProvider(new OkHttpClient(), name -> null);
        ChatRequest request = ChatRequest.builder("acme-large")
                .addMessage(Message.user("Weather in Paris?"))
                .addMessage(Message.assistantToolCalls(List.of(ToolCall.of("call_7", "get_weather",
                        "{\"city\":\"Paris\"}"))))
                .addMessage(Message.tool("call_7", "sunny"))
                .temperature(0.5)
                .build();

        String text = provider.completeAsync(call(request).apiKey(Secret.of("acme-key-0123456789")).build())
                .get(5, SECONDS).text();

        assertThat(text).isEqualTo("It is sunny.");
        assertThat(JSON.readTree(server.takeRequest(5, SECONDS).getBody().utf8())).isEqualTo(JSON.readTree("""
                {"model": "acme-large",
                 "turns": [{"speaker": "human", "text": "Weather in Paris?"},
                           {"speaker": "agent",
                            "calls": [{"id": "call_7", "function": "get_weather", "input": {"city": "Paris"}}]},
                           {"speaker": "function", "call_id": "call_7", "text": "sunny"}],
                 "limits": {"temperature": 0.5}}"""));
    }

    private ProviderCall.Builder call(ChatRequest request) {
        return ProviderCall.builder(request).deploymentId("acme").modelGroup("acme").providerRoute("acme/acme-large")
                .apiBase(server.url("/").toString()).timeout(Duration.ofSeconds(5));
    }

    private static Throwable failureOf(AcmeProvider provider, ProviderCall call) {
        Throwable t = catchThrowable(() -> provider.completeAsync(call).get(5, SECONDS));
        assertThat(t).isInstanceOf(ExecutionException.class);
        return t.getCause();
    }

    private static MockResponse json(String body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
    }
}
