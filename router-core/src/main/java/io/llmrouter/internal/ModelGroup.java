package io.llmrouter.internal;

import io.github.resilience4j.retry.Retry;
import java.util.List;

/**
 * One model group: its deployments (definition order) and the retry policy that runs attempts
 * over them.
 */
final class ModelGroup {

    private final String name;
    private final List<DeploymentState> deployments;
    private Retry retry;

    ModelGroup(String name, List<DeploymentState> deployments) {
        this.name = name;
        this.deployments = List.copyOf(deployments);
    }

    String name() {
        return name;
    }

    List<DeploymentState> deployments() {
        return deployments;
    }

    Retry retry() {
        return retry;
    }

    void retry(Retry retry) {
        this.retry = retry;
    }
}
