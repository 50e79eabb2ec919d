package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.testing.FakeProvider;
import io.llmrouter.testing.VirtualTime;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Per-group retry counts by failure kind (LiteLLM's {@code model_group_retry_policy}), on virtual time. */
class GroupRetryPolicyTest {

    private final VirtualTime time = VirtualTime.create();
    private Router router;

    @AfterEach
    void close() {
        if (router != null) {
            router.close();
        }
    }

    private void callAndFail(String group) {
        CompletableFuture<ChatResponse> f = router.completionAsync(ChatRequest.ofUser(group, "hello"));
        time.advanceUntil(f::isDone, Duration.ofHours(1));
        assertThat(f).isCompletedExceptionally();
    }

    @Test
    void givenAGroupRetryPolicy_whenEachGroupIsRateLimited_thenEachRetriesAsItsOwnPolicySays() throws Exception {
        FakeProvider strict = FakeProvider.failingWith(429);
        FakeProvider lenient = FakeProvider.failingWith(429);
        router = Router.builder().clock(time.clock()).scheduler(time.scheduler()).random(new SplittableRandom(3))
                .cooldownPolicy(c -> c.cooldownTime(Duration.ZERO))
                .retryPolicy(r -> r.retries(FailureKind.RATE_LIMIT, 3).retries("strict", FailureKind.RATE_LIMIT, 0))
                .deployment(Deployment.builder("strict", "openai/a").provider(strict).build())
                .deployment(Deployment.builder("lenient", "openai/b").provider(lenient).build())
                .build();

        callAndFail("strict");
        callAndFail("lenient");

        assertThat(strict.callCount()).as("its own count, 0").isEqualTo(1);
        assertThat(lenient.callCount()).as("the router-wide count, 3").isEqualTo(4);
        JsonNode groups = new ObjectMapper().readTree(router.describe().toJson()).path("model_groups");
        assertThat(groups.get(0).path("retry_policy").asText()).isEqualTo("RetryPolicy{RATE_LIMIT=0}");
        assertThat(groups.get(1).has("retry_policy")).isFalse();
    }

    @Test
    void aGroupRetryPolicyForAnUnknownGroupFailsTheBuild() {
        assertThatThrownBy(() -> Router.builder()
                .retryPolicy(r -> r.retries("nope", FailureKind.TIMEOUT, 1))
                .deployment(Deployment.builder("g", "openai/a").provider(FakeProvider.replying("x")).build()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'nope'");
    }
}
