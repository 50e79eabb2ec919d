package io.llmrouter.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.exception.LlmRouterException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * End to end through the router and the real adapter, with every logger at TRACE: the API key
 * reaches the wire and nowhere else, even when the provider's error body echoes it.
 */
class SecretsNeverLeakTest {

    private static final String KEY = "sk-proj-LEAKCANARY0123456789abcdef";

    private MockWebServer server;
    private PrintStream originalErr;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() throws IOException {
        server = new MockWebServer();
        server.start();
        originalErr = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void tearDown() {
        System.setErr(originalErr);
        server.close();
    }

    @Test
    void givenProviderEchoingTheKey_whenEverythingIsLoggedAtTrace_thenKeyAppearsOnlyOnTheWire() throws Exception {
        // given: a 401 whose body quotes the key in full, as a misbehaving proxy might
        server.enqueue(new MockResponse.Builder().code(401).addHeader("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"Incorrect API key provided: " + KEY
                        + ". You can find your API key at https://platform.openai.com/account/api-keys.\","
                        + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}")
                .build());
        Deployment deployment = Deployment.builder("gpt-4o", "openai/gpt-4o").id("primary")
                .apiBase(server.url("/v1").toString()).apiKey(Secret.of(KEY)).build();
        LlmRouterException error;
        String routerText;
        try (Router router = Router.builder().deployment(deployment).retryPolicy(retry -> retry.numRetries(0)
                        .backoff(Duration.ZERO, Duration.ZERO)).build()) {
            routerText = router.toString() + router.deployments();
            // when
            error = catchThrowableOfType(LlmRouterException.class,
                    () -> router.completion(ChatRequest.ofUser("gpt-4o", "hello")));
        }
        // then: the key went out on the wire ...
        RecordedRequest recorded = server.takeRequest();
        assertThat(recorded.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
        // ... and appears nowhere else
        System.err.flush();
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(logs).as("the test must actually capture the library's log output").contains("primary");
        assertThat(logs).doesNotContain(KEY).doesNotContain("LEAKCANARY");
        assertThat(error.getMessage()).doesNotContain("LEAKCANARY");
        assertThat(error.toString()).doesNotContain("LEAKCANARY");
        assertThat(error.attempts().toString()).doesNotContain("LEAKCANARY");
        assertThat(routerText).doesNotContain("LEAKCANARY");
        assertThat(error.getMessage()).contains("Incorrect API key provided");
    }
}
