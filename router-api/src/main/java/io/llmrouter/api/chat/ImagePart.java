package io.llmrouter.api.chat;

import java.util.Objects;
import java.util.Optional;

/**
 * An image part of a user message's content
 * ({@code {"type":"image_url","image_url":{"url":...,"detail":...}}}).
 *
 * <p>The URL is an {@code https} URL or a {@code data:} URI with base64 image bytes
 * ({@code data:image/png;base64,...}); its scheme is not checked here because providers differ in
 * what they accept. Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class ImagePart implements ContentPart {

    /** The wire type of an image part: {@value}. */
    public static final String TYPE = "image_url";

    private final String url;
    private final ImageDetail detail;

    private ImagePart(String url, ImageDetail detail) {
        this.url = url;
        this.detail = detail;
    }

    /**
     * An image part without a detail level (the provider's default applies).
     *
     * @param url an {@code https} URL or a {@code data:} URI, not blank
     * @return the part
     * @throws NullPointerException if {@code url} is null
     * @throws IllegalArgumentException if {@code url} is blank
     */
    public static ImagePart of(String url) {
        return new ImagePart(checkUrl(url), null);
    }

    /**
     * An image part with a detail level.
     *
     * @param url an {@code https} URL or a {@code data:} URI, not blank
     * @param detail how closely to look at the image
     * @return the part
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code url} is blank
     */
    public static ImagePart of(String url, ImageDetail detail) {
        return new ImagePart(checkUrl(url), Objects.requireNonNull(detail, "detail"));
    }

    private static String checkUrl(String url) {
        Objects.requireNonNull(url, "url");
        if (url.isBlank()) {
            throw new IllegalArgumentException("url must not be blank, was '" + url + "'");
        }
        return url;
    }

    /**
     * The image URL: an {@code https} URL or a {@code data:} URI.
     *
     * @return the URL, never null
     */
    public String url() {
        return url;
    }

    /**
     * The detail level, when one was given.
     *
     * @return the detail level, or empty for the provider's default
     */
    public Optional<ImageDetail> detail() {
        return Optional.ofNullable(detail);
    }

    /** {@inheritDoc} Always {@value #TYPE}. */
    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImagePart i && url.equals(i.url) && detail == i.detail;
    }

    @Override
    public int hashCode() {
        return Objects.hash(url, detail);
    }

    @Override
    public String toString() {
        return "ImagePart[" + Shorten.text(url) + (detail == null ? "" : ", detail=" + detail.wireValue()) + "]";
    }
}
