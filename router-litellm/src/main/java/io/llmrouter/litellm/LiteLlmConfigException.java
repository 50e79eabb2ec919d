package io.llmrouter.litellm;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A LiteLLM config that cannot be loaded: bad YAML, an unknown key (unless lenient), a value of
 * the wrong type, or a missing environment variable. The message names the file, the line and the
 * key; it never holds a value read from the environment or an API key.
 *
 * @since 0.1.0
 */
public final class LiteLlmConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final String key;

    /**
     * A load failure.
     *
     * @param source the file name, or a label for a reader
     * @param line the 1-based line, or 0 when unknown
     * @param key the dotted key path, e.g. {@code model_list[0].litellm_params.rpm}, or empty
     * @param problem what is wrong, without secret values
     */
    public LiteLlmConfigException(String source, int line, String key, String problem) {
        super(source + (line > 0 ? ":" + line : "") + (key.isEmpty() ? "" : ": " + key) + ": " + problem);
        this.source = source;
        this.line = line;
        this.key = key;
    }

    /** The file name, or the label given for a reader. */
    public String source() {
        return source;
    }

    /** The 1-based line of the offending key or value, when known. */
    public OptionalInt line() {
        return line > 0 ? OptionalInt.of(line) : OptionalInt.empty();
    }

    /** The dotted key path, when the failure is about one key. */
    public Optional<String> key() {
        return key.isEmpty() ? Optional.empty() : Optional.of(key);
    }
}
