package io.llmrouter.micrometer;

/**
 * The {@code error.type} of a failure: its exception's simple name without {@code Exception}, in
 * snake case ({@code RateLimitException} is {@code rate_limit}). Bounded by the exception types.
 */
final class ErrorTypes {

    private static final ClassValue<String> TYPES = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            return of(type.getSimpleName());
        }
    };

    private ErrorTypes() {
    }

    static String of(Throwable error) {
        return TYPES.get(error.getClass());
    }

    /** {@code RateLimitException} (an attempt's {@code errorType()}) as {@code rate_limit}. */
    static String of(String simpleName) {
        String name = simpleName.endsWith("Exception") && simpleName.length() > "Exception".length()
                ? simpleName.substring(0, simpleName.length() - "Exception".length()) : simpleName;
        if (name.isEmpty()) {
            return "unknown";
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
