package io.llmrouter;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A live change to a running {@link Router}: a new deployment list, fallback policy and aliases,
 * each optional (what is left unset stays as it is), applied atomically by
 * {@link Router#apply(RouterChange)}.
 *
 * <pre>{@code
 * router.apply(RouterChange.builder()
 *     .deployments(List.of(primary, canary))
 *     .fallbackPolicy(FallbackPolicy.builder().fallbacks("gpt-4o", "claude").build())
 *     .build());
 * }</pre>
 *
 * <p>Immutable and thread-safe; its builder is not.
 *
 * @since 0.1.0
 */
public final class RouterChange {

    private final List<Deployment> deployments;
    private final FallbackPolicy fallbackPolicy;
    private final Map<String, String> aliases;
    private final Set<String> hiddenAliases;

    private RouterChange(Builder b) {
        this.deployments = b.deployments == null ? null : List.copyOf(b.deployments);
        this.fallbackPolicy = b.fallbackPolicy;
        this.aliases = b.aliases == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(b.aliases));
        this.hiddenAliases = Set.copyOf(b.hiddenAliases);
    }

    /** A new builder of an empty change. */
    public static Builder builder() {
        return new Builder();
    }

    /** The whole new deployment list, or empty to keep the current one. */
    public Optional<List<Deployment>> deployments() {
        return Optional.ofNullable(deployments);
    }

    /** The new fallback policy, or empty to keep the current one. */
    public Optional<FallbackPolicy> fallbackPolicy() {
        return Optional.ofNullable(fallbackPolicy);
    }

    /** The new aliases (alias to model group, in definition order), or empty to keep the current ones. */
    public Optional<Map<String, String>> aliases() {
        return Optional.ofNullable(aliases);
    }

    /** Which of {@link #aliases()} {@link Router#modelGroups()} leaves out; empty when none. */
    public Set<String> hiddenAliases() {
        return hiddenAliases;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RouterChange c && Objects.equals(deployments, c.deployments)
                && Objects.equals(fallbackPolicy, c.fallbackPolicy) && Objects.equals(aliases, c.aliases)
                && hiddenAliases.equals(c.hiddenAliases);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deployments, fallbackPolicy, aliases, hiddenAliases);
    }

    @Override
    public String toString() {
        return "RouterChange[deployments=" + (deployments == null ? "unchanged" : deployments.size())
                + ", fallbackPolicy=" + (fallbackPolicy == null ? "unchanged" : fallbackPolicy)
                + ", aliases=" + (aliases == null ? "unchanged" : aliases) + "]";
    }

    /**
     * Builds a {@link RouterChange}; not thread-safe.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private List<Deployment> deployments;
        private FallbackPolicy fallbackPolicy;
        private Map<String, String> aliases;
        private final Set<String> hiddenAliases = new HashSet<>();

        private Builder() {
        }

        /**
         * The whole new deployment list (LiteLLM's {@code set_model_list}): deployments of the
         * running router missing from it are removed.
         *
         * @param deployments the deployments, in definition order
         * @return this builder
         */
        public Builder deployments(Collection<Deployment> deployments) {
            this.deployments = new ArrayList<>(Objects.requireNonNull(deployments, "deployments"));
            this.deployments.forEach(d -> Objects.requireNonNull(d, "deployment"));
            return this;
        }

        /**
         * The new fallback policy.
         *
         * @param fallbackPolicy the policy
         * @return this builder
         */
        public Builder fallbackPolicy(FallbackPolicy fallbackPolicy) {
            this.fallbackPolicy = Objects.requireNonNull(fallbackPolicy, "fallbackPolicy");
            return this;
        }

        /**
         * Adds an alias to the new alias set, which replaces the running router's aliases; see
         * {@link Router.Builder#alias(String, String, boolean)}.
         *
         * @param alias the name callers may use; must not be a model group
         * @param modelGroup the group it resolves to; must exist after the change
         * @param hidden whether {@link Router#modelGroups()} leaves it out
         * @return this builder
         * @throws IllegalArgumentException if a name is blank
         */
        public Builder alias(String alias, String modelGroup, boolean hidden) {
            Objects.requireNonNull(alias, "alias");
            Objects.requireNonNull(modelGroup, "modelGroup");
            if (alias.isBlank() || modelGroup.isBlank()) {
                throw new IllegalArgumentException("alias and modelGroup must not be blank: '" + alias + "' -> '"
                        + modelGroup + "'");
            }
            if (aliases == null) {
                aliases = new LinkedHashMap<>();
            }
            aliases.put(alias, modelGroup);
            if (hidden) {
                hiddenAliases.add(alias);
            } else {
                hiddenAliases.remove(alias);
            }
            return this;
        }

        /**
         * Removes every alias of the running router (unless {@link #alias} adds new ones).
         *
         * @return this builder
         */
        public Builder noAliases() {
            aliases = new LinkedHashMap<>();
            hiddenAliases.clear();
            return this;
        }

        /** Builds the change. */
        public RouterChange build() {
            return new RouterChange(this);
        }
    }
}
