package io.llmrouter.providers.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import okhttp3.MediaType;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

/**
 * Reads a whole response body, but never more than a limit: a body whose announced length is over
 * the limit is not read at all, and a body without one is read in segments until it ends or goes
 * past the limit, which fails with {@link ResponseTooLargeException} while at most the limit plus
 * one segment is held. Used instead of {@link ResponseBody#bytes()} and {@link ResponseBody#string()},
 * which read an endless body until the heap is gone.
 */
public final class BoundedBody {

    private static final long SEGMENT = 8_192;

    private BoundedBody() {
    }

    /**
     * The body's bytes.
     *
     * @param body the body; the caller closes it
     * @param maxBytes the most bytes accepted
     * @return the bytes
     * @throws ResponseTooLargeException if the body is announced or read longer than {@code maxBytes}
     * @throws IOException when reading fails
     */
    public static byte[] bytes(ResponseBody body, long maxBytes) throws IOException {
        long announced = body.contentLength();
        if (announced > maxBytes) {
            throw ResponseTooLargeException.body(maxBytes, announced);
        }
        BufferedSource source = body.source();
        if (announced >= 0) {
            // the length is known and allowed: read straight into the array, without a second copy
            byte[] bytes = new byte[(int) announced];
            int read = 0;
            while (read < bytes.length) {
                int n = source.read(bytes, read, bytes.length - read);
                if (n < 0) {
                    throw new EOFException("the body ended after " + read + " of " + announced + " bytes");
                }
                read += n;
            }
            return bytes; // the client's fixed-length source ends at the announced length
        }
        Buffer buffer = new Buffer();
        while (source.read(buffer, SEGMENT) != -1) {
            if (buffer.size() > maxBytes) {
                buffer.clear();
                throw ResponseTooLargeException.body(maxBytes, -1);
            }
        }
        return buffer.readByteArray();
    }

    /**
     * The body as text, in the charset its {@code Content-Type} names (UTF-8 when none); a UTF-8
     * byte-order mark is dropped.
     *
     * @param body the body; the caller closes it
     * @param maxBytes the most bytes accepted
     * @return the text
     * @throws ResponseTooLargeException if the body is announced or read longer than {@code maxBytes}
     * @throws IOException when reading fails
     */
    public static String text(ResponseBody body, long maxBytes) throws IOException {
        byte[] bytes = bytes(body, maxBytes);
        MediaType type = body.contentType();
        Charset charset = type == null ? StandardCharsets.UTF_8 : type.charset(StandardCharsets.UTF_8);
        int skip = StandardCharsets.UTF_8.equals(charset) && hasUtf8Bom(bytes) ? 3 : 0;
        return new String(bytes, skip, bytes.length - skip, charset == null ? StandardCharsets.UTF_8 : charset);
    }

    static boolean hasUtf8Bom(byte[] bytes) {
        return bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB
                && (bytes[2] & 0xff) == 0xBF;
    }
}
