package io.llmrouter.providers.bedrock.internal;

import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.providers.bedrock.internal.EventStreamMessage.HeaderValue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.zip.CRC32;
import okio.BufferedSource;
import okio.ByteString;

/**
 * Reads AWS event-stream messages ({@code application/vnd.amazon.eventstream}) one at a time from
 * a byte source, as they arrive: a message may span any number of network reads.
 *
 * <p>Framing (all integers big-endian, CRCs are IEEE CRC32 as {@link CRC32}):
 * <pre>
 * [total length u32][headers length u32][prelude CRC u32][headers][payload][message CRC u32]
 * </pre>
 * The prelude CRC covers the two lengths; the message CRC covers everything before it, the
 * prelude CRC included. Each header is {@code [name length u8][name][type u8][value]}, the value
 * typed by the code: 0 true, 1 false (no bytes), 2 byte, 3 short, 4 int, 5 long, 6 byte array and
 * 7 string (both with a u16 length), 8 timestamp (i64 milliseconds), 9 UUID (16 bytes).
 *
 * <p>Both CRCs are verified, the prelude's before anything else is read, so a corrupted length
 * never makes the decoder wait for bytes that will not come. A wrong CRC, a headers length that
 * does not fit in the message, a header running past the headers' end, an empty or duplicate
 * header name, an unknown value type, a message larger than the limits below, and a source that
 * ends inside a message fail with the {@link InvalidProviderResponseException} made by the
 * {@code invalid} function given to the constructor.
 *
 * <p>Not thread-safe: one decoder per stream, used by the thread that reads it.
 */
public final class EventStreamDecoder {

    /** The bytes before the headers: two lengths and the prelude CRC. */
    public static final int PRELUDE_LENGTH = 12;

    /** The smallest message: a prelude and a message CRC, no headers, no payload. */
    public static final int MIN_MESSAGE_LENGTH = PRELUDE_LENGTH + 4;

    /** The largest headers block accepted: {@value} bytes (128 KiB, as AWS's SDKs). */
    public static final int MAX_HEADERS_LENGTH = 128 * 1024;

    /** The largest payload accepted: {@value} bytes (24 MiB, as AWS's SDKs). */
    public static final int MAX_PAYLOAD_LENGTH = 24 * 1024 * 1024;

    private static final long U32 = 0xFFFF_FFFFL;

    private final BufferedSource source;
    private final Function<String, InvalidProviderResponseException> invalid;
    private final long maxMessageBytes;

    /**
     * A decoder for one stream, with messages of up to the AWS limits above.
     *
     * @param source the stream's bytes
     * @param invalid makes the exception for a problem (the text says what is wrong, never quotes
     *     payload bytes)
     */
    public EventStreamDecoder(BufferedSource source, Function<String, InvalidProviderResponseException> invalid) {
        this(source, invalid, Long.MAX_VALUE);
    }

    /**
     * A decoder for one stream whose messages may be at most {@code maxMessageBytes} long (the
     * endpoint's {@code maxStreamEventBytes}): a longer message fails as soon as its prelude is
     * read, before its bytes are.
     *
     * @param source the stream's bytes
     * @param invalid makes the exception for a problem (the text says what is wrong, never quotes
     *     payload bytes)
     * @param maxMessageBytes the largest message accepted, in bytes
     */
    public EventStreamDecoder(BufferedSource source, Function<String, InvalidProviderResponseException> invalid,
            long maxMessageBytes) {
        this.source = Objects.requireNonNull(source, "source");
        this.invalid = Objects.requireNonNull(invalid, "invalid");
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("maxMessageBytes must be positive, was " + maxMessageBytes);
        }
        this.maxMessageBytes = maxMessageBytes;
    }

    /**
     * Reads the next message, blocking until it has fully arrived.
     *
     * @return the message, or empty when the source ended cleanly between two messages
     * @throws IOException when reading the source fails
     * @throws InvalidProviderResponseException when the bytes are not a valid message, or the
     *     source ends inside one
     */
    public Optional<EventStreamMessage> next() throws IOException {
        if (source.exhausted()) {
            return Optional.empty();
        }
        if (!source.request(PRELUDE_LENGTH)) {
            throw invalid.apply("the stream ended inside a message prelude (" + source.getBuffer().size() + " of "
                    + PRELUDE_LENGTH + " bytes)");
        }
        byte[] prelude = source.readByteArray(PRELUDE_LENGTH);
        ByteBuffer p = ByteBuffer.wrap(prelude);
        long totalLength = p.getInt(0) & U32;
        long headersLength = p.getInt(4) & U32;
        long preludeCrc = p.getInt(8) & U32;
        CRC32 crc = new CRC32();
        crc.update(prelude, 0, 8);
        if (crc.getValue() != preludeCrc) {
            throw invalid.apply("prelude CRC32 mismatch: computed " + crc.getValue() + ", the message says "
                    + preludeCrc);
        }
        if (totalLength > maxMessageBytes) {
            throw invalid.apply("a stream event (message) of " + totalLength + " bytes exceeds the limit of "
                    + maxMessageBytes + " bytes (maxStreamEventBytes)");
        }
        if (totalLength < MIN_MESSAGE_LENGTH) {
            throw invalid.apply("message length " + totalLength + " is below the minimum of " + MIN_MESSAGE_LENGTH);
        }
        if (headersLength > MAX_HEADERS_LENGTH || headersLength > totalLength - MIN_MESSAGE_LENGTH) {
            throw invalid.apply("invalid headers length " + headersLength + " for a message of " + totalLength
                    + " bytes (at most " + MAX_HEADERS_LENGTH + ")");
        }
        long payloadLength = totalLength - MIN_MESSAGE_LENGTH - headersLength;
        if (payloadLength > MAX_PAYLOAD_LENGTH) {
            throw invalid.apply("invalid payload length " + payloadLength + " (at most " + MAX_PAYLOAD_LENGTH + ")");
        }
        int rest = (int) (totalLength - PRELUDE_LENGTH);
        if (!source.request(rest)) {
            throw invalid.apply("the stream ended inside a message (" + (PRELUDE_LENGTH + source.getBuffer().size())
                    + " of " + totalLength + " bytes)");
        }
        byte[] body = source.readByteArray(rest);
        crc.update(prelude, 8, 4);
        crc.update(body, 0, rest - 4);
        long messageCrc = ByteBuffer.wrap(body).getInt(rest - 4) & U32;
        if (crc.getValue() != messageCrc) {
            throw invalid.apply("message CRC32 mismatch: computed " + crc.getValue() + ", the message says "
                    + messageCrc);
        }
        Map<String, HeaderValue> headers = headers(body, (int) headersLength);
        return Optional.of(new EventStreamMessage(headers, ByteString.of(body, (int) headersLength,
                (int) payloadLength)));
    }

    private Map<String, HeaderValue> headers(byte[] bytes, int length) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        ByteBuffer b = ByteBuffer.wrap(bytes, 0, length);
        while (b.hasRemaining()) {
            int nameLength = b.get() & 0xFF;
            if (nameLength == 0) {
                throw invalid.apply("a header with an empty name");
            }
            need(b, nameLength + 1, "a header name");
            String name = utf8(b, nameLength);
            String where = "header '" + name + "'";
            int type = b.get() & 0xFF;
            HeaderValue value = switch (type) {
                case 0 -> new HeaderValue.BooleanValue(true);
                case 1 -> new HeaderValue.BooleanValue(false);
                case 2 -> new HeaderValue.ByteValue(need(b, 1, where).get());
                case 3 -> new HeaderValue.ShortValue(need(b, 2, where).getShort());
                case 4 -> new HeaderValue.IntValue(need(b, 4, where).getInt());
                case 5 -> new HeaderValue.LongValue(need(b, 8, where).getLong());
                case 6 -> {
                    int n = need(b, 2, where).getShort() & 0xFFFF;
                    byte[] v = new byte[n];
                    need(b, n, where).get(v);
                    yield new HeaderValue.BytesValue(ByteString.of(v));
                }
                case 7 -> {
                    int n = need(b, 2, where).getShort() & 0xFFFF;
                    need(b, n, where);
                    yield new HeaderValue.StringValue(utf8(b, n));
                }
                case 8 -> new HeaderValue.TimestampValue(need(b, 8, where).getLong());
                case 9 -> {
                    need(b, 16, where);
                    yield new HeaderValue.UuidValue(new UUID(b.getLong(), b.getLong()));
                }
                default -> throw invalid.apply(where + " has the unknown value type " + type);
            };
            if (headers.putIfAbsent(name, value) != null) {
                throw invalid.apply("duplicate header '" + name + "'");
            }
        }
        return headers;
    }

    /** {@code b} when it has {@code n} more bytes; the problem otherwise. */
    private ByteBuffer need(ByteBuffer b, int n, String what) {
        if (b.remaining() < n) {
            throw invalid.apply(what + " runs past the end of the headers");
        }
        return b;
    }

    private static String utf8(ByteBuffer b, int n) {
        String s = new String(b.array(), b.position(), n, StandardCharsets.UTF_8);
        b.position(b.position() + n);
        return s;
    }
}
