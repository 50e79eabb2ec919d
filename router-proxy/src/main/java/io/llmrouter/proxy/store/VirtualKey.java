package io.llmrouter.proxy.store;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A proxy API key as the store keeps it: its SHA-256 hash (never the key), its masked name, and
 * the limits that apply to it (models, budget and budget period, rpm/tpm, expiry).
 *
 * <pre>{@code
 * String key = ApiKeys.generate();
 * VirtualKey virtualKey = VirtualKey.builderFor(key)
 *     .keyAlias("team-a-ci").addModel("gpt-4o").maxBudget(new BigDecimal("25")).budgetDuration(Duration.ofDays(30))
 *     .build();
 * store.keys().insert(virtualKey);
 * }</pre>
 *
 * <p>Instants are kept to the microsecond (what both databases store), so a key read back equals
 * the key written. Money is compared with {@link BigDecimal#compareTo}: {@code 1.0} equals
 * {@code 1}. Instances are immutable and thread-safe; builders are not thread-safe.
 *
 * @since 0.1.0
 */
public final class VirtualKey {

    private final String tokenHash;
    private final String keyName;
    private final String keyAlias;
    private final List<String> models;
    private final BigDecimal maxBudget;
    private final Duration budgetDuration;
    private final Instant budgetResetAt;
    private final BigDecimal spend;
    private final long rpmLimit;
    private final long tpmLimit;
    private final Instant expires;
    private final String userId;
    private final String teamId;
    private final Map<String, Object> metadata;
    private final boolean blocked;
    private final Instant createdAt;
    private final Instant updatedAt;

    private VirtualKey(Builder b) {
        this.tokenHash = b.tokenHash;
        this.keyName = b.keyName;
        this.keyAlias = b.keyAlias;
        this.models = List.copyOf(b.models);
        this.maxBudget = b.maxBudget;
        this.budgetDuration = b.budgetDuration;
        this.budgetResetAt = b.budgetResetAt;
        this.spend = b.spend;
        this.rpmLimit = b.rpmLimit;
        this.tpmLimit = b.tpmLimit;
        this.expires = b.expires;
        this.userId = b.userId;
        this.teamId = b.teamId;
        this.metadata = JsonValues.copyObject(b.metadata, "metadata");
        this.blocked = b.blocked;
        this.createdAt = b.createdAt != null ? b.createdAt : micros(Instant.now());
        this.updatedAt = b.updatedAt != null ? b.updatedAt : this.createdAt;
    }

    /**
     * A builder for a key known by its hash and masked name (as the store reads it).
     *
     * @param tokenHash the lower-case hex SHA-256 of the key ({@link ApiKeys#hash})
     * @param keyName the masked key ({@link ApiKeys#mask})
     * @return the builder
     * @throws IllegalArgumentException if {@code tokenHash} is not 64 lower-case hex characters
     */
    public static Builder builder(String tokenHash, String keyName) {
        return new Builder(tokenHash, keyName);
    }

    /**
     * A builder for the given key: its hash and masked name; the key itself is not kept.
     *
     * @param apiKey the key, e.g. from {@link ApiKeys#generate()}
     * @return the builder
     */
    public static Builder builderFor(String apiKey) {
        return new Builder(ApiKeys.hash(apiKey), ApiKeys.mask(apiKey));
    }

    /** A builder with this key's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The lower-case hex SHA-256 of the key's UTF-8 bytes; the key itself is never stored. */
    public String tokenHash() {
        return tokenHash;
    }

    /** The masked key for display: {@code sk-...} and its last 4 characters. */
    public String keyName() {
        return keyName;
    }

    /** A unique, human-chosen name for the key. */
    public Optional<String> keyAlias() {
        return Optional.ofNullable(keyAlias);
    }

    /** The model groups (or aliases) this key may call; empty means every model. */
    public List<String> models() {
        return models;
    }

    /** The most this key may spend per budget period (or ever, without one), in USD. */
    public Optional<BigDecimal> maxBudget() {
        return Optional.ofNullable(maxBudget);
    }

    /** The budget period: spend returns to zero at {@link #budgetResetAt()}, then every period. */
    public Optional<Duration> budgetDuration() {
        return Optional.ofNullable(budgetDuration);
    }

    /** When the spend of the current budget period returns to zero. */
    public Optional<Instant> budgetResetAt() {
        return Optional.ofNullable(budgetResetAt);
    }

    /** What the key has spent in the current budget period, in USD. */
    public BigDecimal spend() {
        return spend;
    }

    /** Requests per minute this key may make. */
    public OptionalLong rpmLimit() {
        return rpmLimit < 0 ? OptionalLong.empty() : OptionalLong.of(rpmLimit);
    }

    /** Tokens per minute this key may use. */
    public OptionalLong tpmLimit() {
        return tpmLimit < 0 ? OptionalLong.empty() : OptionalLong.of(tpmLimit);
    }

    /** When the key stops working. */
    public Optional<Instant> expires() {
        return Optional.ofNullable(expires);
    }

    /** The user the key belongs to. */
    public Optional<String> userId() {
        return Optional.ofNullable(userId);
    }

    /** The team the key belongs to. */
    public Optional<String> teamId() {
        return Optional.ofNullable(teamId);
    }

    /**
     * Free-form data: JSON-compatible values (strings, numbers, booleans, lists, maps with string
     * keys), deep-immutable. Numbers read back from the database are {@code Integer}, {@code Long},
     * {@code BigInteger} or {@code BigDecimal}, as JSON parses them.
     */
    public Map<String, Object> metadata() {
        return metadata;
    }

    /** Whether the key is blocked: every call with it is refused. */
    public boolean blocked() {
        return blocked;
    }

    /** Whether the key has expired at {@code now}. */
    public boolean isExpired(Instant now) {
        return expires != null && !now.isBefore(expires);
    }

    /** When the key was created. */
    public Instant createdAt() {
        return createdAt;
    }

    /** When the key was last changed. */
    public Instant updatedAt() {
        return updatedAt;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof VirtualKey k && tokenHash.equals(k.tokenHash) && keyName.equals(k.keyName)
                && Objects.equals(keyAlias, k.keyAlias) && models.equals(k.models) && sameMoney(maxBudget, k.maxBudget)
                && Objects.equals(budgetDuration, k.budgetDuration) && Objects.equals(budgetResetAt, k.budgetResetAt)
                && spend.compareTo(k.spend) == 0 && rpmLimit == k.rpmLimit && tpmLimit == k.tpmLimit
                && Objects.equals(expires, k.expires) && Objects.equals(userId, k.userId)
                && Objects.equals(teamId, k.teamId) && metadata.equals(k.metadata) && blocked == k.blocked
                && createdAt.equals(k.createdAt) && updatedAt.equals(k.updatedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tokenHash, keyName, keyAlias, models, maxBudget == null ? null : maxBudget.stripTrailingZeros(),
                budgetDuration, budgetResetAt, spend.stripTrailingZeros(), rpmLimit, tpmLimit, expires, userId, teamId,
                metadata, blocked, createdAt, updatedAt);
    }

    /** The masked name, alias and limits; never the hash beyond its first 8 characters. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("VirtualKey[").append(keyName).append(", hash=")
                .append(tokenHash, 0, 8).append("...");
        if (keyAlias != null) {
            s.append(", alias=").append(keyAlias);
        }
        if (!models.isEmpty()) {
            s.append(", models=").append(models);
        }
        s.append(", spend=").append(spend.toPlainString());
        if (maxBudget != null) {
            s.append(", maxBudget=").append(maxBudget.toPlainString());
        }
        if (blocked) {
            s.append(", blocked");
        }
        return s.append(']').toString();
    }

    private static boolean sameMoney(BigDecimal a, BigDecimal b) {
        return a == null ? b == null : b != null && a.compareTo(b) == 0;
    }

    static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Builds a {@link VirtualKey}. Not thread-safe.
     *
     * @since 0.1.0
     */
    public static final class Builder {

        private final String tokenHash;
        private final String keyName;
        private String keyAlias;
        private List<String> models = new ArrayList<>();
        private BigDecimal maxBudget;
        private Duration budgetDuration;
        private Instant budgetResetAt;
        private BigDecimal spend = BigDecimal.ZERO;
        private long rpmLimit = -1;
        private long tpmLimit = -1;
        private Instant expires;
        private String userId;
        private String teamId;
        private Map<String, Object> metadata = new LinkedHashMap<>();
        private boolean blocked;
        private Instant createdAt;
        private Instant updatedAt;

        private Builder(String tokenHash, String keyName) {
            Objects.requireNonNull(tokenHash, "tokenHash");
            Objects.requireNonNull(keyName, "keyName");
            if (!tokenHash.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("tokenHash must be 64 lower-case hex characters (ApiKeys.hash)");
            }
            if (keyName.isBlank()) {
                throw new IllegalArgumentException("keyName must not be blank");
            }
            this.tokenHash = tokenHash;
            this.keyName = keyName;
        }

        private Builder(VirtualKey k) {
            this.tokenHash = k.tokenHash;
            this.keyName = k.keyName;
            this.keyAlias = k.keyAlias;
            this.models = new ArrayList<>(k.models);
            this.maxBudget = k.maxBudget;
            this.budgetDuration = k.budgetDuration;
            this.budgetResetAt = k.budgetResetAt;
            this.spend = k.spend;
            this.rpmLimit = k.rpmLimit;
            this.tpmLimit = k.tpmLimit;
            this.expires = k.expires;
            this.userId = k.userId;
            this.teamId = k.teamId;
            this.metadata = new LinkedHashMap<>(k.metadata);
            this.blocked = k.blocked;
            this.createdAt = k.createdAt;
            this.updatedAt = k.updatedAt;
        }

        /** The key's unique alias; blank is rejected. */
        public Builder keyAlias(String keyAlias) {
            this.keyAlias = nonBlank(keyAlias, "keyAlias");
            return this;
        }

        /** Removes the alias. */
        public Builder clearKeyAlias() {
            this.keyAlias = null;
            return this;
        }

        /** Replaces the allowed models; empty allows every model. */
        public Builder models(List<String> models) {
            List<String> copy = new ArrayList<>();
            for (String m : Objects.requireNonNull(models, "models")) {
                copy.add(nonBlank(m, "models"));
            }
            this.models = copy;
            return this;
        }

        /** Adds one allowed model. */
        public Builder addModel(String model) {
            this.models.add(nonBlank(model, "model"));
            return this;
        }

        /** The budget in USD, not negative. */
        public Builder maxBudget(BigDecimal maxBudget) {
            this.maxBudget = nonNegative(maxBudget, "maxBudget");
            return this;
        }

        /** Removes the budget. */
        public Builder clearMaxBudget() {
            this.maxBudget = null;
            return this;
        }

        /** The budget period, positive. */
        public Builder budgetDuration(Duration budgetDuration) {
            Objects.requireNonNull(budgetDuration, "budgetDuration");
            if (budgetDuration.isNegative() || budgetDuration.isZero()) {
                throw new IllegalArgumentException("budgetDuration must be positive: " + budgetDuration);
            }
            this.budgetDuration = budgetDuration;
            return this;
        }

        /** Removes the budget period. */
        public Builder clearBudgetDuration() {
            this.budgetDuration = null;
            return this;
        }

        /** When the spend next returns to zero. */
        public Builder budgetResetAt(Instant budgetResetAt) {
            this.budgetResetAt = micros(Objects.requireNonNull(budgetResetAt, "budgetResetAt"));
            return this;
        }

        /** Removes the reset time. */
        public Builder clearBudgetResetAt() {
            this.budgetResetAt = null;
            return this;
        }

        /** The spend so far in USD, not negative; default zero. */
        public Builder spend(BigDecimal spend) {
            this.spend = nonNegative(spend, "spend");
            return this;
        }

        /** Requests per minute, not negative. */
        public Builder rpmLimit(long rpmLimit) {
            this.rpmLimit = nonNegative(rpmLimit, "rpmLimit");
            return this;
        }

        /** Removes the rpm limit. */
        public Builder clearRpmLimit() {
            this.rpmLimit = -1;
            return this;
        }

        /** Tokens per minute, not negative. */
        public Builder tpmLimit(long tpmLimit) {
            this.tpmLimit = nonNegative(tpmLimit, "tpmLimit");
            return this;
        }

        /** Removes the tpm limit. */
        public Builder clearTpmLimit() {
            this.tpmLimit = -1;
            return this;
        }

        /** When the key stops working. */
        public Builder expires(Instant expires) {
            this.expires = micros(Objects.requireNonNull(expires, "expires"));
            return this;
        }

        /** Removes the expiry. */
        public Builder clearExpires() {
            this.expires = null;
            return this;
        }

        /** The owning user. */
        public Builder userId(String userId) {
            this.userId = nonBlank(userId, "userId");
            return this;
        }

        /** Removes the user. */
        public Builder clearUserId() {
            this.userId = null;
            return this;
        }

        /** The owning team. */
        public Builder teamId(String teamId) {
            this.teamId = nonBlank(teamId, "teamId");
            return this;
        }

        /** Removes the team. */
        public Builder clearTeamId() {
            this.teamId = null;
            return this;
        }

        /**
         * Replaces the metadata: JSON-compatible values only (String, Number, Boolean, List, Map
         * with String keys), no nulls.
         */
        public Builder metadata(Map<String, ?> metadata) {
            this.metadata = new LinkedHashMap<>(Objects.requireNonNull(metadata, "metadata"));
            return this;
        }

        /** Sets one metadata entry (a JSON-compatible value). */
        public Builder putMetadata(String name, Object value) {
            this.metadata.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Whether the key is blocked; default false. */
        public Builder blocked(boolean blocked) {
            this.blocked = blocked;
            return this;
        }

        /** When the key was created; default: when {@link #build()} runs. Kept to the microsecond. */
        public Builder createdAt(Instant createdAt) {
            this.createdAt = micros(Objects.requireNonNull(createdAt, "createdAt"));
            return this;
        }

        /** When the key was last changed; default: {@link #createdAt(Instant)}. Kept to the microsecond. */
        public Builder updatedAt(Instant updatedAt) {
            this.updatedAt = micros(Objects.requireNonNull(updatedAt, "updatedAt"));
            return this;
        }

        /**
         * The key.
         *
         * @return the key
         * @throws IllegalArgumentException if the metadata holds a value that is not JSON-compatible
         */
        public VirtualKey build() {
            return new VirtualKey(this);
        }

        private static String nonBlank(String value, String field) {
            Objects.requireNonNull(value, field);
            if (value.isBlank()) {
                throw new IllegalArgumentException(field + " must not be blank");
            }
            return value;
        }

        private static BigDecimal nonNegative(BigDecimal value, String field) {
            Objects.requireNonNull(value, field);
            if (value.signum() < 0) {
                throw new IllegalArgumentException(field + " must not be negative: " + value.toPlainString());
            }
            return value;
        }

        private static long nonNegative(long value, String field) {
            if (value < 0) {
                throw new IllegalArgumentException(field + " must not be negative: " + value);
            }
            return value;
        }
    }

    /** Deep, immutable copies of JSON-compatible values. */
    static final class JsonValues {

        private JsonValues() {
        }

        static Map<String, Object> copyObject(Map<?, ?> map, String path) {
            Map<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String name)) {
                    throw new IllegalArgumentException(path + " has a key that is not a string: " + e.getKey());
                }
                copy.put(name, copyValue(e.getValue(), path + "." + name));
            }
            return Collections.unmodifiableMap(copy);
        }

        private static Object copyValue(Object value, String path) {
            if (value instanceof String || value instanceof Boolean || value instanceof Number) {
                return value;
            }
            if (value instanceof Map<?, ?> map) {
                return copyObject(map, path);
            }
            if (value instanceof List<?> list) {
                List<Object> copy = new ArrayList<>(list.size());
                for (int i = 0; i < list.size(); i++) {
                    copy.add(copyValue(list.get(i), path + "[" + i + "]"));
                }
                return Collections.unmodifiableList(copy);
            }
            throw new IllegalArgumentException(path + " is not a JSON value (string, number, boolean, list, map): "
                    + (value == null ? "null" : value.getClass().getName()));
        }
    }
}
