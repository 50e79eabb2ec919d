package io.llmrouter.providers.bedrock.internal;

import io.llmrouter.providers.bedrock.internal.EventStreamMessage.HeaderValue;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import okio.Buffer;

/**
 * Writes AWS event-stream messages for tests, with correct lengths and CRC32s, written from the
 * framing description (not from {@link EventStreamDecoder}'s code): prelude (total length, headers
 * length, CRC of those 8 bytes), headers, payload, CRC of everything before it.
 */
public final class EventStreamEncoder {

    private EventStreamEncoder() {
    }

    /** One message with these headers (in order) and payload. */
    public static byte[] message(Map<String, HeaderValue> headers, byte[] payload) {
        Buffer h = new Buffer();
        headers.forEach((name, value) -> {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            h.writeByte(n.length).write(n);
            if (value instanceof HeaderValue.BooleanValue b) {
                h.writeByte(b.value() ? 0 : 1);
            } else if (value instanceof HeaderValue.ByteValue b) {
                h.writeByte(2).writeByte(b.value());
            } else if (value instanceof HeaderValue.ShortValue s) {
                h.writeByte(3).writeShort(s.value());
            } else if (value instanceof HeaderValue.IntValue i) {
                h.writeByte(4).writeInt(i.value());
            } else if (value instanceof HeaderValue.LongValue l) {
                h.writeByte(5).writeLong(l.value());
            } else if (value instanceof HeaderValue.BytesValue b) {
                h.writeByte(6).writeShort(b.value().size()).write(b.value());
            } else if (value instanceof HeaderValue.StringValue s) {
                byte[] v = s.value().getBytes(StandardCharsets.UTF_8);
                h.writeByte(7).writeShort(v.length).write(v);
            } else if (value instanceof HeaderValue.TimestampValue t) {
                h.writeByte(8).writeLong(t.epochMillis());
            } else if (value instanceof HeaderValue.UuidValue u) {
                h.writeByte(9).writeLong(u.value().getMostSignificantBits())
                        .writeLong(u.value().getLeastSignificantBits());
            }
        });
        byte[] headerBytes = h.readByteArray();
        int total = 12 + headerBytes.length + payload.length + 4;
        ByteBuffer out = ByteBuffer.allocate(total);
        out.putInt(total).putInt(headerBytes.length);
        out.putInt((int) crc(out.array(), 0, 8));
        out.put(headerBytes).put(payload);
        out.putInt((int) crc(out.array(), 0, total - 4));
        return out.array();
    }

    /** An {@code event} message: {@code :event-type}, {@code :content-type: application/json}, {@code :message-type: event}. */
    public static byte[] event(String eventType, String json) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":event-type", new HeaderValue.StringValue(eventType));
        headers.put(":content-type", new HeaderValue.StringValue("application/json"));
        headers.put(":message-type", new HeaderValue.StringValue("event"));
        return message(headers, json.getBytes(StandardCharsets.UTF_8));
    }

    /** An {@code exception} message of {@code exceptionType} with payload {@code {"message": text}}. */
    public static byte[] exception(String exceptionType, String json) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":exception-type", new HeaderValue.StringValue(exceptionType));
        headers.put(":content-type", new HeaderValue.StringValue("application/json"));
        headers.put(":message-type", new HeaderValue.StringValue("exception"));
        return message(headers, json.getBytes(StandardCharsets.UTF_8));
    }

    /** The messages one after the other, as a body. */
    public static Buffer stream(byte[]... messages) {
        Buffer b = new Buffer();
        for (byte[] m : messages) {
            b.write(m);
        }
        return b;
    }

    private static long crc(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }
}
