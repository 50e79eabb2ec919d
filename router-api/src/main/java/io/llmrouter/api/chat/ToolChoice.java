package io.llmrouter.api.chat;

import java.util.Objects;
import java.util.Optional;

/**
 * Whether and which tool the model must call ({@code tool_choice}).
 *
 * <p>On the wire: the string {@code "none"}, {@code "auto"} or {@code "required"}, or
 * {@code {"type":"function","function":{"name":...}}} to force one function. Immutable and
 * thread-safe.
 *
 * @since 0.1.0
 */
public final class ToolChoice {

    /** The kind of tool choice. */
    public enum Mode {
        /** The model must not call a tool ({@code none}). */
        NONE,
        /** The model decides ({@code auto}). */
        AUTO,
        /** The model must call at least one tool ({@code required}). */
        REQUIRED,
        /** The model must call the named function. */
        FUNCTION
    }

    private static final ToolChoice NONE = new ToolChoice(Mode.NONE, null);
    private static final ToolChoice AUTO = new ToolChoice(Mode.AUTO, null);
    private static final ToolChoice REQUIRED = new ToolChoice(Mode.REQUIRED, null);

    private final Mode mode;
    private final String functionName;

    private ToolChoice(Mode mode, String functionName) {
        this.mode = mode;
        this.functionName = functionName;
    }

    /**
     * The model must not call a tool.
     *
     * @return the choice {@code "none"}
     */
    public static ToolChoice none() {
        return NONE;
    }

    /**
     * The model decides whether to call tools.
     *
     * @return the choice {@code "auto"}
     */
    public static ToolChoice auto() {
        return AUTO;
    }

    /**
     * The model must call at least one tool.
     *
     * @return the choice {@code "required"}
     */
    public static ToolChoice required() {
        return REQUIRED;
    }

    /**
     * The model must call the named function.
     *
     * @param name the function's name, not blank
     * @return the choice
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public static ToolChoice function(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("tool choice function name must not be blank, was '" + name + "'");
        }
        return new ToolChoice(Mode.FUNCTION, name);
    }

    /**
     * The kind of choice.
     *
     * @return the mode, never null
     */
    public Mode mode() {
        return mode;
    }

    /**
     * The forced function's name.
     *
     * @return the name when {@link #mode()} is {@link Mode#FUNCTION}, else empty
     */
    public Optional<String> functionName() {
        return Optional.ofNullable(functionName);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ToolChoice t && mode == t.mode && Objects.equals(functionName, t.functionName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, functionName);
    }

    @Override
    public String toString() {
        return functionName == null ? "ToolChoice[" + mode + "]" : "ToolChoice[FUNCTION " + functionName + "]";
    }
}
