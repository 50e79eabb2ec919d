package io.llmrouter.api.chat;

import java.util.Objects;

/**
 * Who wrote a {@link Message}, in OpenAI's vocabulary.
 *
 * @since 0.1.0
 */
public enum Role {
    /** Instructions from the application ({@code system}). */
    SYSTEM("system"),
    /** Instructions from the developer, OpenAI's newer name for system on reasoning models ({@code developer}). */
    DEVELOPER("developer"),
    /** The end user ({@code user}). */
    USER("user"),
    /** The model ({@code assistant}). */
    ASSISTANT("assistant"),
    /** The result of a tool call ({@code tool}). */
    TOOL("tool");

    private final String wireValue;

    Role(String wireValue) {
        this.wireValue = wireValue;
    }

    /**
     * The OpenAI wire value, e.g. {@code assistant}.
     *
     * @return the lower-case wire value
     */
    public String wireValue() {
        return wireValue;
    }

    /**
     * Maps an OpenAI wire value to a role.
     *
     * @param value the wire value, e.g. {@code user}
     * @return the role
     * @throws NullPointerException if {@code value} is null
     * @throws IllegalArgumentException naming the value when it is not a known role
     */
    public static Role fromWire(String value) {
        Objects.requireNonNull(value, "value");
        return switch (value) {
            case "system" -> SYSTEM;
            case "developer" -> DEVELOPER;
            case "user" -> USER;
            case "assistant" -> ASSISTANT;
            case "tool" -> TOOL;
            default -> throw new IllegalArgumentException("unknown role '" + value
                    + "', expected one of system, developer, user, assistant, tool");
        };
    }
}
