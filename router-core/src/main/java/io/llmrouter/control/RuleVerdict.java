package io.llmrouter.control;

import java.util.Objects;
import java.util.Optional;

/**
 * A {@link ResponseRule}'s verdict on an answer (or a streamed chunk): accepted, or rejected with a
 * reason.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class RuleVerdict {

    private static final RuleVerdict ACCEPTED = new RuleVerdict(null);

    private final String reason;

    private RuleVerdict(String reason) {
        this.reason = reason;
    }

    /** The answer is accepted (no allocation). */
    public static RuleVerdict accept() {
        return ACCEPTED;
    }

    /**
     * The answer is rejected.
     *
     * @param reason why, for the caller and the listeners (no secrets)
     * @return the verdict
     * @throws IllegalArgumentException if {@code reason} is blank
     */
    public static RuleVerdict reject(String reason) {
        Objects.requireNonNull(reason, "reason");
        if (reason.isBlank()) {
            throw new IllegalArgumentException("reason must not be blank");
        }
        return new RuleVerdict(reason);
    }

    /** Whether the answer is accepted. */
    public boolean isAccepted() {
        return reason == null;
    }

    /** The rejection's reason; empty when accepted. */
    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RuleVerdict v && Objects.equals(reason, v.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(reason);
    }

    @Override
    public String toString() {
        return reason == null ? "RuleVerdict[accept]" : "RuleVerdict[reject: " + reason + "]";
    }
}
