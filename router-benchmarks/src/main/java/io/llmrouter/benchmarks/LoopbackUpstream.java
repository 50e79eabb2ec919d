package io.llmrouter.benchmarks;

import io.llmrouter.providers.internal.DefaultHttpClient;
import io.llmrouter.testing.LoopbackLlmServer;
import java.io.IOException;

/**
 * The benchmarks' upstream: router-testing's {@link LoopbackLlmServer} (a raw-socket LLM
 * server on loopback with fixed answers, never the bottleneck), plus the end of the shared OkHttp
 * client's threads when a trial ends.
 *
 * <ul>
 *   <li>a {@code chat.completion} of about 600 bytes with usage ({@link #BODY});</li>
 *   <li>when the request body sets {@code "stream"} to {@code true}: a 50-chunk SSE stream with a
 *       usage chunk and {@code [DONE]} ({@link #STREAM});</li>
 *   <li>under the path prefix {@code /429}: OpenAI's rate-limit error, with no retry-after;</li>
 *   <li>for a streamed {@code POST .../messages}, Anthropic's event stream of as many text deltas
 *       ({@link #ANTHROPIC_STREAM}); for {@code ...:streamGenerateContent}, Gemini's
 *       ({@link #GEMINI_STREAM}).</li>
 * </ul>
 */
final class LoopbackUpstream implements AutoCloseable {

    /** The non-streaming answer. */
    static final byte[] BODY = LoopbackLlmServer.chatCompletionBody();

    /** Content chunks in the streaming answer (plus a role chunk, a finish chunk and a usage chunk). */
    static final int STREAM_CHUNKS = LoopbackLlmServer.STREAM_CHUNKS;

    /** The streaming answer: the SSE body. */
    static final byte[] STREAM = LoopbackLlmServer.streamBody();

    /** OpenAI's 429 body. */
    static final byte[] RATE_LIMITED = LoopbackLlmServer.rateLimitedBody();

    /** Anthropic's Messages stream of {@link #STREAM_CHUNKS} text deltas (for a streamed {@code POST .../messages}). */
    static final byte[] ANTHROPIC_STREAM = LoopbackLlmServer.anthropicStreamBody();

    /** Gemini's {@code streamGenerateContent?alt=sse} stream of {@link #STREAM_CHUNKS} text events. */
    static final byte[] GEMINI_STREAM = LoopbackLlmServer.geminiStreamBody();

    private final LoopbackLlmServer server;

    LoopbackUpstream() throws IOException {
        server = LoopbackLlmServer.start();
    }

    /** The base URL, e.g. {@code http://127.0.0.1:40123/v1}. */
    String baseUrl() {
        return server.baseUrl();
    }

    /** A base URL whose every call answers 429 (rate limited). */
    String rateLimitedBaseUrl() {
        return server.rateLimitedBaseUrl();
    }

    /**
     * Stops the server and releases the shared OkHttp client's threads and connections, so a forked
     * JVM exits at once. Only for the end of a trial: the shared client cannot make calls afterwards
     * in this JVM.
     */
    @Override
    public void close() {
        DefaultHttpClient.shared().dispatcher().executorService().shutdown();
        DefaultHttpClient.shared().connectionPool().evictAll();
        server.close();
    }
}
