package io.llmrouter.providers.openai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.internal.OpenAiJsonCodec;
import io.llmrouter.providers.internal.ErrorMapping;
import io.llmrouter.providers.openai.OpenAiCompatibleVendor;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * Shapes the JSON body of a chat-completions call from a {@link ChatRequest}, and applies a
 * vendor's declared request quirks.
 *
 * <p>Two paths give the same bytes. {@link #shape} + {@link OpenAiJsonCodec#writeRequestBytes} writes the
 * body straight with a streaming generator (the OpenAI-family adapter's hot path: no tree per call);
 * {@link #nonStreaming}/{@link #streaming} + {@link #forVendor} build and edit a tree (kept as the
 * reference the generator's bytes are tested against). The OpenAI-family adapter and both Azure adapters
 * send chat and embeddings bodies written by the generator; the other endpoints still go through trees.
 */
public final class OpenAiRequestBody {

    /** {@link #nonStreaming}'s body, with no vendor quirks, for {@link OpenAiJsonCodec#writeRequestBytes}. */
    public static final OpenAiJsonCodec.RequestShape PLAIN = new OpenAiJsonCodec.RequestShape(
            OpenAiJsonCodec.StreamMode.NON_STREAMING, OpenAiJsonCodec.TokenLimit.AS_GIVEN, false, "seed", Set.of());

    /** {@link #streaming}'s body, with no vendor quirks, for {@link OpenAiJsonCodec#writeRequestBytes}. */
    public static final OpenAiJsonCodec.RequestShape STREAMED = new OpenAiJsonCodec.RequestShape(
            OpenAiJsonCodec.StreamMode.STREAMING, OpenAiJsonCodec.TokenLimit.AS_GIVEN, false, "seed", Set.of());

    /** {@link #streaming}'s body without {@code stream_options}, for servers that reject it. */
    public static final OpenAiJsonCodec.RequestShape STREAMED_WITHOUT_OPTIONS = new OpenAiJsonCodec.RequestShape(
            OpenAiJsonCodec.StreamMode.STREAMING, OpenAiJsonCodec.TokenLimit.AS_GIVEN, false, "seed",
            Set.of("stream_options"));

    private OpenAiRequestBody() {
    }

    /**
     * The body written straight with a generator ({@link OpenAiJsonCodec#writeRequestBytes}), or the
     * typed failure when it cannot be written.
     *
     * @param request the request, whose model is the provider's model name
     * @param shape the body's shape
     * @param errors the adapter's error mapping
     * @param context the call's context
     * @return UTF-8 JSON
     * @throws io.llmrouter.api.exception.BadRequestException if the request cannot be written as JSON
     */
    public static byte[] bytes(ChatRequest request, OpenAiJsonCodec.RequestShape shape, ErrorMapping errors,
            ErrorContext context) {
        try {
            return OpenAiJsonCodec.writeRequestBytes(request, shape);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            throw errors.unsendable("the request cannot be written as JSON", context, e);
        }
    }

    /**
     * The embeddings body written straight with a generator
     * ({@link OpenAiJsonCodec#writeEmbeddingRequestBytes}), or the typed failure when it cannot be written.
     *
     * @param request the request, whose model is the provider's model name
     * @param errors the adapter's error mapping
     * @param context the call's context
     * @return UTF-8 JSON
     * @throws io.llmrouter.api.exception.BadRequestException if the request cannot be written as JSON
     */
    public static byte[] embeddingBytes(EmbeddingRequest request, ErrorMapping errors, ErrorContext context) {
        try {
            return OpenAiJsonCodec.writeEmbeddingRequestBytes(request);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            throw errors.unsendable("the request cannot be written as JSON", context, e);
        }
    }

    /**
     * The body of a non-streaming call: the request in OpenAI's shape without {@code stream} and
     * {@code stream_options}, whatever the request says.
     *
     * @param request the request, whose model is the provider's model name
     * @return a new tree
     */
    public static ObjectNode nonStreaming(ChatRequest request) {
        ObjectNode body = OpenAiJsonCodec.writeRequest(request);
        body.remove("stream");
        body.remove("stream_options");
        return body;
    }

    /**
     * The body of a streaming call: the request in OpenAI's shape with {@code "stream": true} and,
     * unless the request sets its own, {@code "stream_options": {"include_usage": true}} (OpenAI
     * reports a stream's usage only when asked).
     *
     * @param request the request, whose model is the provider's model name
     * @return a new tree
     */
    public static ObjectNode streaming(ChatRequest request) {
        ObjectNode body = OpenAiJsonCodec.writeRequest(request);
        body.put("stream", true);
        if (!body.path("stream_options").isObject()) {
            body.putObject("stream_options").put("include_usage", true);
        }
        return body;
    }

    /**
     * The shape that {@link OpenAiJsonCodec#writeRequestBytes} writes for {@code vendor}: the bytes of
     * {@link #nonStreaming} or {@link #streaming} followed by {@link #forVendor}, without the tree.
     * Adapters compute it once per vendor and mode.
     *
     * @param vendor the vendor called (its quirks)
     * @param streaming whether the call streams
     * @return the shape
     */
    public static OpenAiJsonCodec.RequestShape shape(OpenAiCompatibleVendor vendor, boolean streaming) {
        OpenAiJsonCodec.TokenLimit limit = switch (vendor.tokenLimitField()) {
            case MAX_COMPLETION_TOKENS -> OpenAiJsonCodec.TokenLimit.MAX_COMPLETION_TOKENS;
            case MAX_TOKENS -> OpenAiJsonCodec.TokenLimit.MAX_TOKENS;
            case AS_GIVEN -> OpenAiJsonCodec.TokenLimit.AS_GIVEN;
        };
        return new OpenAiJsonCodec.RequestShape(
                streaming ? OpenAiJsonCodec.StreamMode.STREAMING : OpenAiJsonCodec.StreamMode.NON_STREAMING,
                limit, !vendor.keepsDeveloperRole(), vendor.seedField(), vendor.droppedFields());
    }

    /**
     * Applies {@code vendor}'s request quirks: the token limit field, {@code developer} as
     * {@code system}, the seed field's name and the dropped fields.
     *
     * @param body a chat-completions body, changed in place
     * @param vendor the vendor called
     * @return {@code body}
     */
    public static ObjectNode forVendor(ObjectNode body, OpenAiCompatibleVendor vendor) {
        switch (vendor.tokenLimitField()) {
            case MAX_COMPLETION_TOKENS -> preferMaxCompletionTokens(body);
            case MAX_TOKENS -> preferMaxTokens(body);
            case AS_GIVEN -> {
                // sent as the request gives them
            }
        }
        if (!vendor.keepsDeveloperRole()) {
            for (JsonNode m : body.path("messages")) {
                if (m instanceof ObjectNode message && "developer".equals(message.path("role").textValue())) {
                    message.put("role", "system");
                }
            }
        }
        if (!vendor.seedField().equals("seed")) {
            JsonNode seed = body.remove("seed");
            if (seed != null) {
                body.set(vendor.seedField(), seed);
            }
        }
        body.remove(vendor.droppedFields());
        return body;
    }

    /**
     * Replaces the deprecated {@code max_tokens} (which OpenAI's reasoning models reject) with
     * {@code max_completion_tokens}: renamed when the latter is absent, dropped when both are set.
     * Only for OpenAI's own API; OpenAI-compatible servers may know only {@code max_tokens}.
     *
     * @param body a chat-completions body, changed in place
     * @return {@code body}
     */
    public static ObjectNode preferMaxCompletionTokens(ObjectNode body) {
        JsonNode maxTokens = body.remove("max_tokens");
        if (maxTokens != null && !body.has("max_completion_tokens")) {
            body.set("max_completion_tokens", maxTokens);
        }
        return body;
    }

    /**
     * Replaces {@code max_completion_tokens} with {@code max_tokens}, for APIs that know only the
     * latter: renamed when {@code max_tokens} is absent, dropped when both are set.
     *
     * @param body a chat-completions body, changed in place
     * @return {@code body}
     */
    public static ObjectNode preferMaxTokens(ObjectNode body) {
        JsonNode maxCompletionTokens = body.remove("max_completion_tokens");
        if (maxCompletionTokens != null && !body.has("max_tokens")) {
            body.set("max_tokens", maxCompletionTokens);
        }
        return body;
    }
}
