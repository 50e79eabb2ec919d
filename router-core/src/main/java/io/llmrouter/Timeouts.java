package io.llmrouter;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How long a call may take: each provider call as a whole, a stream's first chunk, a stream's
 * quiet gaps, and the whole request across retries, backoffs and fallbacks (LiteLLM's
 * {@code timeout} and {@code stream_timeout}, plus a deadline).
 *
 * <pre>{@code
 * Timeouts timeouts = Timeouts.builder()
 *     .callTimeout(Duration.ofSeconds(30))        // each provider call
 *     .firstTokenTimeout(Duration.ofSeconds(10))  // streams: time to the first chunk
 *     .deadline(Duration.ofSeconds(45))           // the whole request
 *     .build();
 * Router.builder().timeouts(timeouts);
 * }</pre>
 *
 * <p>Each value is optional: an unset one is decided by the next level, in this order: the
 * request's ({@link RequestOptions.Builder#timeouts(Timeouts)}; a request cannot set
 * {@code callTimeout}), the deployment's own ({@link Deployment.Builder#timeout(Duration)},
 * {@code firstTokenTimeout}, {@code streamIdleTimeout}), the router's, and last the default
 * ({@link #DEFAULT_CALL_TIMEOUT} 600 s, {@link #DEFAULT_FIRST_TOKEN_TIMEOUT} 60 s,
 * {@link #DEFAULT_STREAM_IDLE_TIMEOUT} 60 s, no deadline).
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 *
 * @since 0.1.0
 */
public final class Timeouts {

    /** Default per-call timeout: 600 s (LiteLLM's). */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(600);
    /** Default time a stream may take to send its first chunk before it fails over: 60 s. */
    public static final Duration DEFAULT_FIRST_TOKEN_TIMEOUT = Duration.ofSeconds(60);
    /** Default longest quiet gap between a stream's chunks: 60 s. */
    public static final Duration DEFAULT_STREAM_IDLE_TIMEOUT = Duration.ofSeconds(60);

    private static final Timeouts DEFAULTS = new Builder().build();

    private final Duration callTimeout;
    private final Duration firstTokenTimeout;
    private final Duration streamIdleTimeout;
    private final Duration deadline;

    private Timeouts(Builder b) {
        this.callTimeout = b.callTimeout;
        this.firstTokenTimeout = b.firstTokenTimeout;
        this.streamIdleTimeout = b.streamIdleTimeout;
        this.deadline = b.deadline;
    }

    /** Timeouts that set nothing: every value is the default. */
    public static Timeouts defaults() {
        return DEFAULTS;
    }

    /** A new builder that sets nothing. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these timeouts. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Each provider call's time limit, when set; unset: the deployment's, else {@link #DEFAULT_CALL_TIMEOUT}. */
    public Optional<Duration> callTimeout() {
        return Optional.ofNullable(callTimeout);
    }

    /** A stream's time to its first chunk, when set; unset: the deployment's, else {@link #DEFAULT_FIRST_TOKEN_TIMEOUT}. */
    public Optional<Duration> firstTokenTimeout() {
        return Optional.ofNullable(firstTokenTimeout);
    }

    /** A stream's longest quiet gap, when set; unset: the deployment's, else {@link #DEFAULT_STREAM_IDLE_TIMEOUT}. */
    public Optional<Duration> streamIdleTimeout() {
        return Optional.ofNullable(streamIdleTimeout);
    }

    /** The whole request's time limit, when set; unset: none. */
    public Optional<Duration> deadline() {
        return Optional.ofNullable(deadline);
    }

    /**
     * These timeouts with {@code override} laid over them, as a request's are laid over the
     * router's: each value {@code override} sets replaces this one's.
     *
     * @param override the timeouts whose values win
     * @return the combined timeouts
     */
    public Timeouts overriddenBy(Timeouts override) {
        Objects.requireNonNull(override, "override");
        if (override.equals(DEFAULTS)) {
            return this;
        }
        Builder b = toBuilder();
        override.callTimeout().ifPresent(b::callTimeout);
        override.firstTokenTimeout().ifPresent(b::firstTokenTimeout);
        override.streamIdleTimeout().ifPresent(b::streamIdleTimeout);
        override.deadline().ifPresent(b::deadline);
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Timeouts t && Objects.equals(callTimeout, t.callTimeout)
                && Objects.equals(firstTokenTimeout, t.firstTokenTimeout)
                && Objects.equals(streamIdleTimeout, t.streamIdleTimeout) && Objects.equals(deadline, t.deadline);
    }

    @Override
    public int hashCode() {
        return Objects.hash(callTimeout, firstTokenTimeout, streamIdleTimeout, deadline);
    }

    @Override
    public String toString() {
        return "Timeouts[callTimeout=" + show(callTimeout) + ", firstTokenTimeout=" + show(firstTokenTimeout)
                + ", streamIdleTimeout=" + show(streamIdleTimeout) + ", deadline=" + show(deadline) + "]";
    }

    private static String show(Duration d) {
        return d == null ? "unset" : d.toString();
    }

    /** Builds {@link Timeouts}; not thread-safe. */
    public static final class Builder {
        private Duration callTimeout;
        private Duration firstTokenTimeout;
        private Duration streamIdleTimeout;
        private Duration deadline;

        private Builder() {
        }

        private Builder(Timeouts t) {
            callTimeout = t.callTimeout;
            firstTokenTimeout = t.firstTokenTimeout;
            streamIdleTimeout = t.streamIdleTimeout;
            deadline = t.deadline;
        }

        /**
         * Each provider call's time limit, for deployments without their own; default 600 s.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder callTimeout(Duration callTimeout) {
            this.callTimeout = Durations.positive(callTimeout, "callTimeout");
            return this;
        }

        /**
         * How long a stream may take to send its first chunk before the attempt fails over; default 60 s.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder firstTokenTimeout(Duration firstTokenTimeout) {
            this.firstTokenTimeout = Durations.positive(firstTokenTimeout, "firstTokenTimeout");
            return this;
        }

        /**
         * How long a stream may go quiet between chunks before it is interrupted; default 60 s.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder streamIdleTimeout(Duration streamIdleTimeout) {
            this.streamIdleTimeout = Durations.positive(streamIdleTimeout, "streamIdleTimeout");
            return this;
        }

        /**
         * The whole request's time limit, across retries, backoffs and fallbacks; default none.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder deadline(Duration deadline) {
            this.deadline = Durations.positive(deadline, "deadline");
            return this;
        }

        /** The timeouts. */
        public Timeouts build() {
            return new Timeouts(this);
        }
    }
}
