package io.llmrouter.api.chat;

/**
 * One part of a multi-part message content: a {@link TextPart} or an {@link ImagePart}.
 *
 * <p>On the wire a part is {@code {"type":"text","text":...}} or
 * {@code {"type":"image_url","image_url":{"url":...,"detail":...}}}. Implementations are
 * immutable and thread-safe.
 *
 * @since 0.1.0
 */
public sealed interface ContentPart permits TextPart, ImagePart {

    /**
     * The OpenAI part type: {@code text} or {@code image_url}.
     *
     * @return the wire type
     */
    String type();
}
