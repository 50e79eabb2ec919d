package io.llmrouter.benchmarks;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

/**
 * A minimal RESP client on its own socket, so the benchmarks can look at and steer the Redis that a
 * {@code RedisStateStore} uses without going through the store: {@code INFO commandstats} (how
 * many commands Redis has executed) and {@code CLIENT PAUSE} (Redis holds every client's commands,
 * this one's included, for a while). Not thread-safe.
 */
final class RedisProbe implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RedisProbe(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /**
     * The redis-server port from the system property or environment variable
     * {@code LLMROUTER_REDIS_PORT}; empty when neither is set.
     */
    static OptionalInt configuredPort() {
        String port = System.getProperty("LLMROUTER_REDIS_PORT", System.getenv("LLMROUTER_REDIS_PORT"));
        return port == null || port.isBlank() ? OptionalInt.empty()
                : OptionalInt.of(Integer.parseInt(port.trim()));
    }

    /** {@link #configuredPort()}, or an exception that says how to give it. */
    static int requiredPort(String benchmark) {
        return configuredPort().orElseThrow(() -> new IllegalStateException(benchmark + " needs a redis-server: give"
                + " its port with -DLLMROUTER_REDIS_PORT=... (jvmArgs) or the LLMROUTER_REDIS_PORT environment"
                + " variable (see src-docs/performance.md)"));
    }

    /** The total of {@code calls=} over every command in {@code INFO commandstats}. */
    long commandsExecuted() throws IOException {
        String info = (String) command("INFO", "commandstats");
        long total = 0;
        for (String line : info.split("\r\n")) {
            int calls = line.indexOf("calls=");
            if (line.startsWith("cmdstat_") && calls > 0) {
                int end = line.indexOf(',', calls);
                total += Long.parseLong(line.substring(calls + 6, end < 0 ? line.length() : end));
            }
        }
        return total;
    }

    /**
     * Has Redis hold every client's commands for {@code millis} (this probe's too: Redis 7 pauses
     * the client that asked as well, so the pause is ended by its timeout, not by an unpause).
     */
    void pauseAll(long millis) throws IOException {
        Object reply = command("CLIENT", "PAUSE", Long.toString(millis), "ALL");
        if (!"OK".equals(reply)) {
            throw new IOException("CLIENT PAUSE answered " + reply);
        }
    }

    /** Sends one command and reads its reply: a String (simple or bulk), a Long, or null. */
    Object command(String... args) throws IOException {
        StringBuilder sb = new StringBuilder().append('*').append(args.length).append("\r\n");
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            sb.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
        }
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        return reply();
    }

    private Object reply() throws IOException {
        int type = in.read();
        String line = line();
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new IOException("Redis error: " + line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] b = in.readNBytes(length + 2);
                return new String(b, 0, length, StandardCharsets.UTF_8);
            }
            default:
                throw new IOException("unexpected RESP reply type " + (char) type + ": " + line);
        }
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\r') {
            sb.append((char) c);
        }
        in.read(); // '\n'
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
