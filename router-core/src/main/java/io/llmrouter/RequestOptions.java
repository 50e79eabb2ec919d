package io.llmrouter;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Per-request overrides of the router's settings (LiteLLM's per-call {@code num_retries},
 * {@code fallbacks} and {@code timeout}).
 *
 * <pre>{@code
 * RequestOptions options = RequestOptions.builder()
 *     .deadline(Duration.ofSeconds(20))   // the whole call, across retries and fallbacks
 *     .numRetries(0)
 *     .fallbacks("gpt-4o-mini")
 *     .build();
 * router.completion(request, options);
 * }</pre>
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 *
 * @since 0.1.0
 */
public final class RequestOptions {

    private static final RequestOptions NONE = new Builder().build();

    private final Duration deadline;
    private final int numRetries;
    private final List<String> fallbacks;
    private final Duration firstTokenTimeout;
    private final Duration streamIdleTimeout;

    private RequestOptions(Builder b) {
        this.deadline = b.deadline;
        this.numRetries = b.numRetries;
        this.fallbacks = b.fallbacks;
        this.firstTokenTimeout = b.firstTokenTimeout;
        this.streamIdleTimeout = b.streamIdleTimeout;
    }

    /** Options that override nothing. */
    public static RequestOptions none() {
        return NONE;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The whole call's deadline, overriding the router's. */
    public Optional<Duration> deadline() {
        return Optional.ofNullable(deadline);
    }

    /** Retries per group, overriding the router's and the groups' own. */
    public OptionalInt numRetries() {
        return numRetries >= 0 ? OptionalInt.of(numRetries) : OptionalInt.empty();
    }

    /** The general fallback groups, overriding the router's for this request (empty list: none). */
    public Optional<List<String>> fallbacks() {
        return Optional.ofNullable(fallbacks);
    }

    /** For streams: the time to first chunk, overriding the deployment's and the router's. */
    public Optional<Duration> firstTokenTimeout() {
        return Optional.ofNullable(firstTokenTimeout);
    }

    /** For streams: the longest quiet gap between chunks, overriding the deployment's and the router's. */
    public Optional<Duration> streamIdleTimeout() {
        return Optional.ofNullable(streamIdleTimeout);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RequestOptions r && Objects.equals(firstTokenTimeout, r.firstTokenTimeout)
                && Objects.equals(streamIdleTimeout, r.streamIdleTimeout) && numRetries == r.numRetries && Objects.equals(deadline, r.deadline)
                && Objects.equals(fallbacks, r.fallbacks);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deadline, numRetries, fallbacks);
    }

    @Override
    public String toString() {
        return "RequestOptions[deadline=" + deadline + ", numRetries=" + (numRetries < 0 ? "default" : numRetries)
                + ", fallbacks=" + (fallbacks == null ? "default" : fallbacks) + "]";
    }

    /** Builds {@link RequestOptions}; not thread-safe. */
    public static final class Builder {
        private Duration deadline;
        private int numRetries = -1;
        private List<String> fallbacks;
        private Duration firstTokenTimeout;
        private Duration streamIdleTimeout;

        private Builder() {
        }

        /** For streams: the time to first chunk before the attempt fails over; positive. */
        public Builder firstTokenTimeout(Duration timeout) {
            this.firstTokenTimeout = Durations.positive(timeout, "firstTokenTimeout");
            return this;
        }

        /** For streams: the longest quiet gap between chunks before the stream is interrupted; positive. */
        public Builder streamIdleTimeout(Duration timeout) {
            this.streamIdleTimeout = Durations.positive(timeout, "streamIdleTimeout");
            return this;
        }

        /** The whole call's time limit, across retries, backoffs and fallbacks; positive. */
        public Builder deadline(Duration deadline) {
            this.deadline = Durations.positive(deadline, "deadline");
            return this;
        }

        /** Retries per group for this request, 0 or more. */
        public Builder numRetries(int numRetries) {
            if (numRetries < 0) {
                throw new IllegalArgumentException("numRetries must not be negative, was " + numRetries);
            }
            this.numRetries = numRetries;
            return this;
        }

        /** The general fallback groups for this request, in order; none to disable fallbacks. */
        public Builder fallbacks(String... groups) {
            Objects.requireNonNull(groups, "groups");
            this.fallbacks = List.copyOf(Arrays.asList(groups));
            return this;
        }

        /** The options. */
        public RequestOptions build() {
            return new RequestOptions(this);
        }
    }
}
