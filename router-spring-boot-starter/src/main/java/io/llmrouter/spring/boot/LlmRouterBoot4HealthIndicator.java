package io.llmrouter.spring.boot;

import io.llmrouter.Router;
import io.llmrouter.spring.boot.internal.RouterHealth;
import java.util.Objects;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The router's health: {@code DOWN} only when some model group has no deployment in rotation (all
 * of its deployments cooling down), {@code UP} otherwise, since the router routes around a single
 * failing deployment. Details: each deployment's state, model group, cooldown end and calls in
 * flight, and the groups without an available deployment. No API key, URL or header is shown.
 *
 * <p>Written against Spring Boot 4's health API ({@code org.springframework.boot.health.contributor},
 * in {@code spring-boot-health}): the same status and details as {@link LlmRouterHealthIndicator},
 * which the starter registers on Spring Boot 3 instead. Both are in the one starter jar; each
 * auto-configuration is skipped unless its Boot's health API is on the class path.
 *
 * <p>Thread-safe.
 *
 * @since 0.1.0
 */
public class LlmRouterBoot4HealthIndicator extends AbstractHealthIndicator {

    private final Router router;

    /**
     * The health of {@code router}.
     *
     * @param router the router
     */
    public LlmRouterBoot4HealthIndicator(Router router) {
        super("llmrouter health check failed");
        this.router = Objects.requireNonNull(router, "router");
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        RouterHealth health = RouterHealth.of(router);
        Health.Builder status = switch (health.state()) {
            case UP -> builder.up();
            case DOWN -> builder.down();
            case OUT_OF_SERVICE -> builder.outOfService();
        };
        status.withDetails(health.details());
    }
}
