package io.llmrouter.providers.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import mockwebserver3.MockResponseBody;
import okio.BufferedSink;

/**
 * Response bodies from a hostile upstream for MockWebServer: ones that never end (until the client
 * disconnects, or a byte counter runs out so the server stops by itself), and large finite ones.
 */
final class HostileBodies {

    /** The most bytes an "endless" body sends before it stops by itself. */
    static final long ENDLESS_CAP = 256L * 1024 * 1024;

    private HostileBodies() {
    }

    /** {@code prefix}, then {@code filler} repeated until the client goes away or {@link #ENDLESS_CAP} is sent. */
    static MockResponseBody endless(String prefix, String filler) {
        return endless(prefix.getBytes(StandardCharsets.UTF_8), filler.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code head}, then {@code unit} repeated until the client goes away or {@link #ENDLESS_CAP} is sent. */
    static MockResponseBody endless(byte[] head, byte[] unit) {
        byte[] block = new byte[Math.max(unit.length, 8192 / unit.length * unit.length)];
        for (int i = 0; i + unit.length <= block.length; i += unit.length) {
            System.arraycopy(unit, 0, block, i, unit.length);
        }
        return new MockResponseBody() {
            @Override
            public long getContentLength() {
                return -1;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                sink.write(head);
                for (long sent = head.length; sent < ENDLESS_CAP; sent += block.length) {
                    sink.write(block); // fails once the client has disconnected
                    sink.flush();
                }
            }
        };
    }

    /** {@code size} bytes of {@code filler}, after {@code prefix}; with a Content-Length when {@code announced}. */
    static MockResponseBody large(String prefix, char filler, long size, boolean announced) {
        byte[] head = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] block = new byte[64 * 1024];
        Arrays.fill(block, (byte) filler);
        return new MockResponseBody() {
            @Override
            public long getContentLength() {
                return announced ? size : -1;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                sink.write(head);
                long left = size - head.length;
                while (left > 0) {
                    int n = (int) Math.min(left, block.length);
                    sink.write(block, 0, n);
                    left -= n;
                }
                sink.flush();
            }
        };
    }
}
