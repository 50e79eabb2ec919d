package io.llmrouter.api.exception;

import java.util.Objects;

/**
 * The {@code error.type} name of a failure, as metrics and traces label it: the exception's simple
 * name without {@code Exception}, in snake case ({@code RateLimitException} is {@code rate_limit},
 * {@code NoDeploymentAvailableException} is {@code no_deployment_available}). The set of names is
 * bounded by the exception types, so it is safe as a metric tag. Thread-safe.
 *
 * @since 0.1.0
 */
public final class ErrorTypes {

    /** The name of a failure without a usable type name: {@value}. */
    public static final String UNKNOWN = "unknown";

    private static final ClassValue<String> TYPES = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            return of(type.getSimpleName());
        }
    };

    private ErrorTypes() {
    }

    /**
     * The name of {@code error}'s type (computed once per class).
     *
     * @param error the failure
     * @return its {@code error.type}, never null
     * @throws NullPointerException if {@code error} is null
     */
    public static String of(Throwable error) {
        return TYPES.get(Objects.requireNonNull(error, "error").getClass());
    }

    /**
     * The name for an exception's simple class name, such as an attempt's
     * {@code errorType()}: {@code RateLimitException} gives {@code rate_limit}.
     *
     * @param simpleName the exception type's simple name
     * @return its {@code error.type}; {@value #UNKNOWN} for an empty name
     * @throws NullPointerException if {@code simpleName} is null
     */
    public static String of(String simpleName) {
        String name = simpleName.endsWith("Exception") && simpleName.length() > "Exception".length()
                ? simpleName.substring(0, simpleName.length() - "Exception".length()) : simpleName;
        if (name.isEmpty()) {
            return UNKNOWN;
        }
        StringBuilder out = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) {
                    out.append('_');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
