package io.llmrouter.spring.boot.internal;

import io.llmrouter.DeploymentStatus;
import io.llmrouter.Router;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The router's health, independent of Spring Boot's health API (which Boot 4 moved to another
 * package), so the Boot 3 and Boot 4 health indicators report the same thing: {@link State#DOWN}
 * only when some model group has no deployment in rotation (all of its deployments cooling down),
 * {@link State#OUT_OF_SERVICE} once the router is closed, {@link State#UP} otherwise. The details
 * name each deployment's model group, state, cooldown end, calls in flight and recent failures,
 * and the groups without an available deployment: never an API key, URL or header.
 *
 * <p>Internal: not API, may change in any release.
 *
 * @param state the overall state
 * @param details {@code unavailableModelGroups} (a list) and {@code deployments} (by id)
 */
public record RouterHealth(State state, Map<String, Object> details) {

    /** The overall state, mapped onto Boot's {@code Status} by each indicator. */
    public enum State {
        /** Every model group has a deployment in rotation. */
        UP,
        /** Some model group has none. */
        DOWN,
        /** The router is closed. */
        OUT_OF_SERVICE
    }

    /**
     * The health of {@code router} now.
     *
     * @param router the router
     * @return its health
     */
    public static RouterHealth of(Router router) {
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
        State state = router.isClosed() ? State.OUT_OF_SERVICE : unavailable.isEmpty() ? State.UP : State.DOWN;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("unavailableModelGroups", unavailable);
        details.put("deployments", deployments);
        return new RouterHealth(state, details);
    }
}
