package io.llmrouter.providers.internal;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/** The check every adapter's {@code ProviderFactory.create(String)} makes of the prefix it is asked for. */
public final class RoutePrefixes {

    private RoutePrefixes() {
    }

    /**
     * {@code routePrefix} in lower case, when {@code served} holds it.
     *
     * @param routePrefix the prefix asked for (case-insensitive)
     * @param served the factory's prefixes, in lower case
     * @param adapter the adapter, for the message, e.g. {@code the Anthropic adapter}
     * @return the prefix in lower case
     * @throws NullPointerException if {@code routePrefix} is null
     * @throws IllegalArgumentException if it is not served
     */
    public static String requireServed(String routePrefix, Set<String> served, String adapter) {
        Objects.requireNonNull(routePrefix, "routePrefix");
        String prefix = routePrefix.toLowerCase(Locale.ROOT);
        if (!served.contains(prefix)) {
            throw new IllegalArgumentException("routePrefix '" + routePrefix + "' is not served by " + adapter
                    + "; known: " + new TreeSet<>(served));
        }
        return prefix;
    }
}
