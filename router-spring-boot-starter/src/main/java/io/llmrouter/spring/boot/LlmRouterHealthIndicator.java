package io.llmrouter.spring.boot;

import io.llmrouter.DeploymentStatus;
import io.llmrouter.Router;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * The router's health: {@code DOWN} only when some model group has no deployment in rotation (all
 * of its deployments cooling down), {@code UP} otherwise, since the router routes around a single
 * failing deployment. Details: each deployment's state, model group, cooldown end and calls in
 * flight, and the groups without an available deployment. No API key, URL or header is shown.
 *
 * <p>Thread-safe.
 *
 * @since 0.1.0
 */
public class LlmRouterHealthIndicator extends AbstractHealthIndicator {

    private final Router router;

    /**
     * The health of {@code router}.
     *
     * @param router the router
     */
    public LlmRouterHealthIndicator(Router router) {
        super("llmrouter health check failed");
        this.router = Objects.requireNonNull(router, "router");
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Map<String, Object> deployments = new LinkedHashMap<>();
        Map<String, Boolean> groupAvailable = new LinkedHashMap<>();
        for (DeploymentStatus s : router.deploymentStatuses()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("modelGroup", s.modelGroup());
            d.put("state", s.state().name());
            s.coolingUntil().ifPresent(until -> d.put("coolingUntil", until.toString()));
            d.put("inFlight", s.inFlight());
            d.put("recentFailures", s.recentFailures());
            deployments.put(s.deploymentId(), d);
            groupAvailable.merge(s.modelGroup(), s.state() != DeploymentStatus.State.COOLING_DOWN, Boolean::logicalOr);
        }
        List<String> unavailable = new ArrayList<>();
        groupAvailable.forEach((group, available) -> {
            if (!available) {
                unavailable.add(group);
            }
        });
        if (router.isClosed()) {
            builder.outOfService();
        } else if (unavailable.isEmpty()) {
            builder.up();
        } else {
            builder.down();
        }
        builder.withDetail("unavailableModelGroups", unavailable).withDetail("deployments", deployments);
    }
}
