package io.llmrouter.api.chat;

import java.util.Objects;

/**
 * A function call the model asked for: its id, the function's name and the arguments as the
 * model wrote them.
 *
 * <p>On the wire: {@code {"id":...,"type":"function","function":{"name":...,"arguments":"..."}}}.
 * The arguments are a JSON <em>string</em>, kept verbatim (the model may write invalid JSON; this
 * type does not parse it). Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class ToolCall {

    /** The only tool-call type: {@value}. */
    public static final String TYPE_FUNCTION = "function";

    private final String id;
    private final String name;
    private final String arguments;

    private ToolCall(String id, String name, String arguments) {
        this.id = id;
        this.name = name;
        this.arguments = arguments;
    }

    /**
     * A function call.
     *
     * @param id the call id, echoed by the tool result message's {@code tool_call_id}; not blank
     * @param name the function's name, not blank
     * @param arguments the arguments as a JSON string, verbatim; may be empty
     * @return the call
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code id} or {@code name} is blank
     */
    public static ToolCall of(String id, String name, String arguments) {
        return new ToolCall(nonBlank(id, "id"), nonBlank(name, "name"),
                Objects.requireNonNull(arguments, "arguments"));
    }

    private static String nonBlank(String value, String field) {
        Objects.requireNonNull(value, field);
        if (value.isBlank()) {
            throw new IllegalArgumentException("tool call " + field + " must not be blank, was '" + value + "'");
        }
        return value;
    }

    /**
     * The call id.
     *
     * @return the id, never blank
     */
    public String id() {
        return id;
    }

    /**
     * The call type.
     *
     * @return always {@value #TYPE_FUNCTION}
     */
    public String type() {
        return TYPE_FUNCTION;
    }

    /**
     * The function's name.
     *
     * @return the name, never blank
     */
    public String name() {
        return name;
    }

    /**
     * The arguments, verbatim as the model wrote them (normally a JSON object as a string).
     *
     * @return the arguments string, never null
     */
    public String arguments() {
        return arguments;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ToolCall t && id.equals(t.id) && name.equals(t.name) && arguments.equals(t.arguments);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, name, arguments);
    }

    @Override
    public String toString() {
        return "ToolCall[id=" + id + ", name=" + name + ", arguments=" + Shorten.text(arguments) + "]";
    }
}
