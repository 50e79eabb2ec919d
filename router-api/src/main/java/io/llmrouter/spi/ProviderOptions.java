package io.llmrouter.spi;

import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable set of {@link ProviderOption} values for one deployment. {@link #toString()} shows
 * the option names only, never their values.
 *
 * @since 0.1.0
 */
public final class ProviderOptions {

    private static final ProviderOptions EMPTY = new ProviderOptions(new IdentityHashMap<>());

    private final Map<ProviderOption<?>, Object> values;

    private ProviderOptions(Map<ProviderOption<?>, Object> values) {
        this.values = values;
    }

    /** No options. */
    public static ProviderOptions empty() {
        return EMPTY;
    }

    /**
     * These options plus {@code key = value} (replacing an earlier value of the key).
     *
     * @param key the key
     * @param value the value
     * @param <T> the value type
     * @return the new options
     */
    public <T> ProviderOptions with(ProviderOption<T> key, T value) {
        Objects.requireNonNull(key, "key");
        Map<ProviderOption<?>, Object> copy = new IdentityHashMap<>(values);
        copy.put(key, key.cast(value));
        return new ProviderOptions(copy);
    }

    /** The value of {@code key}, when set. */
    public <T> Optional<T> get(ProviderOption<T> key) {
        Object v = values.get(Objects.requireNonNull(key, "key"));
        return v == null ? Optional.empty() : Optional.of(key.type().cast(v));
    }

    /** The keys set. */
    public Set<ProviderOption<?>> keys() {
        return Set.copyOf(values.keySet());
    }

    /** Whether no option is set. */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProviderOptions p && values.equals(p.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        Set<String> names = new LinkedHashSet<>();
        values.keySet().forEach(k -> names.add(k.name()));
        return "ProviderOptions" + names;
    }
}
