package io.llmrouter.proxy;

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
 * A loopback OpenAI-compatible upstream for the load test that is not the bottleneck (the same
 * design as router-benchmarks' {@code LoopbackUpstream}): a raw {@link ServerSocket}, one thread
 * per keep-alive connection with {@code TCP_NODELAY}, and two pre-built answers written in one
 * write each: a {@code chat.completion} of about 600 bytes with usage, or, when the request body
 * contains {@code "stream":true}, a {@value #STREAM_CHUNKS}-chunk SSE stream with a usage chunk and
 * {@code [DONE]}. It counts the requests it answered, so a test can check that no call was sent twice.
 */
final class LoadUpstream implements AutoCloseable {

    /** The non-streaming answer. */
    static final byte[] BODY = ("{\"id\":\"chatcmpl-load0123456789\",\"object\":\"chat.completion\",\"created\":1764400000,"
            + "\"model\":\"gpt-4o-2024-08-06\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
            + "\"content\":\"Hello! This is a fixed answer from the loopback upstream used by the proxy load test;"
            + " it is about as long as a short chat reply.\",\"refusal\":null},\"logprobs\":null,"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":24,\"completion_tokens\":31,\"total_tokens\":55,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},\"completion_tokens_details\":"
            + "{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,"
            + "\"rejected_prediction_tokens\":0}},\"service_tier\":\"default\",\"system_fingerprint\":\"fp_load\"}")
            .getBytes(StandardCharsets.UTF_8);

    /** Content chunks in the streaming answer (plus a role chunk, a finish chunk and a usage chunk). */
    static final int STREAM_CHUNKS = 50;

    private static final byte[] STREAM_MARKER = "\"stream\":true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK_RESPONSE = response("application/json", BODY);
    private static final byte[] STREAM_RESPONSE = response("text/event-stream", buildStream());

    private final ServerSocket server;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final AtomicLong answered = new AtomicLong();

    LoadUpstream() throws IOException {
        server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "load-upstream-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The base URL, e.g. {@code http://127.0.0.1:40123/v1}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/v1";
    }

    /** Requests answered so far. */
    long answered() {
        return answered.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                socket.setTcpNoDelay(true);
                connections.add(socket);
                Thread t = new Thread(() -> serve(socket), "load-upstream-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = new FastInput(socket.getInputStream());
                OutputStream out = socket.getOutputStream()) {
            byte[] body = new byte[64 * 1024];
            while (true) {
                Head head = readHead(in);
                if (head == null) {
                    return;
                }
                int length = head.chunked ? readChunked(in, body) : readFully(in, body, head.contentLength);
                answered.incrementAndGet();
                out.write(contains(body, length, STREAM_MARKER) ? STREAM_RESPONSE : OK_RESPONSE);
                out.flush();
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            connections.remove(socket);
        }
    }

    private record Head(int contentLength, boolean chunked) {
    }

    /** Reads the request line and headers; null at a clean end of the connection. */
    private static Head readHead(InputStream in) throws IOException {
        String requestLine = readLine(in);
        if (requestLine == null) {
            return null;
        }
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
                contentLength = Integer.parseInt(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
                chunked = true;
            }
        }
        return new Head(contentLength, chunked);
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
        if (length > into.length) {
            throw new IOException("request body too large for the load upstream: " + length);
        }
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

    private static int readChunked(InputStream in, byte[] into) throws IOException {
        int total = 0;
        while (true) {
            String sizeLine = readLine(in);
            if (sizeLine == null) {
                throw new IOException("connection closed mid-body");
            }
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                while (true) { // trailers up to the empty line
                    String trailer = readLine(in);
                    if (trailer == null || trailer.isEmpty()) {
                        return total;
                    }
                }
            }
            if (total + size > into.length) {
                throw new IOException("request body too large for the load upstream");
            }
            int read = 0;
            while (read < size) {
                int n = in.read(into, total + read, size - read);
                if (n < 0) {
                    throw new IOException("connection closed mid-body");
                }
                read += n;
            }
            total += size;
            readLine(in); // CRLF after the chunk
        }
    }

    private static boolean contains(byte[] haystack, int length, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static byte[] response(String contentType, byte[] body) {
        byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: " + contentType + "\r\nContent-Length: " + body.length
                + "\r\nx-request-id: req_load\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    private static byte[] buildStream() {
        String prefix = "data: {\"id\":\"chatcmpl-load0123456789\",\"object\":\"chat.completion.chunk\","
                + "\"created\":1764400000,\"model\":\"gpt-4o-2024-08-06\",\"system_fingerprint\":\"fp_load\",\"choices\":";
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

    /** Stops the server and closes every connection. Idempotent. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // ignore
        }
        for (Socket s : connections) {
            try {
                s.close();
            } catch (IOException e) {
                // ignore
            }
        }
    }
}
