package io.llmrouter.control;

/** The default names of interceptors and rules. */
final class RuleNames {

    private RuleNames() {
    }

    /** {@code type}'s simple name; for a lambda, its defining class's simple name plus {@code "-lambda"}. */
    static String of(Class<?> type) {
        String name = type.getSimpleName();
        int lambda = name.indexOf("$$Lambda");
        return lambda < 0 ? name : name.substring(0, lambda) + "-lambda";
    }
}
