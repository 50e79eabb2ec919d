package io.llmrouter.spi;

import java.util.Objects;

/**
 * A typed key for a provider-specific deployment setting, such as Azure's API version or its Entra
 * ID token supplier. Adapters declare their keys as constants; users set them with
 * {@code Deployment.builder(..).option(key, value)}; the adapter reads them from
 * {@link ProviderCall#options()}.
 *
 * <pre>{@code
 * public static final ProviderOption<String> API_VERSION = ProviderOption.of("azure.api_version", String.class);
 * }</pre>
 *
 * <p>Keys compare by identity. Option values are never printed by the router (only their names).
 *
 * @param <T> the value type
 * @since 0.1.0
 */
public final class ProviderOption<T> {

    private final String name;
    private final Class<T> type;

    private ProviderOption(String name, Class<T> type) {
        this.name = name;
        this.type = type;
    }

    /**
     * A new key.
     *
     * @param name a unique, descriptive name such as {@code azure.api_version}
     * @param type the value type
     * @param <T> the value type
     * @return the key
     */
    public static <T> ProviderOption<T> of(String name, Class<T> type) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        return new ProviderOption<>(name, type);
    }

    /** The key's name. */
    public String name() {
        return name;
    }

    /** The value type. */
    public Class<T> type() {
        return type;
    }

    /**
     * Checks and casts a value for this key.
     *
     * @param value the value
     * @return the value, typed
     * @throws IllegalArgumentException if the value is not of the key's type
     */
    public T cast(Object value) {
        Objects.requireNonNull(value, name);
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException("option " + name + " takes a " + type.getName() + ", was a "
                    + value.getClass().getName());
        }
        return type.cast(value);
    }

    @Override
    public String toString() {
        return "ProviderOption[" + name + "]";
    }
}
