package io.llmrouter.providers.vertex.internal;

import io.llmrouter.api.Secret;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.providers.anthropic.internal.AnthropicErrorMapper;
import io.llmrouter.providers.gemini.internal.GeminiErrorMapper;
import io.llmrouter.providers.internal.ErrorMapping;
import io.llmrouter.providers.internal.HttpExchange;
import java.time.Instant;
import java.util.List;

/**
 * The one place where Vertex AI failures become typed exceptions. Vertex answers in Google's
 * {@code google.rpc.Status} envelope ({@code {"error":{"code":429,"status":"RESOURCE_EXHAUSTED",...}}}),
 * mapped as the Gemini adapter maps it ({@code RESOURCE_EXHAUSTED} a rate limit with the
 * {@code RetryInfo} delay, {@code UNAUTHENTICATED} an authentication error, {@code PERMISSION_DENIED}
 * permission denied, {@code INVALID_ARGUMENT} a bad request, a too-long prompt a context-window
 * overflow); the Anthropic models it hosts answer their own errors in Anthropic's envelope
 * ({@code {"type":"error","error":{...}}}), mapped as the Anthropic adapter maps it. Immutable and
 * thread-safe.
 */
public final class VertexErrorMapper extends ErrorMapping {

    private final GeminiErrorMapper google;
    private final AnthropicErrorMapper anthropic;

    /**
     * A mapper for the provider named {@code provider}.
     *
     * @param provider the provider name that prefixes messages
     */
    public VertexErrorMapper(String provider) {
        super(provider, List.of(AnthropicErrorMapper.REQUEST_ID_HEADER));
        this.google = new GeminiErrorMapper(provider);
        this.anthropic = new AnthropicErrorMapper(provider);
    }

    /** The mapper of Google's envelope (Gemini models, embeddings, Gemini stream events). */
    public GeminiErrorMapper google() {
        return google;
    }

    /** The mapper of Anthropic's envelope (Claude models, their stream events). */
    public AnthropicErrorMapper anthropic() {
        return anthropic;
    }

    @Override
    public LlmRouterException httpError(HttpExchange exchange, ErrorContext context, Secret key, Instant now) {
        return isAnthropicEnvelope(exchange.body()) ? anthropic.httpError(exchange, context, key, now)
                : google.httpError(exchange, context, key, now);
    }

    private static boolean isAnthropicEnvelope(String body) {
        return parseObject(body).map(tree -> "error".equals(tree.path("type").textValue())).orElse(false);
    }
}
