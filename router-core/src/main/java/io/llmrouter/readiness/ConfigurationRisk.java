package io.llmrouter.readiness;

import java.util.Objects;

/**
 * A risky configuration found before any call, by {@code router.checks()}.
 *
 * @param severity how bad it is
 * @param check the check that found it, e.g. {@code no-fallback}
 * @param modelGroup the group concerned ({@code *} for the whole router)
 * @param message what is wrong and what to do
 * @since 0.1.0
 */
public record ConfigurationRisk(Severity severity, String check, String modelGroup, String message) {

    /** How bad a risk is. */
    public enum Severity {
        /** Worth knowing; the router works as configured. */
        INFO,
        /** Likely to hurt in an outage or on the bill. */
        WARNING,
        /** The configuration cannot do what it seems to promise. */
        ERROR
    }

    /** Checks the components. */
    public ConfigurationRisk {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(modelGroup, "modelGroup");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return severity + " [" + check + "] " + modelGroup + ": " + message;
    }
}
