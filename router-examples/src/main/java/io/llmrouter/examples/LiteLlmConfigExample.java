package io.llmrouter.examples;

import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.RoutingInfo;
import io.llmrouter.litellm.ConfigNote;
import io.llmrouter.litellm.LiteLlmConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * Loads a LiteLLM {@code config.yaml} (this package's resource, in LiteLLM's syntax) into a router
 * and sends one request: the primary group's endpoint is overloaded (every call a 503), so the
 * router retries it once and falls back to {@code gpt-4o-mini}, as the config says. Prints the
 * loader's notes, then the answer with the deployment that gave it and its cost. The two
 * OpenAI-compatible endpoints are MockWebServers on 127.0.0.1; their URLs reach the config through
 * {@code os.environ/...} values, resolved from a map the example builds (an application passes
 * {@code System.getenv()}).
 *
 * <p>Run it with {@code mvn -q -DskipTests install && mvn -q -pl router-examples exec:java
 * -Dexec.mainClass=io.llmrouter.examples.LiteLlmConfigExample}.
 */
public final class LiteLlmConfigExample {

    private LiteLlmConfigExample() {
    }

    /**
     * Starts the endpoints, loads the config, routes one request and prints the outcome.
     *
     * @param args ignored
     * @throws IOException if a loopback server cannot start or the resource cannot be read
     */
    public static void main(String[] args) throws IOException {
        try (MockWebServer overloaded = server(503, """
                {"error": {"message": "The server is overloaded.", "type": "server_error", "code": null}}""");
             MockWebServer healthy = server(200, """
                {"id": "chatcmpl-yaml1", "object": "chat.completion", "created": 1764400000,
                 "model": "gpt-4o-mini-2024-07-18",
                 "choices": [{"index": 0, "message": {"role": "assistant",
                   "content": "Hello from a LiteLLM config!"}, "finish_reason": "stop"}],
                 "usage": {"prompt_tokens": 12, "completion_tokens": 6, "total_tokens": 18}}""")) {
            Map<String, String> environment = Map.of(
                    "PRIMARY_API_BASE", overloaded.url("/v1").toString(),
                    "BACKUP_API_BASE", healthy.url("/v1").toString(),
                    "OPENAI_API_KEY", "sk-demo-not-a-real-key");

            LiteLlmConfig config;
            try (InputStream in = LiteLlmConfigExample.class.getResourceAsStream("config.yaml");
                 Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                config = LiteLlmConfig.loader().environment(environment).load(reader, "config.yaml");
            }
            System.out.println("== accepted, not applied ==");
            for (ConfigNote note : config.notes()) {
                System.out.println("  " + note);
            }

            try (Router router = config.routerBuilder().build()) {
                ChatResponse response = router.completion(ChatRequest.ofUser("gpt-4", "Say hello."));
                RoutingInfo routing = response.routing().orElseThrow();
                System.out.println("== one completion, asked for the alias 'gpt-4' ==");
                System.out.println("answer      : " + response.text());
                System.out.println("answered by : deployment '" + routing.deploymentId() + "' of model group '"
                        + routing.modelGroup() + "' after " + routing.attempts().size() + " attempts");
                System.out.println("cost        : " + response.cost().totalUsd()
                        .map(c -> "$" + c.stripTrailingZeros().toPlainString()).orElse("unpriced"));
            }
        }
    }

    private static MockWebServer server(int status, String body) throws IOException {
        MockWebServer server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json")
                        .body(body).build();
            }
        });
        server.start();
        return server;
    }
}
