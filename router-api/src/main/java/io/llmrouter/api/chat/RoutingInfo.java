package io.llmrouter.api.chat;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the router served a response: the model group asked for, the group and deployment that
 * answered, the provider route, and every attempt made on the way (failed ones first, the
 * successful one last).
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class RoutingInfo {

    private final String requestedModel;
    private final String modelGroup;
    private final String deploymentId;
    private final String providerRoute;
    private final List<Attempt> attempts;
    /** The interceptor that answered without a provider call, or null. */
    private final String interceptor;

    private RoutingInfo(String requestedModel, String modelGroup, String deploymentId, String providerRoute,
            List<Attempt> attempts, String interceptor) {
        this.requestedModel = Objects.requireNonNull(requestedModel, "requestedModel");
        this.modelGroup = Objects.requireNonNull(modelGroup, "modelGroup");
        this.deploymentId = Objects.requireNonNull(deploymentId, "deploymentId");
        this.providerRoute = Objects.requireNonNull(providerRoute, "providerRoute");
        this.attempts = List.copyOf(attempts);
        this.interceptor = interceptor;
    }

    /**
     * @param requestedModel the model group the request named
     * @param modelGroup the group that answered (differs after a fallback)
     * @param deploymentId the deployment that answered
     * @param providerRoute its provider route, e.g. {@code openai/gpt-4o}
     * @param attempts every attempt, in order
     * @return the routing information
     */
    public static RoutingInfo of(String requestedModel, String modelGroup, String deploymentId, String providerRoute,
            List<Attempt> attempts) {
        return new RoutingInfo(requestedModel, modelGroup, deploymentId, providerRoute, attempts, null);
    }

    /**
     * The routing of an answer that a request interceptor gave itself, without calling the provider.
     *
     * @param requestedModel the model group the request named
     * @param modelGroup the group of the attempt the interceptor answered
     * @param deploymentId the deployment chosen for that attempt (not called)
     * @param providerRoute its provider route
     * @param attempts every attempt, in order (the last one is the interceptor's answer)
     * @param interceptor the name of the interceptor that answered
     * @return the routing information
     * @since 0.1.0
     */
    public static RoutingInfo ofInterceptor(String requestedModel, String modelGroup, String deploymentId,
            String providerRoute, List<Attempt> attempts, String interceptor) {
        return new RoutingInfo(requestedModel, modelGroup, deploymentId, providerRoute, attempts,
                Objects.requireNonNull(interceptor, "interceptor"));
    }

    /** The model group the request named. */
    public String requestedModel() {
        return requestedModel;
    }

    /** The model group that answered. */
    public String modelGroup() {
        return modelGroup;
    }

    /** The deployment that answered. */
    public String deploymentId() {
        return deploymentId;
    }

    /** The provider route of the deployment that answered. */
    public String providerRoute() {
        return providerRoute;
    }

    /** Every attempt, in order; the last one succeeded. */
    public List<Attempt> attempts() {
        return attempts;
    }

    /**
     * The name of the request interceptor that answered the request itself, when one did (then no
     * provider was called for the last attempt).
     *
     * @since 0.1.0
     */
    public Optional<String> interceptor() {
        return Optional.ofNullable(interceptor);
    }

    /** Whether the answer came from a fallback group rather than the one requested. */
    public boolean isFallback() {
        return !requestedModel.equals(modelGroup);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoutingInfo r && requestedModel.equals(r.requestedModel) && modelGroup.equals(r.modelGroup)
                && deploymentId.equals(r.deploymentId) && providerRoute.equals(r.providerRoute)
                && attempts.equals(r.attempts) && Objects.equals(interceptor, r.interceptor);
    }

    @Override
    public int hashCode() {
        return Objects.hash(requestedModel, modelGroup, deploymentId, providerRoute, attempts, interceptor);
    }

    @Override
    public String toString() {
        return "RoutingInfo[requested=" + requestedModel + ", group=" + modelGroup + ", deployment=" + deploymentId
                + ", route=" + providerRoute + (interceptor == null ? "" : ", interceptor=" + interceptor)
                + ", attempts=" + attempts + "]";
    }
}
