package io.llmrouter.litellm;

import java.util.Objects;

/**
 * One key of a LiteLLM config that was accepted but not applied: a proxy-only section, a setting
 * the library does not have, or (when lenient) an unknown key.
 *
 * @param line the 1-based line of the key in the file, or 0 when unknown
 * @param key the dotted key path, e.g. {@code general_settings} or {@code router_settings.redis_host}
 * @param reason why it is not applied
 * @since 0.1.0
 */
public record ConfigNote(int line, String key, String reason) {

    /**
     * A note.
     *
     * @throws NullPointerException if key or reason is null
     */
    public ConfigNote {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
        return (line > 0 ? "line " + line + ": " : "") + key + ": " + reason;
    }
}
