package io.llmrouter.api.json;

import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.embedding.EmbeddingResponse;
import io.llmrouter.api.internal.OpenAiJsonCodec;

/**
 * Reads and writes the chat-completions and embeddings types as OpenAI's exact JSON text.
 *
 * <p><b>Writing</b> uses OpenAI's snake_case names and omits absent values (never {@code null}),
 * with the exceptions OpenAI itself makes: an assistant message without content is written with
 * {@code "content": null}, and in a response every message carries {@code refusal} and every
 * choice {@code logprobs}, {@code null} when absent. A request's {@link ChatRequest#extraBody()}
 * is merged into the top level; its {@link ChatRequest#tags()} are never written. Usage is written
 * with {@code prompt_tokens_details.cached_tokens} and {@code completion_tokens_details.reasoning_tokens},
 * and {@code prompt_tokens_details.cache_creation_tokens} when it is not zero. The finish reason
 * written is the provider's raw value when that maps to the same {@link FinishReason} (so unknown
 * values survive a round trip), else the OpenAI value (so Anthropic's {@code end_turn} becomes
 * {@code stop}).
 *
 * <p><b>Reading</b> keeps what the types do not model: unknown top-level request fields go to
 * {@link ChatRequest#extraBody()}, unknown response, choice and message fields to their
 * {@code extraFields()}. LiteLLM-style {@code metadata.tags} (and a top-level {@code tags} array)
 * become {@link ChatRequest#tags()}; other metadata values that are not strings are skipped.
 * Unmodelled usage details (e.g. {@code audio_tokens}) and content-part fields (e.g.
 * {@code cache_control}) are skipped. A known field whose value is {@code null} counts as absent.
 * Token counts may be integral floating-point numbers ({@code 18.0}); a missing {@code usage} or
 * count is empty or 0, and a missing {@code created} is 0. An assistant message in a response with
 * no content, tool calls, refusal or other field is read as having empty content.
 *
 * <p><b>Embeddings</b> ({@code /v1/embeddings}): a request is written with
 * {@code "encoding_format": "base64"}, as openai-python does; a response's {@code embedding} may be
 * a base64 string of little-endian float32 values or an array of numbers, decided per item (some
 * OpenAI-compatible servers ignore the requested format).
 *
 * <p><b>Errors</b>: every malformed input (not JSON, a wrong type, a missing required field, a value
 * a builder rejects) throws {@link IllegalArgumentException} whose message starts with the JSON
 * path, e.g. {@code choices[0].message.tool_calls[1].function.arguments: expected a string, was an
 * object}; {@code $} is the document itself.
 *
 * <p>All methods are static and thread-safe. Text in, text out: no Jackson type is part of this
 * API.
 *
 * @since 0.1.0
 */
public final class OpenAiJson {

    /** The {@code encoding_format} written into every embeddings request: {@value}. */
    public static final String EMBEDDING_ENCODING_FORMAT = OpenAiJsonCodec.EMBEDDING_ENCODING_FORMAT;

    private OpenAiJson() {
    }

    /**
     * The request as OpenAI's JSON body text.
     *
     * @param request the request
     * @return compact JSON
     * @throws NullPointerException if {@code request} is null
     */
    public static String requestToJson(ChatRequest request) {
        return OpenAiJsonCodec.requestToJson(request);
    }

    /**
     * Reads an OpenAI chat-completions request body.
     *
     * @param json the body
     * @return the request
     * @throws NullPointerException if {@code json} is null
     * @throws IllegalArgumentException naming the JSON path when the body is malformed
     */
    public static ChatRequest readRequest(String json) {
        return OpenAiJsonCodec.readRequest(json);
    }

    /**
     * The response as OpenAI's JSON body text; the router's cost and routing are not written.
     *
     * @param response the response
     * @return compact JSON
     * @throws NullPointerException if {@code response} is null
     */
    public static String responseToJson(ChatResponse response) {
        return OpenAiJsonCodec.responseToJson(response);
    }

    /**
     * Reads an OpenAI chat-completions response body (not a stream chunk).
     *
     * @param json the body
     * @return the response, with the default (unpriced) cost and no routing information
     * @throws NullPointerException if {@code json} is null
     * @throws IllegalArgumentException naming the JSON path when the body is malformed
     */
    public static ChatResponse readResponse(String json) {
        return OpenAiJsonCodec.readResponse(json);
    }

    /**
     * The embeddings request as OpenAI's {@code /v1/embeddings} body text:
     * {@code {"model","input":[...],"dimensions"?,"encoding_format":"base64","user"?}} with the
     * request's {@link EmbeddingRequest#extraBody()} merged into the top level; tags are never
     * written. {@code input} is always an array, even for one text.
     *
     * @param request the request, whose model is the provider's model name
     * @return compact JSON
     * @throws NullPointerException if {@code request} is null
     */
    public static String embeddingRequestToJson(EmbeddingRequest request) {
        return OpenAiJsonCodec.embeddingRequestToJson(request);
    }

    /**
     * Reads an OpenAI {@code /v1/embeddings} response body. Each item's {@code embedding} is decoded
     * from base64 (little-endian float32) when it is a string, and read as numbers when it is an
     * array. A missing {@code index} is the item's position. {@code usage} becomes a usage with
     * {@code prompt_tokens}, no completion tokens and the stated {@code total_tokens}.
     *
     * @param json the body
     * @return the response, with the default (unpriced) cost and no routing information
     * @throws NullPointerException if {@code json} is null
     * @throws IllegalArgumentException naming the JSON path when the body is malformed
     */
    public static EmbeddingResponse readEmbeddingResponse(String json) {
        return OpenAiJsonCodec.readEmbeddingResponse(json);
    }
}
