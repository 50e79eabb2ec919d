package io.llmrouter.providers.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.exception.ContentPolicyViolationException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.json.OpenAiJson;
import io.llmrouter.providers.azure.AzureAiProvider;
import io.llmrouter.providers.azure.AzureOpenAiProvider;
import io.llmrouter.providers.bedrock.AwsCredentials;
import io.llmrouter.providers.bedrock.BedrockProvider;
import io.llmrouter.providers.vertex.VertexAiProvider;
import io.llmrouter.providers.testsupport.Adapter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The secrets scan of {@link SecretsScanTest}, for every provider and credential kind (OpenAI, an
 * OpenAI-compatible vendor, Azure key and Entra token, Anthropic, Gemini, Cohere, Bedrock key and
 * SigV4, Ollama native with a bearer key, Azure AI Foundry key and Entra token), over the paths where a credential used to slip through: an api base with the key as
 * user-info (deployment {@code toString()}, the DEBUG request log), a request-id header that echoes
 * the key ({@code providerRequestId()}, Bedrock's response id), an answer body that starts with the
 * key (the JSON parser's exception, kept as a cause and logged at DEBUG), content-filter details
 * quoting it, and error messages quoting it. Credentials are not shaped like any vendor's key, so
 * only the configured-secret redaction can catch them. Every library logger runs at TRACE and
 * Resilience4j's at DEBUG (src/test/resources/simplelogger.properties).
 */
class SecretsScanEveryProviderTest {

    private static final String KEY = "canary9e1d7c3b5a2f8046d1";
    private static final String SESSION_TOKEN = "canarytoken0b3f6e9a2c5d81";
    /** Fragments that identify a credential: a stretch of each. */
    private static final List<String> CANARIES = List.of("canary9e1d7c3b", "3b5a2f8046d1", "canarytoken0b3f",
            "6e9a2c5d81");

    /** A provider and the kind of credential it is given. */
    enum Credential {
        OPENAI(Adapter.OPENAI), OPENAI_COMPATIBLE(Adapter.OPENAI_COMPATIBLE), AZURE_KEY(Adapter.AZURE),
        AZURE_ENTRA_TOKEN(Adapter.AZURE), ANTHROPIC(Adapter.ANTHROPIC), GEMINI(Adapter.GEMINI),
        COHERE(Adapter.COHERE), BEDROCK_KEY(Adapter.BEDROCK), BEDROCK_SIGV4(Adapter.BEDROCK),
        OLLAMA_BEARER(Adapter.OLLAMA), AZURE_AI_KEY(Adapter.AZURE_AI), AZURE_AI_ENTRA_TOKEN(Adapter.AZURE_AI),
        VERTEX_AI_TOKEN(Adapter.VERTEX_AI);

        final Adapter adapter;

        Credential(Adapter adapter) {
            this.adapter = adapter;
        }

        /** The secret the upstream echoes: the key, the Entra token, or SigV4's session token (sent as a header). */
        String secret() {
            return this == BEDROCK_SIGV4 ? SESSION_TOKEN : KEY;
        }

        Deployment deployment(String apiBase) {
            boolean keyless = this == AZURE_ENTRA_TOKEN || this == AZURE_AI_ENTRA_TOKEN || this == BEDROCK_SIGV4
                    || this == VERTEX_AI_TOKEN;
            Deployment.Builder b = adapter.deployment("m", apiBase, keyless ? null : Secret.of(KEY));
            if (this == AZURE_ENTRA_TOKEN) {
                b.option(AzureOpenAiProvider.TOKEN_SUPPLIER, () -> CompletableFuture.completedFuture(KEY));
            }
            if (this == AZURE_AI_ENTRA_TOKEN) {
                b.option(AzureAiProvider.TOKEN_SUPPLIER, () -> CompletableFuture.completedFuture(KEY));
            }
            if (this == VERTEX_AI_TOKEN) {
                b.option(VertexAiProvider.CREDENTIALS, () -> CompletableFuture.completedFuture(KEY));
            }
            if (this == BEDROCK_SIGV4) {
                b.option(BedrockProvider.CREDENTIALS, AwsCredentials.of("AKIDEXAMPLE", Secret.of(KEY),
                        Secret.of(SESSION_TOKEN)));
            }
            return b.build();
        }

        String success() {
            return switch (adapter) {
                case OPENAI, OPENAI_COMPATIBLE, AZURE, AZURE_AI -> "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\","
                        + "\"created\":1,\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
                        + "\"assistant\",\"content\":\"hi\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,"
                        + "\"completion_tokens\":1,\"total_tokens\":2}}";
                case ANTHROPIC -> "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":"
                        + "\"claude-sonnet-4-5\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}],\"stop_reason\":"
                        + "\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}";
                case GEMINI, VERTEX_AI -> "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"hi\"}]},"
                        + "\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":1,"
                        + "\"candidatesTokenCount\":1,\"totalTokenCount\":2},\"modelVersion\":\"gemini-2.0-flash\"}";
                case COHERE -> "{\"id\":\"c-1\",\"finish_reason\":\"COMPLETE\",\"message\":{\"role\":\"assistant\","
                        + "\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]},\"usage\":{\"billed_units\":"
                        + "{\"input_tokens\":1,\"output_tokens\":1},\"tokens\":{\"input_tokens\":1,\"output_tokens\":1}}}";
                case OLLAMA -> "{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},"
                        + "\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":1,\"eval_count\":1}";
                case BEDROCK -> "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"hi\"}]}},"
                        + "\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":1,\"outputTokens\":1,"
                        + "\"totalTokens\":2},\"metrics\":{\"latencyMs\":1}}";
            };
        }
    }

    private PrintStream originalErr;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private MockWebServer server;
    /** Everything the library said or built, to scan. */
    private final List<String> texts = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        originalErr = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        server = new MockWebServer();
        server.start();
    }

    @AfterEach
    void tearDown() {
        System.setErr(originalErr);
        server.close();
    }

    private static MockResponse json(int status, String body, Map<String, String> headers) {
        MockResponse.Builder b = new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json")
                .body(body);
        headers.forEach(b::addHeader);
        return b.build();
    }

    @ParameterizedTest
    @EnumSource(Credential.class)
    void givenUpstreamsEchoingTheCredential_whenCalledAndLoggedAtTrace_thenItAppearsOnlyOnTheWire(Credential c) {
        // given: an api base carrying the credential as user-info, and an upstream echoing it everywhere
        Adapter adapter = c.adapter;
        String secret = c.secret();
        HttpUrl base = server.url("/").newBuilder().username("user").password(secret).build();
        Map<String, String> echo = Map.of("x-request-id", "req-" + secret, "apim-request-id", "req-" + secret,
                "request-id", "req-" + secret, "x-amzn-requestid", "req-" + secret);
        server.enqueue(json(200, c.success(), echo));
        server.enqueue(adapter.error(401, "Incorrect API key provided: " + secret + ".", "req-" + secret, Map.of()));
        server.enqueue(json(200, secret + " is not a JSON answer", echo));
        server.enqueue(adapter.error(429, "Rate limit for " + secret, "req-" + secret, Map.of("retry-after", "0")));
        server.enqueue(adapter.error(503, "Unavailable for " + secret, "req-" + secret, Map.of()));
        boolean filters = adapter == Adapter.OPENAI || adapter == Adapter.AZURE;
        if (filters) {
            server.enqueue(json(400, "{\"error\":{\"message\":\"filtered\",\"type\":null,\"param\":\"prompt\","
                    + "\"code\":\"content_filter\",\"innererror\":{\"code\":\"ResponsibleAIPolicyViolation\","
                    + "\"content_filter_result\":{\"custom_blocklists\":{\"filtered\":true,\"details\":[{\"id\":"
                    + "\"" + secret + "\",\"filtered\":true}]}}}}}", echo));
        }
        Deployment deployment = c.deployment(base.toString());
        texts.add(deployment.toString());
        try (Router router = Router.builder().deployment(deployment).retryPolicy(retry -> retry.numRetries(0)).timeouts(timeouts -> timeouts.callTimeout(Duration.ofSeconds(5)))
                .cooldownPolicy(cooldown -> cooldown.cooldownTime(Duration.ofMillis(1))).build()) {
            texts.add(router.toString());
            texts.add(router.deployments().toString());
            // when
            int calls = filters ? 6 : 5;
            for (int i = 0; i < calls; i++) {
                scenario(router);
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
            }
            texts.add(router.deploymentStatuses().toString());
        }

        // then: the credential went out (SigV4 signs with it, the others send it) ...
        assertThat(server.getRequestCount()).isEqualTo(filters ? 6 : 5);
        // ... and nowhere else
        System.err.flush();
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(logs).as("the test must capture DEBUG and TRACE lines").contains("-> 200").contains("failed");
        assertThat(logs).as("the DEBUG URL log masks the user-info").contains("****@");
        for (String canary : CANARIES) {
            assertThat(logs).as("log lines").doesNotContain(canary);
            assertThat(texts).as("messages, causes, toString()s, request ids, details, attempts, responses")
                    .allSatisfy(text -> assertThat(text).doesNotContain(canary));
        }
        assertThat(texts).as("the scan saw the scenarios' outcomes").hasSizeGreaterThan(20);
    }

    /** Runs one request and keeps every text it produced. */
    private void scenario(Router router) {
        try {
            ChatResponse response = router.completion(ChatRequest.ofUser("m", "hello"));
            texts.add(response.toString());
            texts.add(response.id());
            texts.add(OpenAiJson.responseToJson(response));
            response.routing().ifPresent(r -> texts.add(r.toString()));
        } catch (LlmRouterException e) {
            addChain(e, new IdentityHashMap<>());
            texts.add(e.attempts().toString());
            texts.add(e.context().toString());
            e.providerRequestId().ifPresent(texts::add);
            if (e instanceof ContentPolicyViolationException cp) {
                cp.details().ifPresent(d -> texts.add(d.toString()));
            }
        }
    }

    private void addChain(Throwable t, IdentityHashMap<Throwable, Boolean> seen) {
        if (t == null || seen.put(t, Boolean.TRUE) != null) {
            return;
        }
        texts.add(String.valueOf(t.getMessage()));
        texts.add(t.toString());
        for (Throwable s : t.getSuppressed()) {
            addChain(s, seen);
        }
        addChain(t.getCause(), seen);
    }
}
