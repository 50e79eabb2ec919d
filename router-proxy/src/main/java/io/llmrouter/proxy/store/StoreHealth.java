package io.llmrouter.proxy.store;

import java.time.Duration;
import java.util.Objects;

/**
 * The answer of {@link ProxyStore#health(Duration)}: whether the database answered a
 * {@code SELECT 1} in time, with a message that holds no secret.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class StoreHealth {

    private final boolean up;
    private final String message;
    private final Duration latency;

    private StoreHealth(boolean up, String message, Duration latency) {
        this.up = up;
        this.message = Objects.requireNonNull(message, "message");
        this.latency = Objects.requireNonNull(latency, "latency");
    }

    /**
     * A database that answered.
     *
     * @param message e.g. the database kind
     * @param latency how long the check took
     * @return the health
     */
    public static StoreHealth up(String message, Duration latency) {
        return new StoreHealth(true, message, latency);
    }

    /**
     * A database that did not answer in time or failed.
     *
     * @param message the cause, without secrets
     * @param latency how long the check took
     * @return the health
     */
    public static StoreHealth down(String message, Duration latency) {
        return new StoreHealth(false, message, latency);
    }

    /** Whether the database answered in time. */
    public boolean isUp() {
        return up;
    }

    /** What the check found, without secrets. */
    public String message() {
        return message;
    }

    /** How long the check took. */
    public Duration latency() {
        return latency;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoreHealth other && up == other.up && message.equals(other.message)
                && latency.equals(other.latency);
    }

    @Override
    public int hashCode() {
        return Objects.hash(up, message, latency);
    }

    @Override
    public String toString() {
        return "StoreHealth[" + (up ? "up" : "down") + ", " + message + ", " + latency.toMillis() + " ms]";
    }
}
