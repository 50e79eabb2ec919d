package io.llmrouter;

import java.time.Duration;
import java.util.Objects;

/** The one check the builders share for their time settings. */
final class Durations {

    private Durations() {
    }

    /**
     * Returns {@code d} if it is positive.
     *
     * @throws NullPointerException naming {@code field} if {@code d} is null
     * @throws IllegalArgumentException naming {@code field} and the value otherwise
     */
    static Duration positive(Duration d, String field) {
        Objects.requireNonNull(d, field);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(field + " must be positive, was " + d);
        }
        return d;
    }

    /**
     * Returns {@code d} if it is zero or positive.
     *
     * @throws NullPointerException naming {@code field} if {@code d} is null
     * @throws IllegalArgumentException naming {@code field} and the value if negative
     */
    static Duration nonNegative(Duration d, String field) {
        Objects.requireNonNull(d, field);
        if (d.isNegative()) {
            throw new IllegalArgumentException(field + " must not be negative, was " + d);
        }
        return d;
    }
}
