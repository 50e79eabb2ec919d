package io.llmrouter.api.image;

import java.util.Objects;
import java.util.Optional;

/**
 * One generated image of an {@link ImageResponse} ({@code data[]} on the wire): a URL or base64
 * bytes, and the prompt the model actually used when it rewrote it.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class GeneratedImage {

    private final String url;
    private final String b64Json;
    private final String revisedPrompt;

    private GeneratedImage(String url, String b64Json, String revisedPrompt) {
        this.url = url;
        this.b64Json = b64Json;
        this.revisedPrompt = revisedPrompt;
    }

    /**
     * An image.
     *
     * @param url the URL, or null when the image came as base64
     * @param b64Json the base64 bytes, or null when the image came as a URL
     * @param revisedPrompt the prompt the model used, or null when it did not say
     * @return the image
     * @throws IllegalArgumentException if neither or both of {@code url} and {@code b64Json} are given
     */
    public static GeneratedImage of(String url, String b64Json, String revisedPrompt) {
        if ((url == null) == (b64Json == null)) {
            throw new IllegalArgumentException("exactly one of url and b64Json must be given");
        }
        return new GeneratedImage(url, b64Json, revisedPrompt);
    }

    /** The URL, when the image came as one. */
    public Optional<String> url() {
        return Optional.ofNullable(url);
    }

    /** The base64-encoded bytes, when the image came as them. */
    public Optional<String> b64Json() {
        return Optional.ofNullable(b64Json);
    }

    /** The prompt the model actually used, when it rewrote the request's. */
    public Optional<String> revisedPrompt() {
        return Optional.ofNullable(revisedPrompt);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GeneratedImage g && Objects.equals(url, g.url) && Objects.equals(b64Json, g.b64Json)
                && Objects.equals(revisedPrompt, g.revisedPrompt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(url, b64Json, revisedPrompt);
    }

    /** Says which form the image has, never its content. */
    @Override
    public String toString() {
        return "GeneratedImage[" + (url != null ? "url" : "b64Json, " + b64Json.length() + " chars") + "]";
    }
}
