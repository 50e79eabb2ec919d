package io.llmrouter.api;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A credential such as an API key, read from an environment variable or given as a value.
 *
 * <p>A secret never shows itself: {@link #toString()} prints {@code Secret[****]} for a value and
 * {@code Secret[env:NAME]} for an environment variable (the variable's name is not secret). Only
 * provider adapters call {@link #reveal()}, when they write the authentication header.
 *
 * <p>An environment secret is read when it is revealed, not when it is created, so a router can be
 * built on a machine that lacks some keys; a call to a deployment whose key is missing fails with
 * an {@link io.llmrouter.api.exception.AuthenticationException} before any network call.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class Secret {

    private final String value;
    private final String envName;
    private final Function<String, String> environment;

    private Secret(String value, String envName, Function<String, String> environment) {
        this.value = value;
        this.envName = envName;
        this.environment = environment;
    }

    /**
     * A secret with the given value.
     *
     * @param value the secret, not blank
     * @return the secret
     * @throws IllegalArgumentException if {@code value} is blank
     */
    public static Secret of(String value) {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("secret value must not be blank");
        }
        return new Secret(value, null, null);
    }

    /**
     * A secret read from the process environment variable {@code name} each time it is revealed.
     *
     * @param name the environment variable, e.g. {@code OPENAI_API_KEY}
     * @return the secret
     */
    public static Secret fromEnv(String name) {
        return fromEnv(name, System::getenv);
    }

    /**
     * A secret read from {@code name} in the given environment (for tests and custom sources).
     *
     * @param name the variable name
     * @param environment looks a name up; returns null when unset
     * @return the secret
     */
    public static Secret fromEnv(String name, Function<String, String> environment) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(environment, "environment");
        if (name.isBlank()) {
            throw new IllegalArgumentException("environment variable name must not be blank");
        }
        return new Secret(null, name, environment);
    }

    /** The environment variable this secret is read from, when it is one. */
    public Optional<String> environmentVariable() {
        return Optional.ofNullable(envName);
    }

    /** Whether {@link #reveal()} would return a value now. */
    public boolean isAvailable() {
        return lookup() != null;
    }

    /**
     * The secret's value. Call only to write it to the wire.
     *
     * @return the value
     * @throws IllegalStateException naming the environment variable when it is unset or blank
     */
    public String reveal() {
        String v = lookup();
        if (v == null) {
            throw new IllegalStateException("environment variable " + envName + " is not set");
        }
        return v;
    }

    /**
     * Replaces every occurrence of this secret's value in {@code text} with {@code ****}, for
     * messages that quote a provider's answer.
     *
     * @param text any text
     * @return the text without the secret
     */
    public String redact(String text) {
        Objects.requireNonNull(text, "text");
        String v = lookup();
        return v == null || v.length() < 4 ? text : text.replace(v, "****");
    }

    private String lookup() {
        if (value != null) {
            return value;
        }
        String v = environment.apply(envName);
        return v == null || v.isBlank() ? null : v;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Secret other)) {
            return false;
        }
        if (envName != null || other.envName != null) {
            return Objects.equals(envName, other.envName) && environment == other.environment;
        }
        return MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8), other.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return envName != null ? envName.hashCode() : 31;
    }

    @Override
    public String toString() {
        return envName != null ? "Secret[env:" + envName + "]" : "Secret[****]";
    }
}
