package io.llmrouter;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which model groups to try when a group fails (LiteLLM's {@code fallbacks},
 * {@code default_fallbacks}, {@code context_window_fallbacks} and
 * {@code content_policy_fallbacks}).
 *
 * <pre>{@code
 * FallbackPolicy policy = FallbackPolicy.builder()
 *     .fallbacks("gpt-4o", "claude", "gemini")          // gpt-4o failed: claude, then gemini
 *     .contextWindowFallbacks("gpt-4o", "gpt-4o-128k")  // prompt too long: a larger window
 *     .defaultFallbacks("gpt-4o-mini")                  // every group without its own list
 *     .build();
 * Router.builder().fallbackPolicy(policy);
 * }</pre>
 *
 * <p>The list is chosen by the kind of the failed group's last failure: a
 * {@link io.llmrouter.api.exception.ContextWindowExceededException} takes the group's
 * context-window list, a {@link io.llmrouter.api.exception.ContentPolicyViolationException} (or an
 * answer stopped by a content filter) its content-policy list, when it has one; anything else (and
 * those two without such a list) the group's general list, else the default list. The first group
 * of the list not yet tried in the request is next.
 *
 * <p><b>Fallbacks nest</b> (as LiteLLM's do): when a fallback group fails, its own list applies
 * in turn, before the rest of the list that led to it; the requested group's fallbacks are at depth
 * 1, theirs at depth 2, and groups deeper than {@link #maxDepth()} (default
 * {@value #DEFAULT_MAX_DEPTH}) are not tried. Each group is tried at most once per request, so
 * fallback chains cannot loop. When every group tried fails, the caller gets an exception of the
 * requested group's error type, whose message names the groups tried and the last error, and whose
 * {@code attempts()} hold every attempt (a {@link io.llmrouter.api.exception.BudgetExceededException}
 * is raised as it is).
 *
 * <p><b>An unknown model group</b>: when the request names a group the router does not have and
 * there are default fallbacks, the request goes to them (as LiteLLM passes the unknown-model error
 * through its fallbacks), unless {@link Builder#fallbackFromUnknownGroups(boolean)} is off; without
 * default fallbacks, or with it off, the request fails at once with a
 * {@link io.llmrouter.api.exception.BadRequestException} (status 400).
 *
 * <p><b>A request's policy</b> ({@link RequestOptions.Builder#fallbackPolicy(FallbackPolicy)}) is
 * laid over the router's by {@link #overriddenBy(FallbackPolicy)}: each group's list it sets
 * replaces the router's list for that group, its {@code maxDepth} replaces the router's; a request's
 * policy that sets {@code defaultFallbacks} replaces the router's general lists as a whole (so
 * {@code defaultFallbacks("b")} on a request means "fall back to b, whatever group was asked", and
 * {@code defaultFallbacks()} means no general fallback).
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe. Two policies are equal when they
 * set the same properties to the same values.
 *
 * @since 0.1.0
 */
public final class FallbackPolicy {

    /**
     * Default deepest fallback nesting: {@value} (LiteLLM's {@code max_fallbacks}): the requested
     * group's fallbacks are depth 1, their own fallbacks depth 2, and so on.
     */
    public static final int DEFAULT_MAX_DEPTH = 5;

    /**
     * Default for sending a request for an unknown model group to the default fallbacks:
     * {@value} (as LiteLLM).
     */
    public static final boolean DEFAULT_FALLBACK_FROM_UNKNOWN_GROUPS = true;

    private static final FallbackPolicy DEFAULTS = new Builder().build();

    private final Map<String, List<String>> general;
    private final List<String> defaults;
    private final boolean defaultsSet;
    private final Map<String, List<String>> contextWindow;
    private final Map<String, List<String>> contentPolicy;
    private final int maxDepth;
    private final boolean maxDepthSet;
    private final boolean fromUnknownGroups;
    private final boolean fromUnknownGroupsSet;

    private FallbackPolicy(Builder b) {
        this.general = Collections.unmodifiableMap(new LinkedHashMap<>(b.general));
        this.defaults = b.defaults;
        this.defaultsSet = b.defaultsSet;
        this.contextWindow = Collections.unmodifiableMap(new LinkedHashMap<>(b.contextWindow));
        this.contentPolicy = Collections.unmodifiableMap(new LinkedHashMap<>(b.contentPolicy));
        this.maxDepth = b.maxDepth;
        this.maxDepthSet = b.maxDepthSet;
        this.fromUnknownGroups = b.fromUnknownGroups;
        this.fromUnknownGroupsSet = b.fromUnknownGroupsSet;
    }

    /** The policy with no fallbacks. */
    public static FallbackPolicy defaults() {
        return DEFAULTS;
    }

    /** A new builder, with no fallbacks. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this policy's settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The general fallback list of each group that has its own, in the order they were set. */
    public Map<String, List<String>> fallbacks() {
        return general;
    }

    /** The fallback list for every group without its own general list; default none. */
    public List<String> defaultFallbacks() {
        return defaults;
    }

    /** The list of each group that has one for context-window errors. */
    public Map<String, List<String>> contextWindowFallbacks() {
        return contextWindow;
    }

    /** The list of each group that has one for content-policy errors and filtered answers. */
    public Map<String, List<String>> contentPolicyFallbacks() {
        return contentPolicy;
    }

    /**
     * The deepest fallback nesting one request goes to (1: only the requested group's fallbacks);
     * default {@value #DEFAULT_MAX_DEPTH}.
     */
    public int maxDepth() {
        return maxDepth;
    }

    /**
     * Whether a request for a model group the router does not have goes to the default fallbacks
     * (when there are any) instead of failing at once; default
     * {@value #DEFAULT_FALLBACK_FROM_UNKNOWN_GROUPS}.
     */
    public boolean isFallbackFromUnknownGroups() {
        return fromUnknownGroups;
    }

    /** Every model group the policy names, as a source or as a fallback. */
    public Set<String> modelGroups() {
        Set<String> out = new LinkedHashSet<>();
        for (Map<String, List<String>> m : List.of(general, contextWindow, contentPolicy)) {
            m.forEach((g, list) -> {
                out.add(g);
                out.addAll(list);
            });
        }
        out.addAll(defaults);
        return Collections.unmodifiableSet(out);
    }

    /**
     * This policy with {@code override} laid over it, as a request's policy is laid over the
     * router's: each group's list (general, context-window, content-policy) that {@code override}
     * sets replaces this policy's list for that group, and its {@code maxDepth} and
     * {@code fallbackFromUnknownGroups}, when set, replace this one's;
     * if {@code override} sets {@code defaultFallbacks}, its general lists and default list replace
     * all of this policy's general lists and default list.
     *
     * @param override the policy whose settings win
     * @return the combined policy
     */
    public FallbackPolicy overriddenBy(FallbackPolicy override) {
        Objects.requireNonNull(override, "override");
        if (override.equals(DEFAULTS)) {
            return this;
        }
        Builder b = toBuilder();
        if (override.defaultsSet) {
            b.general.clear();
            b.defaults = override.defaults;
            b.defaultsSet = true;
        }
        b.general.putAll(override.general);
        b.contextWindow.putAll(override.contextWindow);
        b.contentPolicy.putAll(override.contentPolicy);
        if (override.maxDepthSet) {
            b.maxDepth = override.maxDepth;
            b.maxDepthSet = true;
        }
        if (override.fromUnknownGroupsSet) {
            b.fromUnknownGroups = override.fromUnknownGroups;
            b.fromUnknownGroupsSet = true;
        }
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FallbackPolicy p && general.equals(p.general) && defaults.equals(p.defaults)
                && defaultsSet == p.defaultsSet && contextWindow.equals(p.contextWindow)
                && contentPolicy.equals(p.contentPolicy) && maxDepth == p.maxDepth && maxDepthSet == p.maxDepthSet
                && fromUnknownGroups == p.fromUnknownGroups && fromUnknownGroupsSet == p.fromUnknownGroupsSet;
    }

    @Override
    public int hashCode() {
        return Objects.hash(general, defaults, defaultsSet, contextWindow, contentPolicy, maxDepth, maxDepthSet,
                fromUnknownGroups, fromUnknownGroupsSet);
    }

    @Override
    public String toString() {
        return "FallbackPolicy[fallbacks=" + general + ", defaultFallbacks=" + defaults + ", contextWindowFallbacks="
                + contextWindow + ", contentPolicyFallbacks=" + contentPolicy + ", maxDepth=" + maxDepth
                + ", fallbackFromUnknownGroups=" + fromUnknownGroups + "]";
    }

    /** Builds a {@link FallbackPolicy}; not thread-safe. */
    public static final class Builder {
        private final Map<String, List<String>> general = new LinkedHashMap<>();
        private List<String> defaults = List.of();
        private boolean defaultsSet;
        private final Map<String, List<String>> contextWindow = new LinkedHashMap<>();
        private final Map<String, List<String>> contentPolicy = new LinkedHashMap<>();
        private int maxDepth = DEFAULT_MAX_DEPTH;
        private boolean maxDepthSet;
        private boolean fromUnknownGroups = DEFAULT_FALLBACK_FROM_UNKNOWN_GROUPS;
        private boolean fromUnknownGroupsSet;

        private Builder() {
        }

        private Builder(FallbackPolicy p) {
            general.putAll(p.general);
            defaults = p.defaults;
            defaultsSet = p.defaultsSet;
            contextWindow.putAll(p.contextWindow);
            contentPolicy.putAll(p.contentPolicy);
            maxDepth = p.maxDepth;
            maxDepthSet = p.maxDepthSet;
            fromUnknownGroups = p.fromUnknownGroups;
            fromUnknownGroupsSet = p.fromUnknownGroupsSet;
        }

        /**
         * When {@code modelGroup} fails, try {@code fallbackGroups} in order; none: the group has
         * no general fallbacks (not even the default list). Replaces an earlier list of the group.
         *
         * @throws IllegalArgumentException if the list names {@code modelGroup} itself
         */
        public Builder fallbacks(String modelGroup, String... fallbackGroups) {
            general.put(Objects.requireNonNull(modelGroup, "modelGroup"), list(modelGroup, fallbackGroups, "fallbacks"));
            return this;
        }

        /** Fallback groups, in order, for every group without a general list of its own; none: no default list. */
        public Builder defaultFallbacks(String... fallbackGroups) {
            this.defaults = copy(fallbackGroups);
            this.defaultsSet = true;
            return this;
        }

        /**
         * When {@code modelGroup} fails with a
         * {@link io.llmrouter.api.exception.ContextWindowExceededException}, try these
         * (larger-context) groups in order instead of the general list.
         *
         * @throws IllegalArgumentException if the list names {@code modelGroup} itself
         */
        public Builder contextWindowFallbacks(String modelGroup, String... fallbackGroups) {
            contextWindow.put(Objects.requireNonNull(modelGroup, "modelGroup"),
                    list(modelGroup, fallbackGroups, "contextWindowFallbacks"));
            return this;
        }

        /**
         * When {@code modelGroup} fails with a
         * {@link io.llmrouter.api.exception.ContentPolicyViolationException}, or answers with every
         * choice stopped by a content filter (finish reason
         * {@link io.llmrouter.api.chat.FinishReason#CONTENT_FILTER}, with nothing streamed to the
         * caller yet), try these groups in order instead of the general list. Without this list a
         * filtered answer is returned as it is.
         *
         * @throws IllegalArgumentException if the list names {@code modelGroup} itself
         */
        public Builder contentPolicyFallbacks(String modelGroup, String... fallbackGroups) {
            contentPolicy.put(Objects.requireNonNull(modelGroup, "modelGroup"),
                    list(modelGroup, fallbackGroups, "contentPolicyFallbacks"));
            return this;
        }

        /**
         * The deepest fallback nesting one request goes to, 0 or more: 0 no fallback at all, 1 only
         * the requested group's fallbacks, 2 also their own fallbacks, ...; default
         * {@value #DEFAULT_MAX_DEPTH}. Each group is tried at most once per request at any depth.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder maxDepth(int maxDepth) {
            if (maxDepth < 0) {
                throw new IllegalArgumentException("maxDepth must not be negative, was " + maxDepth);
            }
            this.maxDepth = maxDepth;
            this.maxDepthSet = true;
            return this;
        }

        /**
         * Whether a request for a model group the router does not have goes to the default
         * fallbacks (when there are any); off: it fails at once with a
         * {@link io.llmrouter.api.exception.BadRequestException}. Default
         * {@value #DEFAULT_FALLBACK_FROM_UNKNOWN_GROUPS}.
         */
        public Builder fallbackFromUnknownGroups(boolean enabled) {
            this.fromUnknownGroups = enabled;
            this.fromUnknownGroupsSet = true;
            return this;
        }

        /** The policy. */
        public FallbackPolicy build() {
            return new FallbackPolicy(this);
        }

        private static List<String> list(String modelGroup, String[] fallbackGroups, String field) {
            List<String> list = copy(fallbackGroups);
            if (list.contains(modelGroup)) {
                throw new IllegalArgumentException(field + " of '" + modelGroup + "' names the group itself");
            }
            return list;
        }

        private static List<String> copy(String[] groups) {
            Objects.requireNonNull(groups, "fallbackGroups");
            return List.copyOf(Arrays.asList(groups));
        }
    }
}
