package io.llmrouter.examples.spring;

import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.spring.boot.LlmRouterEndpoint;
import io.llmrouter.spring.boot.LlmRouterHealthIndicator;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A tiny Spring Boot application whose {@link Router} bean comes from properties alone (as they
 * would sit in {@code application.yaml}): two OpenAI-compatible deployments of {@code gpt-4o} on
 * loopback servers, the first rate-limited, so the router cools it and retries on the second. It prints the
 * answer, the Actuator health and the spend, then closes the context, which closes the router.
 * Runs without keys or network: {@code mvn -pl router-examples-spring -am exec:java}.
 */
@SpringBootApplication
public class SpringBootExample {

    /**
     * Runs the example.
     *
     * @param args unused
     * @throws Exception if a loopback server fails
     */
    public static void main(String[] args) throws Exception {
        try (MockWebServer limited = new MockWebServer(); MockWebServer healthy = new MockWebServer()) {
            limited.enqueue(new MockResponse.Builder().code(429).addHeader("Content-Type", "application/json")
                    .body("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\"}}").build());
            healthy.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body("""
                    {"id":"c1","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,
                     "message":{"role":"assistant","content":"Hello from Spring Boot!"},"finish_reason":"stop"}],
                     "usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17}}""").build());
            limited.start();
            healthy.start();

            try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SpringBootExample.class)
                    .web(WebApplicationType.NONE)
                    .properties(
                            "llmrouter.deployments[0].model-group=gpt-4o",
                            "llmrouter.deployments[0].route=openai/gpt-4o",
                            "llmrouter.deployments[0].id=primary",
                            "llmrouter.deployments[0].api-base=" + base(limited),
                            "llmrouter.deployments[0].api-key=sk-example-primary",
                            "llmrouter.deployments[1].model-group=gpt-4o",
                            "llmrouter.deployments[1].route=openai/gpt-4o",
                            "llmrouter.deployments[1].id=secondary",
                            "llmrouter.deployments[1].order=1",
                            "llmrouter.deployments[1].api-base=" + base(healthy),
                            "llmrouter.deployments[1].api-key=sk-example-secondary",
                            "llmrouter.retry.num-retries=1",
                            "llmrouter.shutdown-grace-period=5s")
                    .run(args)) {
                Router router = context.getBean(Router.class);
                ChatResponse answer = router.completion(ChatRequest.ofUser("gpt-4o", "Say hello"));
                System.out.println("answer: " + answer.text() + " (from "
                        + answer.routing().map(r -> r.deploymentId()).orElse("?") + ")");
                System.out.println("health: " + context.getBean(LlmRouterHealthIndicator.class).health().getStatus());
                System.out.println("spend: " + context.getBean(LlmRouterEndpoint.class).router().get("spend"));
            }
        }
    }

    private static String base(MockWebServer server) {
        String url = server.url("/v1").toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
