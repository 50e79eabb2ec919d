package io.llmrouter.proxy;

import java.time.Duration;
import java.util.Objects;

/**
 * The proxy's HTTP limits: request size, request timeout and the drain time of a graceful stop.
 *
 * <pre>{@code
 * ProxySettings settings = ProxySettings.builder()
 *     .maxRequestBytes(4 * 1024 * 1024)
 *     .requestTimeout(Duration.ofMinutes(2))
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 *
 * @since 0.1.0
 */
public final class ProxySettings {

    /** The largest request body accepted, in bytes: {@value} (16 MiB); larger ones get 413. */
    public static final long DEFAULT_MAX_REQUEST_BYTES = 16L * 1024 * 1024;

    /** How long one request may take, streams included, before it fails with a timeout: 10 minutes. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(10);

    /** How long a graceful stop waits for requests and streams in flight: 30 seconds. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

    private static final ProxySettings DEFAULTS = builder().build();

    private final long maxRequestBytes;
    private final Duration requestTimeout;
    private final Duration drainTimeout;

    private ProxySettings(Builder b) {
        this.maxRequestBytes = b.maxRequestBytes;
        this.requestTimeout = b.requestTimeout;
        this.drainTimeout = b.drainTimeout;
    }

    /** The default settings. */
    public static ProxySettings defaults() {
        return DEFAULTS;
    }

    /** A builder with the default values. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder with these values. */
    public Builder toBuilder() {
        return new Builder().maxRequestBytes(maxRequestBytes).requestTimeout(requestTimeout)
                .drainTimeout(drainTimeout);
    }

    /** The largest request body accepted, in bytes; default {@link #DEFAULT_MAX_REQUEST_BYTES}. */
    public long maxRequestBytes() {
        return maxRequestBytes;
    }

    /** How long one request may take; default {@link #DEFAULT_REQUEST_TIMEOUT}. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** How long a graceful stop waits for requests in flight; default {@link #DEFAULT_DRAIN_TIMEOUT}. */
    public Duration drainTimeout() {
        return drainTimeout;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProxySettings s && maxRequestBytes == s.maxRequestBytes
                && requestTimeout.equals(s.requestTimeout) && drainTimeout.equals(s.drainTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxRequestBytes, requestTimeout, drainTimeout);
    }

    @Override
    public String toString() {
        return "ProxySettings[maxRequestBytes=" + maxRequestBytes + ", requestTimeout=" + requestTimeout
                + ", drainTimeout=" + drainTimeout + "]";
    }

    /** Builds {@link ProxySettings}; not thread-safe. */
    public static final class Builder {
        private long maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;

        private Builder() {
        }

        /**
         * The largest request body accepted.
         *
         * @param bytes positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxRequestBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxRequestBytes must be positive, was " + bytes);
            }
            this.maxRequestBytes = bytes;
            return this;
        }

        /**
         * How long one request may take.
         *
         * @param timeout positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /**
         * How long a graceful stop waits for requests in flight.
         *
         * @param timeout not negative
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder drainTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "drainTimeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("drainTimeout must not be negative, was " + timeout);
            }
            this.drainTimeout = timeout;
            return this;
        }

        private static Duration positive(Duration d, String field) {
            Objects.requireNonNull(d, field);
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(field + " must be positive, was " + d);
            }
            return d;
        }

        /** The settings. */
        public ProxySettings build() {
            return new ProxySettings(this);
        }
    }
}
