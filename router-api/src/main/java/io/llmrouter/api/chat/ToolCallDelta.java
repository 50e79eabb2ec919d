package io.llmrouter.api.chat;

import java.util.Objects;
import java.util.Optional;

/**
 * A fragment of a tool call in a stream chunk: the call's {@code index} in the message, its id and
 * name (usually only on the first fragment) and a piece of its JSON arguments. Fragments with the
 * same index concatenate, in order, to the call's arguments.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class ToolCallDelta {

    private final int index;
    private final String id;
    private final String name;
    private final String arguments;

    private ToolCallDelta(int index, String id, String name, String arguments) {
        if (index < 0) {
            throw new IllegalArgumentException("index must not be negative, was " + index);
        }
        this.index = index;
        this.id = id;
        this.name = name;
        this.arguments = arguments;
    }

    /**
     * @param index the call's index in the message
     * @param id the call's id, or null when this fragment does not carry it
     * @param name the function name, or null
     * @param arguments a piece of the arguments JSON, or null
     * @return the fragment
     */
    public static ToolCallDelta of(int index, String id, String name, String arguments) {
        return new ToolCallDelta(index, id, name, arguments);
    }

    /** The call's index in the message. */
    public int index() {
        return index;
    }

    /** The call's id, when this fragment carries it. */
    public Optional<String> id() {
        return Optional.ofNullable(id);
    }

    /** The function name, when this fragment carries it. */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /** A piece of the arguments JSON ("" or empty when none). */
    public Optional<String> arguments() {
        return Optional.ofNullable(arguments);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ToolCallDelta d && index == d.index && Objects.equals(id, d.id)
                && Objects.equals(name, d.name) && Objects.equals(arguments, d.arguments);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, id, name, arguments);
    }

    @Override
    public String toString() {
        return "ToolCallDelta[" + index + (id == null ? "" : ", id=" + id) + (name == null ? "" : ", name=" + name)
                + (arguments == null ? "" : ", args=" + arguments) + "]";
    }
}
