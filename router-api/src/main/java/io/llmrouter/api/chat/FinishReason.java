package io.llmrouter.api.chat;

import java.util.Objects;

/**
 * Why the model stopped, in OpenAI's vocabulary. Providers' own values are mapped onto these by
 * the adapters; the raw value is kept on {@link Choice#rawFinishReason()}.
 *
 * @since 0.1.0
 */
public enum FinishReason {
    /** Natural end of the answer or a stop sequence ({@code stop}). */
    STOP("stop"),
    /** The token limit or context window was reached ({@code length}). */
    LENGTH("length"),
    /** The model called one or more tools ({@code tool_calls}). */
    TOOL_CALLS("tool_calls"),
    /** Content was withheld or cut by a content filter ({@code content_filter}). */
    CONTENT_FILTER("content_filter"),
    /** A value this library does not know; see {@link Choice#rawFinishReason()}. */
    OTHER("other");

    private final String wireValue;

    FinishReason(String wireValue) {
        this.wireValue = wireValue;
    }

    /** The OpenAI wire value, e.g. {@code tool_calls}. */
    public String wireValue() {
        return wireValue;
    }

    /**
     * Maps an OpenAI wire value; the deprecated {@code function_call} maps to
     * {@link #TOOL_CALLS}; anything unknown maps to {@link #OTHER}.
     *
     * @param value the wire value
     * @return the finish reason, never null
     */
    public static FinishReason fromWire(String value) {
        Objects.requireNonNull(value, "value");
        return switch (value) {
            case "stop" -> STOP;
            case "length" -> LENGTH;
            case "tool_calls", "function_call" -> TOOL_CALLS;
            case "content_filter" -> CONTENT_FILTER;
            default -> OTHER;
        };
    }
}
