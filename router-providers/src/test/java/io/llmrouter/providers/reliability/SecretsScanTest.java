package io.llmrouter.providers.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.json.OpenAiJson;
import io.llmrouter.testing.Fault;
import io.llmrouter.testing.FaultServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the fault kit's scenarios with recognisable canary keys, every library logger at TRACE
 * (src/test/resources/simplelogger.properties), and scans every log line, exception message,
 * {@code toString()}, attempt and response JSON for them. Upstreams that echo the key in full (a
 * misbehaving proxy) are part of the scenarios.
 */
class SecretsScanTest {

    private static final String OPENAI_KEY = "sk-canary-7f3a9c1e5b2d4f60a8b7c6d5e4f3a2b1";
    private static final String ANTHROPIC_KEY = "sk-canary-ant-5e4f3a2b1c7f3a9c1e5b2d4f60a8b7";
    /** Fragments that identify either key: its prefix and a stretch of its middle. */
    private static final List<String> CANARIES = List.of("sk-canary", "7f3a9c1e5b2d", "5e4f3a2b1c7f");

    private PrintStream originalErr;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final List<FaultServer> servers = new ArrayList<>();
    /** Everything the library said or built, to scan. */
    private final List<String> texts = new ArrayList<>();

    @BeforeEach
    void captureLogs() {
        originalErr = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(originalErr);
        servers.forEach(FaultServer::close);
    }

    private FaultServer start(FaultServer.Builder builder) {
        FaultServer server = builder.start();
        servers.add(server);
        return server;
    }

    private static String echoing(String key) {
        return "{\"error\":{\"message\":\"Incorrect API key provided: " + key + ".\",\"type\":\"invalid_request_error\","
                + "\"param\":null,\"code\":\"invalid_api_key\"}}";
    }

    /** Runs one request and keeps every text it produced. */
    private void scenario(Router router, String group) {
        try {
            ChatResponse response = router.completion(ChatRequest.ofUser(group, "hello"));
            texts.add(response.toString());
            texts.add(OpenAiJson.responseToJson(response));
            response.routing().ifPresent(r -> texts.add(r.toString()));
        } catch (LlmRouterException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                texts.add(String.valueOf(t.getMessage()));
                texts.add(t.toString());
            }
            texts.add(e.attempts().toString());
            texts.add(e.context().toString());
        }
    }

    @Test
    void givenEveryFaultWithCanaryKeys_whenLoggedAtTrace_thenTheKeysAppearOnlyOnTheWire() {
        // given: OpenAI upstreams going through every fault, some echoing the key in full
        FaultServer openAi = start(FaultServer.openAi()
                .then(Fault.ok("hi"))
                .then(Fault.expiredKey())
                .then(Fault.raw(401, "application/json", echoing(OPENAI_KEY)))
                .then(Fault.raw(502, "text/html", "<html><body>bad gateway for key " + OPENAI_KEY + "</body></html>"))
                .then(Fault.raw(200, "application/json", "{\"id\":\"chatcmpl-1\",\"echo\":\"" + OPENAI_KEY + "\",\"choi"))
                .then(Fault.rateLimited(Duration.ofMillis(10)))
                .then(Fault.status(503))
                .then(Fault.connectionReset())
                .then(Fault.truncatedBody())
                .then(Fault.malformedJson())
                .then(Fault.contextLengthExceeded())
                .then(Fault.contentFilter())
                .then(Fault.noAnswer()));
        FaultServer anthropic = start(FaultServer.anthropic()
                .then(Fault.ok("bonjour"))
                .then(Fault.expiredKey())
                .then(Fault.raw(400, "application/json", "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                        + "\"message\":\"bad header x-api-key: " + ANTHROPIC_KEY + "\"}}"))
                .then(Fault.overloaded()));
        Router.Builder builder = Router.builder()
                .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").id("openai-primary").apiBase(openAi.url())
                        // 1 ms even after a retry-after (which would otherwise set the cooldown): every fault is called
                        .apiKey(Secret.of(OPENAI_KEY)).cooldownTime(Duration.ofMillis(1)).build())
                .deployment(Deployment.builder("claude", "anthropic/claude-sonnet-4-5").id("anthropic-primary")
                        .apiBase(anthropic.url()).apiKey(Secret.of(ANTHROPIC_KEY)).cooldownTime(Duration.ofMillis(1))
                        .build())
                .retryPolicy(retry -> retry.numRetries(0)).timeouts(timeouts -> timeouts.callTimeout(Duration.ofMillis(300))).cooldownPolicy(cooldown -> cooldown.cooldownTime(Duration.ofMillis(1)));
        try (Router router = builder.build()) {
            texts.add(router.toString());
            texts.add(router.deployments().toString());
            // when: one request per scripted fault
            for (int i = 0; i < 13; i++) {
                scenario(router, "gpt-4o");
                parkBriefly();
            }
            for (int i = 0; i < 4; i++) {
                scenario(router, "claude");
                parkBriefly();
            }
            texts.add(router.deploymentStatuses().toString());
        }
        texts.add(openAi.toString());
        texts.add(openAi.requests().toString());
        texts.add(anthropic.requests().toString());

        // then: the keys went out on the wire ...
        assertThat(openAi.requests()).allSatisfy(r ->
                assertThat(r.header("Authorization")).contains("Bearer " + OPENAI_KEY));
        assertThat(anthropic.requests()).allSatisfy(r -> assertThat(r.header("x-api-key")).contains(ANTHROPIC_KEY));
        assertThat(openAi.callCount()).isEqualTo(13);
        assertThat(anthropic.callCount()).isEqualTo(4);
        // ... and nowhere else
        System.err.flush();
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(logs).as("the test must capture TRACE lines").contains("openai-primary").contains("request body");
        for (String canary : CANARIES) {
            assertThat(logs).as("log lines").doesNotContain(canary);
            assertThat(texts).as("messages, toString()s, attempts, response JSON").allSatisfy(text ->
                    assertThat(text).doesNotContain(canary));
        }
        assertThat(texts).as("the scan saw the scenarios' outcomes").hasSizeGreaterThan(40);
    }

    /** Lets a 1 ms cooldown pass between scenarios (cooling faults: 401, 429). */
    private static void parkBriefly() {
        java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
    }
}
