package io.llmrouter.api.chat;

import java.util.Objects;

/**
 * A text part of a message's content ({@code {"type":"text","text":...}}).
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class TextPart implements ContentPart {

    /** The wire type of a text part: {@value}. */
    public static final String TYPE = "text";

    private final String text;

    private TextPart(String text) {
        this.text = text;
    }

    /**
     * A text part.
     *
     * @param text the text, may be empty
     * @return the part
     * @throws NullPointerException if {@code text} is null
     */
    public static TextPart of(String text) {
        return new TextPart(Objects.requireNonNull(text, "text"));
    }

    /**
     * The text.
     *
     * @return the text, never null
     */
    public String text() {
        return text;
    }

    /** {@inheritDoc} Always {@value #TYPE}. */
    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TextPart t && text.equals(t.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return "TextPart[" + Shorten.text(text) + "]";
    }
}
