package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.testing.FakeProvider;
import io.llmrouter.testing.VirtualTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What deployments' rpm/tpm mean under {@link Router.Builder#rateLimits(RateLimitMode)}, on virtual time. */
class RateLimitModeTest {

    private final VirtualTime time = VirtualTime.create();
    private Router router;

    @AfterEach
    void close() {
        if (router != null) {
            router.close();
        }
    }

    private Router.Builder twoDeployments(int rpmA, int rpmB) {
        return Router.builder().clock(time.clock()).scheduler(time.scheduler()).random(new SplittableRandom(23))
                .retryPolicy(r -> r.numRetries(0).backoff(Duration.ZERO, Duration.ZERO))
                .deployment(Deployment.builder("g", "openai/g").id("a").rpm(rpmA).provider(FakeProvider.replying("a")).build())
                .deployment(Deployment.builder("g", "openai/g").id("b").rpm(rpmB).provider(FakeProvider.replying("b")).build());
    }

    private CompletableFuture<ChatResponse> call() {
        CompletableFuture<ChatResponse> f = router.completionAsync(ChatRequest.ofUser("g", "hello"));
        time.advanceUntil(f::isDone, Duration.ofHours(1));
        return f;
    }

    private JsonNode settings() throws Exception {
        return new ObjectMapper().readTree(router.describe().toJson()).path("settings");
    }

    @Test
    void byDefaultRpmIsEnforced_aThirdRequestInTheMinuteIsARateLimit() throws Exception {
        router = twoDeployments(1, 1).build();
        call().join();
        call().join();

        assertThat(call()).isCompletedExceptionally().failsWithin(Duration.ZERO)
                .withThrowableOfType(Exception.class).havingCause().isInstanceOf(RateLimitException.class);
        assertThat(settings().path("rate_limits").path("value").asText()).startsWith("enforced");
        assertThat(settings().path("rate_limits").path("default").asBoolean()).isTrue();
    }

    @Test
    void underWeightsOnlyRpmIsNeverEnforced_everyRequestInTheMinuteIsServedWithoutWaiting() throws Exception {
        router = twoDeployments(1, 1).rateLimits(RateLimitMode.WEIGHTS_ONLY).build();
        java.time.Instant start = time.now();

        for (int i = 0; i < 20; i++) {
            assertThat(call().join().text()).isIn("a", "b");
        }

        assertThat(time.now()).as("no request waited for the next minute").isEqualTo(start);
        JsonNode s = settings();
        assertThat(s.path("rate_limits").path("value").asText()).startsWith("weights only");
        assertThat(s.path("rate_limits").path("default").asBoolean()).isFalse();
        JsonNode deployments = new ObjectMapper().readTree(router.describe().toJson())
                .path("model_groups").get(0).path("deployments");
        assertThat(deployments.get(0).path("rpm").asText()).as("the rpm loaded is shown").isEqualTo("1");
        assertThat(router.describe().toMarkdown()).contains("| rate_limits | weights only");
    }

    @Test
    void underWeightsOnlyRpmWeighsTheShuffle() {
        router = twoDeployments(900, 100).rateLimits(RateLimitMode.WEIGHTS_ONLY).build();
        Map<String, Integer> served = new HashMap<>();

        for (int i = 0; i < 1000; i++) {
            served.merge(call().join().text(), 1, Integer::sum);
        }

        assertThat(served.get("a")).as("900 rpm against 100 rpm, all within one minute").isBetween(850, 950);
        assertThat(served.get("b")).isBetween(50, 150);
    }
}
