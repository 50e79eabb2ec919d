package io.llmrouter.spi;

import java.util.OptionalInt;
import java.util.Set;

/**
 * A read-only view of one deployment that a {@link RoutingStrategy} may choose: its definition
 * and its live state. Candidates that are cooling down or filtered out are never shown.
 *
 * @since 0.1.0
 */
public interface DeploymentCandidate {

    /** The deployment's unique id. */
    String id();

    /** The model group (alias) it serves. */
    String modelGroup();

    /** Its provider route, e.g. {@code openai/gpt-4o}. */
    String providerRoute();

    /** Its relative weight for weighted strategies (default 1). */
    int weight();

    /** Its priority: lower orders are used first (default 0). */
    int order();

    /** Its tags. */
    Set<String> tags();

    /** Its requests-per-minute limit, when set. */
    OptionalInt rpm();

    /** Its tokens-per-minute limit, when set. */
    OptionalInt tpm();

    /** Calls to it in flight right now. */
    int inFlight();
}
