package io.llmrouter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.llmrouter.CooldownPolicy;
import io.llmrouter.Deployment;
import io.llmrouter.DeploymentStatus;
import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.testing.FakeProvider;
import io.llmrouter.testing.VirtualTime;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The circuit breaker is the one owner of a deployment's cooldown: its open state lasts exactly the
 * cooldown (a rule's, or the cooldown time when it opened itself), not a token wait beside a
 * separate end time.
 */
class DeploymentHealthTest {

    private final VirtualTime time = VirtualTime.create();
    private Router router;

    @AfterEach
    void close() {
        if (router != null) {
            router.close();
        }
    }

    @Test
    void givenRateLimitWithRetryAfter_whenCooling_thenTheBreakerRefusesCallsUntilExactlyTheRetryAfter() {
        router = routerWith(FakeProvider.failingWith(429, Duration.ofSeconds(7)));
        await(router.completionAsync(ChatRequest.ofUser("g", "hi")));
        CircuitBreaker breaker = state("primary").breaker();

        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        time.advance(Duration.ofMillis(6_999));
        assertThat(breaker.tryAcquirePermission()).as("the breaker's own wait is the cooldown").isFalse();
        assertThat(status("primary").state()).isEqualTo(DeploymentStatus.State.COOLING_DOWN);

        time.advance(Duration.ofMillis(1));
        assertThat(status("primary").state()).isEqualTo(DeploymentStatus.State.PROBING);
        assertThat(breaker.tryAcquirePermission()).as("one probe once the cooldown has passed").isTrue();
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    }

    @Test
    void givenFailedProbe_whenTheBreakerReopensItself_thenItsOpenStateLastsTheCooldownTime() {
        FakeProvider primary = FakeProvider.builder().fail(429).fail(500).build();
        router = routerWith(primary);
        await(router.completionAsync(ChatRequest.ofUser("g", "hi")));
        time.advance(CooldownPolicy.DEFAULT_COOLDOWN_TIME);
        await(router.completionAsync(ChatRequest.ofUser("g", "hi"))); // the probe fails: HALF_OPEN -> OPEN
        CircuitBreaker breaker = state("primary").breaker();

        assertThat(primary.callCount()).isEqualTo(2);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(status("primary").coolingUntil()).contains(time.clock().instant().plus(CooldownPolicy.DEFAULT_COOLDOWN_TIME));
        time.advance(CooldownPolicy.DEFAULT_COOLDOWN_TIME.minusMillis(1));
        assertThat(breaker.tryAcquirePermission()).isFalse();
        time.advance(Duration.ofMillis(1));
        assertThat(breaker.tryAcquirePermission()).isTrue();
    }

    private Router routerWith(FakeProvider primary) {
        return Router.builder().clock(time.clock()).scheduler(time.scheduler()).random(new SplittableRandom(7))
                .deployment(Deployment.builder("g", "openai/gpt-4o").id("primary").order(1).provider(primary).build())
                .deployment(Deployment.builder("g", "openai/gpt-4o").id("backup").order(2)
                        .provider(FakeProvider.replying("ok")).build())
                .build();
    }

    private void await(CompletableFuture<ChatResponse> future) {
        time.advanceUntil(future::isDone, Duration.ofMinutes(1));
        assertThat(future.join().text()).isEqualTo("ok");
    }

    private DeploymentStatus status(String id) {
        return router.deploymentStatuses().stream().filter(s -> s.deploymentId().equals(id)).findFirst().orElseThrow();
    }

    private DeploymentState state(String id) {
        return Engines.of(router).group("g").deployments().stream().filter(d -> d.id().equals(id)).findFirst()
                .orElseThrow();
    }
}
