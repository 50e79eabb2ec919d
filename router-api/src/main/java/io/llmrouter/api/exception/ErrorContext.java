package io.llmrouter.api.exception;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where an error happened: provider, deployment, model, HTTP status and the provider's request id.
 * It never holds a credential.
 *
 * <p>Immutable and thread-safe; the {@link Builder} is not thread-safe.
 *
 * @since 0.1.0
 */
public final class ErrorContext {

    private static final ErrorContext NONE = new Builder().build();

    private final String provider;
    private final String deploymentId;
    private final String model;
    private final int statusCode;
    private final String providerRequestId;

    private ErrorContext(Builder b) {
        this.provider = b.provider;
        this.deploymentId = b.deploymentId;
        this.model = b.model;
        this.statusCode = b.statusCode;
        this.providerRequestId = b.providerRequestId;
    }

    /** A context that knows nothing (errors raised before a deployment was chosen). */
    public static ErrorContext none() {
        return NONE;
    }

    /** A new, empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this context's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.provider = provider;
        b.deploymentId = deploymentId;
        b.model = model;
        b.statusCode = statusCode;
        b.providerRequestId = providerRequestId;
        return b;
    }

    /** The provider route prefix, such as {@code openai}. */
    public Optional<String> provider() {
        return Optional.ofNullable(provider);
    }

    /** The id of the deployment that was called. */
    public Optional<String> deploymentId() {
        return Optional.ofNullable(deploymentId);
    }

    /** The model (group alias or provider model) the request was for. */
    public Optional<String> model() {
        return Optional.ofNullable(model);
    }

    /** The HTTP status of the provider's answer, when there was one. */
    public OptionalInt statusCode() {
        return statusCode > 0 ? OptionalInt.of(statusCode) : OptionalInt.empty();
    }

    /** The provider's request id (e.g. OpenAI's {@code x-request-id}), for support tickets. */
    public Optional<String> providerRequestId() {
        return Optional.ofNullable(providerRequestId);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ErrorContext c && statusCode == c.statusCode && Objects.equals(provider, c.provider)
                && Objects.equals(deploymentId, c.deploymentId) && Objects.equals(model, c.model)
                && Objects.equals(providerRequestId, c.providerRequestId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(provider, deploymentId, model, statusCode, providerRequestId);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ErrorContext[");
        String sep = "";
        if (provider != null) {
            sb.append("provider=").append(provider);
            sep = ", ";
        }
        if (deploymentId != null) {
            sb.append(sep).append("deployment=").append(deploymentId);
            sep = ", ";
        }
        if (model != null) {
            sb.append(sep).append("model=").append(model);
            sep = ", ";
        }
        if (statusCode > 0) {
            sb.append(sep).append("status=").append(statusCode);
            sep = ", ";
        }
        if (providerRequestId != null) {
            sb.append(sep).append("requestId=").append(providerRequestId);
        }
        return sb.append(']').toString();
    }

    /** Builds an {@link ErrorContext}; not thread-safe. */
    public static final class Builder {
        private String provider;
        private String deploymentId;
        private String model;
        private int statusCode;
        private String providerRequestId;

        private Builder() {
        }

        /** The provider route prefix. */
        public Builder provider(String provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /** The deployment id. */
        public Builder deploymentId(String deploymentId) {
            this.deploymentId = Objects.requireNonNull(deploymentId, "deploymentId");
            return this;
        }

        /** The model. */
        public Builder model(String model) {
            this.model = Objects.requireNonNull(model, "model");
            return this;
        }

        /** The HTTP status (100-599). */
        public Builder statusCode(int statusCode) {
            if (statusCode < 100 || statusCode > 599) {
                throw new IllegalArgumentException("statusCode must be 100-599, was " + statusCode);
            }
            this.statusCode = statusCode;
            return this;
        }

        /** The provider's request id. */
        public Builder providerRequestId(String providerRequestId) {
            this.providerRequestId = Objects.requireNonNull(providerRequestId, "providerRequestId");
            return this;
        }

        /** The context. */
        public ErrorContext build() {
            return new ErrorContext(this);
        }
    }
}
