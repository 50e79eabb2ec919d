package io.llmrouter.examples;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.RoutingInfo;
import io.llmrouter.api.chat.Usage;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * Routes a chat request over two loopback OpenAI-compatible endpoints, one of them rate
 * limiting every call, and prints which deployment answered, the attempts, the usage and the cost.
 * Needs no API key and no network: both endpoints are MockWebServers on 127.0.0.1.
 *
 * <p>Run it with {@code mvn -q -DskipTests install && mvn -q -pl router-examples exec:java}.
 */
public final class FallbackExample {

    private FallbackExample() {
    }

    /**
     * Starts the endpoints, routes two requests (one blocking, one asynchronous) and prints the
     * outcome.
     *
     * @param args ignored
     * @throws Exception if a loopback server cannot start
     */
    public static void main(String[] args) throws Exception {
        try (MockWebServer limited = rateLimitingServer(); MockWebServer healthy = answeringServer()) {
            Router router = Router.builder()
                    // The primary group: one deployment whose endpoint answers 429 to every call.
                    .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o")
                            .id("primary-eu")
                            .apiBase(limited.url("/v1").toString())
                            .apiKey(Secret.of("sk-demo-not-a-real-key"))
                            .build())
                    // The fallback group: a cheaper model on a healthy endpoint.
                    .deployment(Deployment.builder("gpt-4o-mini", "openai/gpt-4o-mini")
                            .id("backup-us")
                            .apiBase(healthy.url("/v1").toString())
                            .apiKey(Secret.of("sk-demo-not-a-real-key"))
                            .build())
                    .fallbackPolicy(fallback -> fallback.fallbacks("gpt-4o", "gpt-4o-mini"))
                    .retryPolicy(retry -> retry.numRetries(1)
                            .backoff(Duration.ofMillis(50), Duration.ofMillis(200))
                            .maxRetryAfter(Duration.ofMillis(100)))
                    .build();
            try (router) {
                ChatRequest request = ChatRequest.builder("gpt-4o")
                        .addMessage(Message.system("You are a concise assistant."))
                        .addMessage(Message.user("Say hello to the JVM."))
                        .temperature(0.2)
                        .build();

                System.out.println("== router.completion(request) ==");
                print(router.completion(request));

                System.out.println();
                System.out.println("== router.completionAsync(request) ==");
                print(router.completionAsync(request).get(10, TimeUnit.SECONDS));
            }
            System.out.printf("%nThe rate-limited endpoint saw %d calls, the healthy one %d.%n",
                    limited.getRequestCount(), healthy.getRequestCount());
        }
    }

    private static void print(ChatResponse response) {
        RoutingInfo routing = response.routing().orElseThrow();
        System.out.println("answer        : " + response.text());
        System.out.println("answered by   : deployment '" + routing.deploymentId() + "' (" + routing.providerRoute()
                + "), model group '" + routing.modelGroup() + "', requested '" + routing.requestedModel() + "'");
        System.out.println("attempts      :");
        for (Attempt a : routing.attempts()) {
            System.out.printf("  - %-10s %-22s %s%n", a.deploymentId(), a.isSuccess() ? "ok"
                    : a.errorType().orElse("") + " " + a.statusCode().orElse(0), a.duration().toMillis() + " ms");
        }
        Usage usage = response.usage().orElse(Usage.ZERO);
        System.out.printf("usage         : %d prompt + %d completion = %d tokens (%d cached)%n",
                usage.promptTokens(), usage.completionTokens(), usage.totalTokens(), usage.cachedTokens());
        System.out.println("cost          : " + response.cost().totalUsd()
                .map(c -> "$" + c.stripTrailingZeros().toPlainString() + " (priced as " + response.cost().pricedBy().orElse("?") + ")")
                .orElse("unpriced: " + response.cost().unpricedReason().orElse("")));
    }

    private static MockWebServer rateLimitingServer() throws IOException {
        MockWebServer server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder()
                        .code(429)
                        .addHeader("Content-Type", "application/json")
                        .addHeader("retry-after-ms", "50")
                        .addHeader("x-request-id", "req_demo_429")
                        .body("""
                                {"error": {"message": "Rate limit reached for gpt-4o in organization org-demo on \
                                tokens per min (TPM): Limit 30000, Used 30000, Requested 120.",
                                  "type": "tokens", "param": null, "code": "rate_limit_exceeded"}}""")
                        .build();
            }
        });
        server.start();
        return server;
    }

    private static MockWebServer answeringServer() throws IOException {
        MockWebServer server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder()
                        .code(200)
                        .addHeader("Content-Type", "application/json")
                        .addHeader("x-request-id", "req_demo_200")
                        .body("""
                                {"id": "chatcmpl-demo123", "object": "chat.completion", "created": 1764400000,
                                 "model": "gpt-4o-mini-2024-07-18",
                                 "choices": [{"index": 0, "message": {"role": "assistant",
                                   "content": "Hello, JVM! Nice to meet you.", "refusal": null},
                                   "logprobs": null, "finish_reason": "stop"}],
                                 "usage": {"prompt_tokens": 24, "completion_tokens": 9, "total_tokens": 33,
                                   "prompt_tokens_details": {"cached_tokens": 0},
                                   "completion_tokens_details": {"reasoning_tokens": 0}},
                                 "system_fingerprint": "fp_demo"}""")
                        .build();
            }
        });
        server.start();
        return server;
    }
}
