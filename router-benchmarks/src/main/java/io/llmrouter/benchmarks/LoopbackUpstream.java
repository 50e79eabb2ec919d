package io.llmrouter.benchmarks;

import io.llmrouter.providers.internal.DefaultHttpClient;
import io.llmrouter.testing.LoopbackLlmServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

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

    /** The system property that runs the upstream in its own process on its own core (see the class doc). */
    static final String PINNED = "llmrouter.bench.pinned";

    private final LoopbackLlmServer server;
    private final Process process;
    private final int port;

    LoopbackUpstream() throws IOException {
        if (Boolean.getBoolean(PINNED)) {
            server = null;
            process = startPinned();
            port = readPort(process);
        } else {
            server = LoopbackLlmServer.start();
            process = null;
            port = server.port();
        }
    }

    /**
     * With {@code -Dllmrouter.bench.pinned=true} (and {@code taskset} on the machine): this JVM's
     * threads are pinned to CPU 0 and the upstream runs in a JVM of its own pinned to CPU 1, so every
     * round trip crosses cores, as a call to a real provider does, instead of depending on where the
     * scheduler puts the upstream's thread from one run to the next (on a small machine a same-core
     * round trip is about half a cross-core one; see performance.md).
     */
    private static Process startPinned() throws IOException {
        long pid = ProcessHandle.current().pid();
        run("taskset", "-a", "-p", "-c", "0", Long.toString(pid));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder("taskset", "-c", "1", java, "-cp", System.getProperty("java.class.path"),
                LoopbackLlmServer.class.getName()).redirectErrorStream(true).start();
    }

    private static void run(String... command) throws IOException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed with exit code " + p.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static int readPort(Process p) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("port=")) {
                return Integer.parseInt(line.substring("port=".length()));
            }
        }
        p.destroy();
        throw new IOException("the pinned upstream ended without listening");
    }

    /** The base URL, e.g. {@code http://127.0.0.1:40123/v1}. */
    String baseUrl() {
        return "http://127.0.0.1:" + port + "/v1";
    }

    /** A base URL whose every call answers 429 (rate limited). */
    String rateLimitedBaseUrl() {
        return "http://127.0.0.1:" + port + "/429/v1";
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
        if (server != null) {
            server.close();
        } else {
            try {
                process.getOutputStream().close(); // its standard input ends: it stops
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (IOException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
