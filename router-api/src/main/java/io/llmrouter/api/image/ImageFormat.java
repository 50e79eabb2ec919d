package io.llmrouter.api.image;

/**
 * How generated images are returned ({@code response_format}).
 *
 * @since 0.1.0
 */
public enum ImageFormat {
    /** A URL to download the image from ({@code url}). */
    URL("url"),
    /** The image bytes, base64-encoded ({@code b64_json}). */
    B64_JSON("b64_json");

    private final String wireValue;

    ImageFormat(String wireValue) {
        this.wireValue = wireValue;
    }

    /** The value on the wire. */
    public String wireValue() {
        return wireValue;
    }
}
