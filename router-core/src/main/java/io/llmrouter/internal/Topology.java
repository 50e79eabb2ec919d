package io.llmrouter.internal;

import io.llmrouter.Deployment;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a running router routes over, as one immutable snapshot: the settings with the current
 * deployments and fallback policy, the model groups, the wildcard routes (and the groups made from
 * them so far), the deployments by id and the aliases. {@link RouterEngine} holds the current one
 * in a volatile field; a live change builds a new one (keeping the states of unchanged
 * deployments) and publishes it with one write, so a request reads a consistent snapshot with one
 * volatile read and no lock.
 *
 * <p>The two maps that grow while requests run ({@link #wildcardModels}, {@link #byId} for the
 * deployments made from wildcards) are concurrent; everything else is unmodifiable.
 */
final class Topology {

    /** The router's settings with this topology's deployments and fallback policy. */
    final RouterSettings settings;
    /** The model groups, by name, in definition order (wildcard routes included). */
    final Map<String, ModelGroup> groups;
    /** The wildcard groups ({@code openai/*}, {@code *}), most specific (longest prefix) first; often empty. */
    final List<ModelGroup> wildcards;
    /** The groups made for model names that wildcards serve, by requested name (at most {@link RouterEngine#MAX_WILDCARD_MODELS}). */
    final Map<String, ModelGroup> wildcardModels;
    /** Every deployment by id, those made from wildcards included. */
    final Map<String, DeploymentState> byId;
    /** The deployments with their effective ids, in definition order. */
    final List<Deployment> deployments;
    /** Alias to model group (LiteLLM's {@code model_group_alias}); empty when none. */
    final Map<String, String> aliases;
    /** The groups, in definition order, followed by the aliases that are not hidden. */
    final Set<String> listedGroups;

    Topology(RouterSettings settings, Map<String, ModelGroup> groups, List<ModelGroup> wildcards,
            Map<String, ModelGroup> wildcardModels, Map<String, DeploymentState> byId, List<Deployment> deployments,
            Map<String, String> aliases, Set<String> listedGroups) {
        this.settings = settings;
        this.groups = groups;
        this.wildcards = wildcards;
        this.wildcardModels = wildcardModels;
        this.byId = byId;
        this.deployments = deployments;
        this.aliases = aliases;
        this.listedGroups = listedGroups;
    }
}
