package io.llmrouter.api.chat;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the router served a response: the model group asked for, the group and deployment that
 * answered, the provider route, and every attempt made on the way (failed ones first, the
 * successful one last). A {@linkplain #isDegraded() degraded answer} (the model group's answer of
 * last resort, given when every deployment and fallback failed) has only failed attempts.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class RoutingInfo {

    /**
     * The {@link #deploymentId()} and {@link #providerRoute()} of a degraded answer: {@value}.
     *
     * @since 0.1.0
     */
    public static final String DEGRADED = "degraded";

    private final String requestedModel;
    private final String modelGroup;
    private final String deploymentId;
    private final String providerRoute;
    private final List<Attempt> attempts;
    private final boolean degraded;
    /** The interceptor that answered without a provider call, or null. */
    private final String interceptor;

    private RoutingInfo(String requestedModel, String modelGroup, String deploymentId, String providerRoute,
            List<Attempt> attempts, boolean degraded, String interceptor) {
        this.requestedModel = Objects.requireNonNull(requestedModel, "requestedModel");
        this.modelGroup = Objects.requireNonNull(modelGroup, "modelGroup");
        this.deploymentId = Objects.requireNonNull(deploymentId, "deploymentId");
        this.providerRoute = Objects.requireNonNull(providerRoute, "providerRoute");
        this.attempts = List.copyOf(attempts);
        this.degraded = degraded;
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
        return new RoutingInfo(requestedModel, modelGroup, deploymentId, providerRoute, attempts, false, null);
    }

    /**
     * The routing of a degraded answer: no deployment answered ({@link #deploymentId()} and
     * {@link #providerRoute()} are {@value #DEGRADED}); {@code attempts} are the ones that failed.
     *
     * @param requestedModel the model group the request named
     * @param modelGroup the group whose degraded answer was given
     * @param attempts every attempt, in order, all failed (possibly none)
     * @return the routing information
     * @since 0.1.0
     */
    public static RoutingInfo degraded(String requestedModel, String modelGroup, List<Attempt> attempts) {
        return new RoutingInfo(requestedModel, modelGroup, DEGRADED, DEGRADED, attempts, true, null);
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
        return new RoutingInfo(requestedModel, modelGroup, deploymentId, providerRoute, attempts, false,
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

    /** Every attempt, in order; the last one succeeded, unless the answer {@linkplain #isDegraded() is degraded}. */
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

    /**
     * Whether this is a degraded answer: the model group's answer of last resort, given because
     * every deployment and fallback failed; it was not charged.
     *
     * @since 0.1.0
     */
    public boolean isDegraded() {
        return degraded;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoutingInfo r && degraded == r.degraded && requestedModel.equals(r.requestedModel)
                && modelGroup.equals(r.modelGroup) && deploymentId.equals(r.deploymentId) && providerRoute.equals(r.providerRoute)
                && attempts.equals(r.attempts) && Objects.equals(interceptor, r.interceptor);
    }

    @Override
    public int hashCode() {
        return Objects.hash(requestedModel, modelGroup, deploymentId, providerRoute, attempts, degraded, interceptor);
    }

    @Override
    public String toString() {
        return "RoutingInfo[requested=" + requestedModel + ", group=" + modelGroup + ", deployment=" + deploymentId
                + ", route=" + providerRoute + (degraded ? ", degraded" : "")
                + (interceptor == null ? "" : ", interceptor=" + interceptor) + ", attempts=" + attempts + "]";
    }
}
