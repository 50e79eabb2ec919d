package io.llmrouter.api.chat;

import java.util.Objects;

/**
 * How closely the model should look at an {@link ImagePart} (OpenAI {@code image_url.detail}).
 *
 * @since 0.1.0
 */
public enum ImageDetail {
    /** Let the model decide ({@code auto}). */
    AUTO("auto"),
    /** A low-resolution look, fewer tokens ({@code low}). */
    LOW("low"),
    /** A high-resolution look, more tokens ({@code high}). */
    HIGH("high");

    private final String wireValue;

    ImageDetail(String wireValue) {
        this.wireValue = wireValue;
    }

    /**
     * The OpenAI wire value, e.g. {@code high}.
     *
     * @return the lower-case wire value
     */
    public String wireValue() {
        return wireValue;
    }

    /**
     * Maps an OpenAI wire value.
     *
     * @param value the wire value, e.g. {@code low}
     * @return the detail level
     * @throws NullPointerException if {@code value} is null
     * @throws IllegalArgumentException naming the value when it is not {@code auto}, {@code low} or {@code high}
     */
    public static ImageDetail fromWire(String value) {
        Objects.requireNonNull(value, "value");
        return switch (value) {
            case "auto" -> AUTO;
            case "low" -> LOW;
            case "high" -> HIGH;
            default -> throw new IllegalArgumentException("unknown image detail '" + value
                    + "', expected one of auto, low, high");
        };
    }
}
