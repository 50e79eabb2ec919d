/**
 * llmrouter's public types: the OpenAI-shaped chat and embedding values, the exception hierarchy,
 * the provider and strategy SPIs, and the OpenAI JSON codec.
 *
 * <p>{@code io.llmrouter.api.internal} is not API: it is exported only to the library's own modules.
 * Jackson's databind module is read transitively, because the values keep provider fields they do
 * not model as Jackson trees ({@code extraBody}, {@code extraFields}).
 *
 * @since 0.1.0
 */
module io.llmrouter.api {
    requires com.fasterxml.jackson.core;
    requires transitive com.fasterxml.jackson.databind;

    exports io.llmrouter.api;
    exports io.llmrouter.api.audio;
    exports io.llmrouter.api.chat;
    exports io.llmrouter.api.completion;
    exports io.llmrouter.api.embedding;
    exports io.llmrouter.api.exception;
    exports io.llmrouter.api.image;
    exports io.llmrouter.api.json;
    exports io.llmrouter.api.moderation;
    exports io.llmrouter.api.rerank;
    exports io.llmrouter.api.responses;
    exports io.llmrouter.spi;

    exports io.llmrouter.api.internal to io.llmrouter.core, io.llmrouter.providers;
}
