package io.llmrouter;

import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.spi.ResponseCache;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The router's response cache (LiteLLM's {@code cache=True} with {@code cache_params}): whether it
 * is on, for which model groups, where entries live, for how long, which answers are stored, and
 * the optional semantic cache. Off by default ({@link #disabled()}); {@link #builder()} starts from
 * an enabled in-memory cache with the defaults below. See {@code src-docs/caching.md}.
 *
 * <pre>{@code
 * Router router = Router.builder()
 *     .deployment(gpt4o)
 *     .cache(CachePolicy.builder().ttl(Duration.ofHours(1)).addGroup("gpt-4o").build())
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 *
 * @since 0.1.0
 */
public final class CachePolicy {

    /** How long a stored answer lives, unless a request says otherwise: 10 minutes. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);

    /** How many answers the in-memory backend keeps: {@value}. */
    public static final long DEFAULT_MAX_ENTRIES = 10_000;

    /** The in-memory backend's bound in bytes of stored values: {@value}, meaning bounded by entries only. */
    public static final long DEFAULT_MAX_WEIGHT_BYTES = 0;

    /** The finish reasons of answers that are stored: stop, length and tool calls (never content filter). */
    public static final Set<FinishReason> DEFAULT_STORED_FINISH_REASONS =
            Set.copyOf(EnumSet.of(FinishReason.STOP, FinishReason.LENGTH, FinishReason.TOOL_CALLS));

    /** Whether concurrent identical misses make one upstream call: {@value}. */
    public static final boolean DEFAULT_SINGLE_FLIGHT = true;

    /** The cosine similarity at or above which the semantic cache counts a match: {@value}. */
    public static final double DEFAULT_SEMANTIC_THRESHOLD = 0.95;

    /** How many vectors the semantic index keeps per model group and parameters: {@value}. */
    public static final int DEFAULT_SEMANTIC_MAX_ENTRIES = 1_000;

    private static final CachePolicy DISABLED = new CachePolicy(new Builder(), false);

    private final boolean enabled;
    private final Set<String> groups;
    private final Duration ttl;
    private final long maxEntries;
    private final long maxWeightBytes;
    private final Set<FinishReason> storedFinishReasons;
    private final ResponseCache backend;
    private final String namespace;
    private final boolean singleFlight;
    private final String semanticGroup;
    private final double semanticThreshold;
    private final int semanticMaxEntries;

    private CachePolicy(Builder b, boolean enabled) {
        this.enabled = enabled;
        this.groups = Set.copyOf(b.groups);
        this.ttl = b.ttl;
        this.maxEntries = b.maxEntries;
        this.maxWeightBytes = b.maxWeightBytes;
        this.storedFinishReasons = Set.copyOf(b.storedFinishReasons);
        this.backend = b.backend;
        this.namespace = b.namespace;
        this.singleFlight = b.singleFlight;
        this.semanticGroup = b.semanticGroup;
        this.semanticThreshold = b.semanticThreshold;
        this.semanticMaxEntries = b.semanticMaxEntries;
    }

    /**
     * No response cache: the router's default. The request path then pays one branch for it.
     *
     * @return the disabled policy
     */
    public static CachePolicy disabled() {
        return DISABLED;
    }

    /**
     * A builder of an enabled cache: every model group, in memory, with the {@code DEFAULT_*} values.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this policy's values (a disabled policy's builder builds an enabled one).
     *
     * @return the builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.groups.addAll(groups);
        b.ttl = ttl;
        b.maxEntries = maxEntries;
        b.maxWeightBytes = maxWeightBytes;
        b.storedFinishReasons = EnumSet.noneOf(FinishReason.class);
        b.storedFinishReasons.addAll(storedFinishReasons);
        b.backend = backend;
        b.namespace = namespace;
        b.singleFlight = singleFlight;
        b.semanticGroup = semanticGroup;
        b.semanticThreshold = semanticThreshold;
        b.semanticMaxEntries = semanticMaxEntries;
        return b;
    }

    /** Whether the response cache is on. */
    public boolean isEnabled() {
        return enabled;
    }

    /** The model groups whose requests are cached; empty: every group. */
    public Set<String> groups() {
        return groups;
    }

    /**
     * Whether requests naming {@code modelGroup} are cached.
     *
     * @param modelGroup the group a request names
     * @return true when the cache is on and the group opted in
     */
    public boolean covers(String modelGroup) {
        return enabled && (groups.isEmpty() || groups.contains(modelGroup));
    }

    /** How long a stored answer lives, unless a request's {@link RequestOptions#cacheTtl()} says otherwise. */
    public Duration ttl() {
        return ttl;
    }

    /** How many answers the in-memory backend keeps (ignored with {@link #maxWeightBytes()} set or another backend). */
    public long maxEntries() {
        return maxEntries;
    }

    /** The in-memory backend's bound on the bytes of stored values; 0: bounded by {@link #maxEntries()}. */
    public long maxWeightBytes() {
        return maxWeightBytes;
    }

    /** The finish reasons an answer's every choice must have to be stored. */
    public Set<FinishReason> storedFinishReasons() {
        return storedFinishReasons;
    }

    /** The backend; empty: the router's own in-memory (Caffeine) cache. */
    public Optional<ResponseCache> backend() {
        return Optional.ofNullable(backend);
    }

    /** The namespace of every key, unless a request's {@link RequestOptions#cacheNamespace()} says otherwise. */
    public Optional<String> namespace() {
        return Optional.ofNullable(namespace);
    }

    /** Whether concurrent identical misses make one upstream call. */
    public boolean singleFlight() {
        return singleFlight;
    }

    /** The embedding model group of the semantic cache; empty: no semantic cache. */
    public Optional<String> semanticGroup() {
        return Optional.ofNullable(semanticGroup);
    }

    /** The cosine similarity at or above which the semantic cache counts a match. */
    public double semanticThreshold() {
        return semanticThreshold;
    }

    /** How many vectors the semantic index keeps (and scores) per model group and parameters. */
    public int semanticMaxEntries() {
        return semanticMaxEntries;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CachePolicy p && enabled == p.enabled && groups.equals(p.groups) && ttl.equals(p.ttl)
                && maxEntries == p.maxEntries && maxWeightBytes == p.maxWeightBytes
                && storedFinishReasons.equals(p.storedFinishReasons) && Objects.equals(backend, p.backend)
                && Objects.equals(namespace, p.namespace) && singleFlight == p.singleFlight
                && Objects.equals(semanticGroup, p.semanticGroup)
                && Double.compare(semanticThreshold, p.semanticThreshold) == 0
                && semanticMaxEntries == p.semanticMaxEntries;
    }

    @Override
    public int hashCode() {
        return Objects.hash(enabled, groups, ttl, maxEntries, maxWeightBytes, storedFinishReasons, backend, namespace,
                singleFlight, semanticGroup, semanticThreshold, semanticMaxEntries);
    }

    @Override
    public String toString() {
        if (!enabled) {
            return "CachePolicy[disabled]";
        }
        return "CachePolicy[groups=" + (groups.isEmpty() ? "all" : groups) + ", ttl=" + ttl + ", backend="
                + (backend == null ? "in-memory" : backend.description()) + ", maxEntries=" + maxEntries
                + (maxWeightBytes > 0 ? ", maxWeightBytes=" + maxWeightBytes : "") + ", stored="
                + storedFinishReasons + ", singleFlight=" + singleFlight
                + (namespace == null ? "" : ", namespace=" + namespace)
                + (semanticGroup == null ? "" : ", semantic=" + semanticGroup + "@" + semanticThreshold) + "]";
    }

    /** Builds an enabled {@link CachePolicy}; not thread-safe. */
    public static final class Builder {
        private final Set<String> groups = new LinkedHashSet<>();
        private Duration ttl = DEFAULT_TTL;
        private long maxEntries = DEFAULT_MAX_ENTRIES;
        private long maxWeightBytes = DEFAULT_MAX_WEIGHT_BYTES;
        private EnumSet<FinishReason> storedFinishReasons = EnumSet.copyOf(DEFAULT_STORED_FINISH_REASONS);
        private ResponseCache backend;
        private String namespace;
        private boolean singleFlight = DEFAULT_SINGLE_FLIGHT;
        private String semanticGroup;
        private double semanticThreshold = DEFAULT_SEMANTIC_THRESHOLD;
        private int semanticMaxEntries = DEFAULT_SEMANTIC_MAX_ENTRIES;

        private Builder() {
        }

        /**
         * Opts one model group in; with none added, every group is cached.
         *
         * @param modelGroup the group (checked against the router's groups when it is built)
         * @return this builder
         */
        public Builder addGroup(String modelGroup) {
            groups.add(nonBlank(modelGroup, "modelGroup"));
            return this;
        }

        /**
         * Replaces the opted-in model groups; empty: every group.
         *
         * @param modelGroups the groups
         * @return this builder
         */
        public Builder groups(Collection<String> modelGroups) {
            Objects.requireNonNull(modelGroups, "modelGroups");
            groups.clear();
            modelGroups.forEach(this::addGroup);
            return this;
        }

        /**
         * How long a stored answer lives; default {@link #DEFAULT_TTL}.
         *
         * @param ttl positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder ttl(Duration ttl) {
            this.ttl = positive(ttl, "ttl");
            return this;
        }

        /**
         * How many answers the in-memory backend keeps; default {@value #DEFAULT_MAX_ENTRIES}.
         *
         * @param maxEntries positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxEntries(long maxEntries) {
            if (maxEntries <= 0) {
                throw new IllegalArgumentException("maxEntries must be positive, was " + maxEntries);
            }
            this.maxEntries = maxEntries;
            return this;
        }

        /**
         * Bounds the in-memory backend by the bytes of its stored values instead of by entries;
         * default {@value #DEFAULT_MAX_WEIGHT_BYTES} (by entries).
         *
         * @param maxWeightBytes at least 0
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder maxWeightBytes(long maxWeightBytes) {
            if (maxWeightBytes < 0) {
                throw new IllegalArgumentException("maxWeightBytes must not be negative, was " + maxWeightBytes);
            }
            this.maxWeightBytes = maxWeightBytes;
            return this;
        }

        /**
         * The finish reasons an answer's every choice must have to be stored; default
         * {@link #DEFAULT_STORED_FINISH_REASONS}. Errors and interrupted streams are never stored.
         *
         * @param reasons the reasons, not empty
         * @return this builder
         * @throws IllegalArgumentException if empty
         */
        public Builder storedFinishReasons(Collection<FinishReason> reasons) {
            Objects.requireNonNull(reasons, "reasons");
            if (reasons.isEmpty()) {
                throw new IllegalArgumentException("storedFinishReasons must not be empty");
            }
            reasons.forEach(r -> Objects.requireNonNull(r, "reason"));
            this.storedFinishReasons = EnumSet.copyOf(reasons);
            return this;
        }

        /**
         * Where entries live; default the router's own in-memory (Caffeine) cache bounded by
         * {@link #maxEntries(long)} or {@link #maxWeightBytes(long)}.
         *
         * @param backend the backend, e.g. {@code RedisResponseCache}
         * @return this builder
         */
        public Builder backend(ResponseCache backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        /**
         * The namespace of every key (separates applications sharing one backend); default none.
         *
         * @param namespace letters, digits, {@code - _ .}; at most 64 characters
         * @return this builder
         * @throws IllegalArgumentException if it has other characters or is too long
         */
        public Builder namespace(String namespace) {
            this.namespace = checkNamespace(namespace);
            return this;
        }

        /**
         * Whether concurrent identical misses make one upstream call (the others wait for it, each
         * within its own deadline); default {@value #DEFAULT_SINGLE_FLIGHT}.
         *
         * @param singleFlight whether to
         * @return this builder
         */
        public Builder singleFlight(boolean singleFlight) {
            this.singleFlight = singleFlight;
            return this;
        }

        /**
         * Turns the semantic cache on: after an exact miss, the request's text is embedded through
         * {@code embeddingGroup} (one of the router's own groups) and a stored answer of the same
         * model group and parameters whose vector has a cosine similarity of at least
         * {@link #semanticThreshold(double)} is served.
         *
         * @param embeddingGroup the router's embedding model group
         * @return this builder
         */
        public Builder semantic(String embeddingGroup) {
            this.semanticGroup = nonBlank(embeddingGroup, "embeddingGroup");
            return this;
        }

        /**
         * The semantic cache's threshold; default {@value #DEFAULT_SEMANTIC_THRESHOLD}.
         *
         * @param threshold in (0, 1]
         * @return this builder
         * @throws IllegalArgumentException if outside (0, 1]
         */
        public Builder semanticThreshold(double threshold) {
            if (!(threshold > 0 && threshold <= 1)) {
                throw new IllegalArgumentException("semanticThreshold must be in (0, 1], was " + threshold);
            }
            this.semanticThreshold = threshold;
            return this;
        }

        /**
         * How many vectors the semantic index keeps and scores (exactly) per model group and
         * parameters; default {@value #DEFAULT_SEMANTIC_MAX_ENTRIES}.
         *
         * @param maxEntries positive, at most 100000
         * @return this builder
         * @throws IllegalArgumentException if outside [1, 100000]
         */
        public Builder semanticMaxEntries(int maxEntries) {
            if (maxEntries <= 0 || maxEntries > 100_000) {
                throw new IllegalArgumentException("semanticMaxEntries must be in [1, 100000], was " + maxEntries);
            }
            this.semanticMaxEntries = maxEntries;
            return this;
        }

        /**
         * The enabled policy.
         *
         * @return the policy
         */
        public CachePolicy build() {
            return new CachePolicy(this, true);
        }
    }

    /** Checks a namespace: it becomes part of every key. */
    static String checkNamespace(String namespace) {
        Objects.requireNonNull(namespace, "namespace");
        if (namespace.isEmpty() || namespace.length() > 64 || !namespace.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("namespace must be 1-64 letters, digits, '-', '_' or '.', was '"
                    + namespace + "'");
        }
        return namespace;
    }

    private static String nonBlank(String value, String field) {
        Objects.requireNonNull(value, field);
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank, was '" + value + "'");
        }
        return value;
    }

    private static Duration positive(Duration d, String field) {
        Objects.requireNonNull(d, field);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, was " + d);
        }
        return d;
    }
}
