package io.llmrouter.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An LLM server on loopback that is never the bottleneck, for load tests and benchmarks: it speaks
 * OpenAI's Chat Completions (and, for their streams, Anthropic's Messages and Gemini's
 * {@code streamGenerateContent}) and answers every call with a fixed answer, as fast as the kernel
 * allows.
 * Use {@link FaultServer} to script answers and failures; use this one to measure what sits in front
 * of it (a router, a proxy, an application) under load.
 *
 * <ul>
 *   <li>A chat completion of about 600 bytes with usage ({@link #chatCompletionBody()}).</li>
 *   <li>When the request body sets {@code "stream"} to {@code true} (any whitespace around the
 *       colon): a {@value #STREAM_CHUNKS}-chunk server-sent event stream (a role chunk, one chunk per
 *       word, a finish chunk, a usage chunk and {@code [DONE]}; {@link #streamBody()}).</li>
 *   <li>Under the path prefix {@code /429/} ({@link #rateLimitedBaseUrl()}): OpenAI's rate-limit
 *       error, without {@code retry-after} ({@link #rateLimitedBody()}).</li>
 *   <li>A streamed call to a path ending in {@code /messages}: Anthropic's Messages event stream with
 *       {@value #STREAM_CHUNKS} text deltas ({@link #anthropicStreamBody()}); a path containing
 *       {@code :streamGenerateContent}: Gemini's server-sent stream of {@value #STREAM_CHUNKS} text
 *       events, usage in each ({@link #geminiStreamBody()}).</li>
 * </ul>
 *
 * <p>Any method and path is answered the same way; the request body is read (plain or chunked) only
 * to look for {@code "stream"}. It is a raw {@link ServerSocket} with one daemon thread per
 * keep-alive connection ({@code TCP_NODELAY}), each answer pre-built and written in one write: the
 * JDK's {@code HttpServer} hands every exchange from its selector thread to an executor, and those
 * hand-offs made it slower and noisier than the clients it served. {@link #answered()} counts the
 * answers, so a test can check that every call was sent exactly once.
 *
 * <pre>{@code
 * try (LoopbackLlmServer upstream = LoopbackLlmServer.start()) {
 *     Router router = Router.builder()
 *             .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").apiBase(upstream.baseUrl())
 *                     .apiKey(Secret.of("sk-test")).build())
 *             .build();
 *     // drive load through router...
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} stops accepting, closes every connection and ends every thread it
 * started.
 *
 * @since 0.1.0
 */
public final class LoopbackLlmServer implements AutoCloseable {

    /** Content chunks in the streamed answer (plus a role chunk, a finish chunk and a usage chunk). */
    public static final int STREAM_CHUNKS = 50;

    /** The largest request body read, in bytes; a longer one closes the connection. */
    public static final int MAX_REQUEST_BYTES = 1024 * 1024;

    private static final byte[] BODY = ("{\"id\":\"chatcmpl-bench0123456789\",\"object\":\"chat.completion\","
            + "\"created\":1764400000,\"model\":\"gpt-4o-2024-08-06\",\"choices\":[{\"index\":0,\"message\":"
            + "{\"role\":\"assistant\",\"content\":\"Hello! This is a fixed answer from the loopback upstream used by"
            + " the llmrouter benchmarks; it is about as long as a short chat reply.\",\"refusal\":null},"
            + "\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":24,\"completion_tokens\":31,"
            + "\"total_tokens\":55,\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
            + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
            + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}},\"service_tier\":\"default\","
            + "\"system_fingerprint\":\"fp_bench\"}").getBytes(StandardCharsets.UTF_8);

    private static final byte[] STREAM = buildStream();

    private static final byte[] RATE_LIMITED = ("{\"error\":{\"message\":\"Rate limit reached for gpt-4o in"
            + " organization org-bench on requests per min (RPM): Limit 500, Used 500, Requested 1.\","
            + "\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}")
            .getBytes(StandardCharsets.UTF_8);

    private static final byte[] ANTHROPIC_STREAM = buildAnthropicStream();

    private static final byte[] GEMINI_STREAM = buildGeminiStream();

    private static final byte[] STREAM_KEY = "\"stream\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] OK_RESPONSE = response("200 OK", "application/json", BODY);
    private static final byte[] STREAM_RESPONSE = response("200 OK", "text/event-stream", STREAM);
    private static final byte[] RATE_LIMITED_RESPONSE = response("429 Too Many Requests", "application/json",
            RATE_LIMITED);
    private static final byte[] ANTHROPIC_STREAM_RESPONSE = response("200 OK", "text/event-stream", ANTHROPIC_STREAM);
    private static final byte[] GEMINI_STREAM_RESPONSE = response("200 OK", "text/event-stream", GEMINI_STREAM);

    private final ServerSocket server;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicLong answered = new AtomicLong();

    private LoopbackLlmServer(ServerSocket server) {
        this.server = server;
    }

    /**
     * Starts a server on {@code 127.0.0.1} and a free port.
     *
     * @return the running server
     * @throws IOException if no server socket can be opened
     */
    public static LoopbackLlmServer start() throws IOException {
        LoopbackLlmServer s = new LoopbackLlmServer(new ServerSocket(0, 1024, InetAddress.getLoopbackAddress()));
        Thread acceptor = new Thread(s::acceptLoop, "loopback-upstream-accept");
        acceptor.setDaemon(true);
        s.threads.add(acceptor);
        acceptor.start();
        return s;
    }

    /**
     * Runs a server in its own process, e.g. pinned to a core of its own with {@code taskset}, so that
     * a benchmark's client and upstream never share a core: prints {@code port=<port>} on one line
     * once it listens, and stops when its standard input ends (the parent closes it, or exits).
     *
     * @param args none
     * @throws IOException if no server socket can be opened
     */
    public static void main(String... args) throws IOException {
        try (LoopbackLlmServer server = start()) {
            System.out.println("port=" + server.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the end of standard input
            }
        }
    }

    /** The base URL to set as a deployment's {@code apiBase}, e.g. {@code http://127.0.0.1:40123/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/v1";
    }

    /** A base URL under which every call is answered with OpenAI's 429 (rate limited). */
    public String rateLimitedBaseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/429/v1";
    }

    /** The port the server listens on. */
    public int port() {
        return server.getLocalPort();
    }

    /**
     * How many calls have been answered so far: each is counted before its answer is written, so a
     * caller that has received an answer sees it counted.
     */
    public long answered() {
        return answered.get();
    }

    /** The chat completion every non-streamed call gets (a copy). */
    public static byte[] chatCompletionBody() {
        return BODY.clone();
    }

    /** The server-sent event body every streamed call gets (a copy). */
    public static byte[] streamBody() {
        return STREAM.clone();
    }

    /** OpenAI's rate-limit error body, answered under {@link #rateLimitedBaseUrl()} (a copy). */
    public static byte[] rateLimitedBody() {
        return RATE_LIMITED.clone();
    }

    /** Anthropic's Messages event stream every streamed call to {@code .../messages} gets (a copy). */
    public static byte[] anthropicStreamBody() {
        return ANTHROPIC_STREAM.clone();
    }

    /** Gemini's server-sent event stream every {@code ...:streamGenerateContent} call gets (a copy). */
    public static byte[] geminiStreamBody() {
        return GEMINI_STREAM.clone();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                socket.setTcpNoDelay(true);
                connections.add(socket);
                Thread t = new Thread(() -> serve(socket), "loopback-upstream-conn");
                t.setDaemon(true);
                threads.add(t);
                t.start();
                if (server.isClosed()) {
                    socket.close(); // close() ran while this connection was being set up
                }
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = new FastInput(socket.getInputStream());
                OutputStream out = socket.getOutputStream()) {
            byte[][] body = {new byte[64 * 1024]};
            while (true) {
                Head head = readHead(in);
                if (head == null) {
                    return;
                }
                int length;
                if (head.chunked) {
                    length = readChunked(in, body);
                } else {
                    ensure(body, head.contentLength);
                    length = readFully(in, body[0], head.contentLength);
                }
                byte[] answer;
                if (head.path.startsWith("/429/")) {
                    answer = RATE_LIMITED_RESPONSE;
                } else if (head.path.contains(":streamGenerateContent")) {
                    answer = GEMINI_STREAM_RESPONSE;
                } else if (streams(body[0], length)) {
                    answer = head.path.endsWith("/messages") ? ANTHROPIC_STREAM_RESPONSE : STREAM_RESPONSE;
                } else {
                    answer = OK_RESPONSE;
                }
                answered.incrementAndGet(); // before the answer leaves, so a caller that has it sees the count
                out.write(answer);
                out.flush();
            }
        } catch (IOException e) {
            // the client went away, or close() closed the socket
        } finally {
            connections.remove(socket);
            threads.remove(Thread.currentThread());
        }
    }

    /** Grows {@code buffer[0]} to hold {@code length} bytes, up to {@link #MAX_REQUEST_BYTES}. */
    private static void ensure(byte[][] buffer, int length) throws IOException {
        if (length < 0 || length > MAX_REQUEST_BYTES) {
            throw new IOException("request body too large: " + length);
        }
        if (length > buffer[0].length) {
            buffer[0] = java.util.Arrays.copyOf(buffer[0], Math.min(MAX_REQUEST_BYTES, Math.max(length,
                    2 * buffer[0].length)));
        }
    }

    private record Head(String path, int contentLength, boolean chunked) {
    }

    /** Reads the request line and headers; null at a clean end of the connection. */
    private static Head readHead(InputStream in) throws IOException {
        String requestLine = readLine(in);
        if (requestLine == null) {
            return null;
        }
        int sp1 = requestLine.indexOf(' ');
        int sp2 = requestLine.indexOf(' ', sp1 + 1);
        String path = sp1 < 0 || sp2 < 0 ? "/" : requestLine.substring(sp1 + 1, sp2);
        int contentLength = 0;
        boolean chunked = false;
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                try {
                    contentLength = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw new IOException("bad Content-Length", e);
                }
            } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
                chunked = true;
            }
        }
        return new Head(path, contentLength, chunked);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder(64);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int n = sb.length();
                return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
            }
            sb.append((char) c);
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    private static int readFully(InputStream in, byte[] into, int length) throws IOException {
        int read = 0;
        while (read < length) {
            int n = in.read(into, read, length - read);
            if (n < 0) {
                throw new IOException("connection closed mid-body");
            }
            read += n;
        }
        return length;
    }

    private static int readChunked(InputStream in, byte[][] into) throws IOException {
        int total = 0;
        while (true) {
            String sizeLine = readLine(in);
            if (sizeLine == null) {
                throw new IOException("connection closed mid-body");
            }
            int semicolon = sizeLine.indexOf(';');
            int size;
            try {
                size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size", e);
            }
            if (size == 0) {
                while (true) { // trailers up to the empty line
                    String trailer = readLine(in);
                    if (trailer == null || trailer.isEmpty()) {
                        return total;
                    }
                }
            }
            if (size < 0) {
                throw new IOException("bad chunk size");
            }
            ensure(into, total + size);
            int read = 0;
            while (read < size) {
                int n = in.read(into[0], total + read, size - read);
                if (n < 0) {
                    throw new IOException("connection closed mid-body");
                }
                read += n;
            }
            total += size;
            readLine(in); // CRLF after the chunk
        }
    }

    /**
     * Whether the body has {@code "stream"} set to {@code true}, with any JSON whitespace around
     * the colon (LangChain4j indents its bodies: {@code "stream" : true}).
     */
    private static boolean streams(byte[] body, int length) {
        for (int i = indexOf(body, 0, length, STREAM_KEY); i >= 0; i = indexOf(body, i + 1, length, STREAM_KEY)) {
            int j = skipSpace(body, i + STREAM_KEY.length, length);
            if (j < length && body[j] == ':') {
                j = skipSpace(body, j + 1, length);
                if (indexOf(body, j, Math.min(length, j + TRUE.length), TRUE) == j) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int skipSpace(byte[] b, int from, int length) {
        int i = from;
        while (i < length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static int indexOf(byte[] haystack, int from, int length, byte[] needle) {
        outer:
        for (int i = from; i + needle.length <= length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] response(String status, String contentType, byte[] body) {
        byte[] head = ("HTTP/1.1 " + status + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + body.length
                + "\r\nx-request-id: req_bench\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    private static byte[] buildStream() {
        String prefix = "data: {\"id\":\"chatcmpl-bench0123456789\",\"object\":\"chat.completion.chunk\","
                + "\"created\":1764400000,\"model\":\"gpt-4o-2024-08-06\",\"system_fingerprint\":\"fp_bench\",\"choices\":";
        StringBuilder sb = new StringBuilder(16 * 1024);
        sb.append(prefix).append("[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},"
                + "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
        for (int i = 0; i < STREAM_CHUNKS; i++) {
            sb.append(prefix).append("[{\"index\":0,\"delta\":{\"content\":\"word").append(i)
                    .append(" \"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
        }
        sb.append(prefix).append("[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
                + "\"usage\":null}\n\n");
        sb.append(prefix).append("[],\"usage\":{\"prompt_tokens\":24,\"completion_tokens\":").append(STREAM_CHUNKS)
                .append(",\"total_tokens\":").append(24 + STREAM_CHUNKS).append("}}\n\n");
        sb.append("data: [DONE]\n\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] buildAnthropicStream() {
        StringBuilder sb = new StringBuilder(16 * 1024);
        sb.append("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_bench0123456789\","
                + "\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-sonnet-4-5-20250929\","
                + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":24,\"output_tokens\":1}}}\n\n");
        sb.append("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
        for (int i = 0; i < STREAM_CHUNKS; i++) {
            sb.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"word").append(i).append(" \"}}\n\n");
        }
        sb.append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n");
        sb.append("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":").append(STREAM_CHUNKS).append("}}\n\n");
        sb.append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] buildGeminiStream() {
        StringBuilder sb = new StringBuilder(16 * 1024);
        for (int i = 0; i < STREAM_CHUNKS; i++) {
            boolean last = i == STREAM_CHUNKS - 1;
            sb.append("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"word").append(i)
                    .append(" \"}],\"role\":\"model\"}").append(last ? ",\"finishReason\":\"STOP\"" : "")
                    .append(",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":24,\"candidatesTokenCount\":")
                    .append(i + 1).append(",\"totalTokenCount\":").append(25 + i)
                    .append("},\"modelVersion\":\"gemini-2.0-flash-001\",\"responseId\":\"resp-bench0123\"}\r\n\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** An unsynchronized buffered input (BufferedInputStream locks on every byte read). */
    private static final class FastInput extends InputStream {
        private final InputStream in;
        private final byte[] buf = new byte[16 * 1024];
        private int pos;
        private int limit;

        FastInput(InputStream in) {
            this.in = in;
        }

        private boolean fill() throws IOException {
            int n = in.read(buf, 0, buf.length);
            if (n <= 0) {
                return false;
            }
            pos = 0;
            limit = n;
            return true;
        }

        @Override
        public int read() throws IOException {
            if (pos == limit && !fill()) {
                return -1;
            }
            return buf[pos++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (pos == limit && !fill()) {
                return -1;
            }
            int n = Math.min(len, limit - pos);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    /**
     * Stops accepting, closes every connection and waits (up to a second each) for the threads it
     * started to end. Idempotent.
     */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket s : connections) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        for (Thread t : threads) {
            try {
                t.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public String toString() {
        return "LoopbackLlmServer[" + baseUrl() + ", answered=" + answered.get() + "]";
    }
}
