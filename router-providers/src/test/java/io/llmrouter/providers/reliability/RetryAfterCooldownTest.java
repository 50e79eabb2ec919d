package io.llmrouter.providers.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.Deployment;
import io.llmrouter.DeploymentStatus;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.providers.openai.OpenAiProvider;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.testing.FakeProvider;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 18, cooldown duration: a failed response's {@code retry-after}, in seconds or as an HTTP
 * date, sets how long the deployment cools (LiteLLM's rule), read by a real adapter from the wire.
 */
@ExtendWith(StartedServers.class)
class RetryAfterCooldownTest {

    private static final String RATE_LIMITED = """
            {"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}}""";

    private final MockWebServer server = new MockWebServer();

    @ParameterizedTest(name = "retry-after as {0}")
    @ValueSource(strings = {"seconds", "HTTP date"})
    void theRetryAfterOfA429SetsTheCooldownOfTheDeployment(String form) {
        Instant date = Instant.parse("2026-01-01T00:00:00Z");
        String retryAfter = form.equals("seconds") ? "30"
                : DateTimeFormatter.RFC_1123_DATE_TIME.format(date.plusSeconds(30).atOffset(ZoneOffset.UTC));
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Content-Type", "application/json")
                .addHeader("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(date.atOffset(ZoneOffset.UTC)))
                .addHeader("retry-after", retryAfter).body(RATE_LIMITED).build());
        Deployment primary = Deployment.builder("g", "openai/gpt-4o").id("primary")
                .apiBase(server.url("/v1").toString()).apiKey(Secret.of("sk-test-0123456789"))
                .provider(OpenAiProvider.create()).build();
        Deployment backup = Deployment.builder("g", "openai/gpt-4o").id("backup")
                .provider(FakeProvider.replying("ok")).build();
        try (Router router = Router.builder().deployment(primary).deployment(backup)
                .strategy((ctx, candidates) -> candidates.get(0)).build()) {

            ChatResponse response = router.completion(ChatRequest.ofUser("g", "hello"));

            assertThat(response.text()).isEqualTo("ok");
            Attempt failed = response.routing().orElseThrow().attempts().get(0);
            assertThat(failed.deploymentId()).isEqualTo("primary");
            Instant failedAt = failed.startedAt().plus(failed.duration()).truncatedTo(ChronoUnit.MILLIS);
            DeploymentStatus status = router.deploymentStatuses().stream()
                    .filter(s -> s.deploymentId().equals("primary")).findFirst().orElseThrow();
            assertThat(status.state()).isEqualTo(DeploymentStatus.State.COOLING_DOWN);
            assertThat(status.coolingUntil()).contains(failedAt.plus(Duration.ofSeconds(30)));
        }
    }
}
