package io.llmrouter.providers.bedrock.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import okio.ByteString;

/**
 * One decoded AWS event-stream message: its headers, in received order, and its payload.
 *
 * @param headers the headers by name, in received order (unmodifiable; names are unique)
 * @param payload the payload bytes
 */
public record EventStreamMessage(Map<String, HeaderValue> headers, ByteString payload) {

    /** The header holding {@code event}, {@code exception} or {@code error}. */
    public static final String MESSAGE_TYPE = ":message-type";

    /** The header naming an event's union member, e.g. {@code contentBlockDelta}. */
    public static final String EVENT_TYPE = ":event-type";

    /** The header naming a modeled exception, e.g. {@code throttlingException}. */
    public static final String EXCEPTION_TYPE = ":exception-type";

    /** The header holding an unmodeled error's code ({@code :message-type: error}). */
    public static final String ERROR_CODE = ":error-code";

    /** The header holding an unmodeled error's message ({@code :message-type: error}). */
    public static final String ERROR_MESSAGE = ":error-message";

    /**
     * @param headers the headers; copied, order kept
     * @param payload the payload
     */
    public EventStreamMessage {
        Objects.requireNonNull(payload, "payload");
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(headers, "headers")));
    }

    /**
     * The value of a string header.
     *
     * @param name the header name
     * @return its value, or empty when the header is absent or not a string
     */
    public Optional<String> stringHeader(String name) {
        return headers.get(name) instanceof HeaderValue.StringValue s ? Optional.of(s.value()) : Optional.empty();
    }

    /** The payload decoded as UTF-8. */
    public String payloadUtf8() {
        return payload.utf8();
    }

    @Override
    public String toString() {
        return "EventStreamMessage[headers=" + headers + ", payload=" + payload.size() + " bytes]";
    }

    /**
     * A typed header value. The wire type codes: 0 true, 1 false, 2 byte, 3 short, 4 int, 5 long,
     * 6 byte array, 7 string, 8 timestamp (milliseconds since the epoch), 9 UUID.
     */
    public sealed interface HeaderValue {

        /** Types 0 and 1. @param value the value */
        record BooleanValue(boolean value) implements HeaderValue {
        }

        /** Type 2. @param value the value */
        record ByteValue(byte value) implements HeaderValue {
        }

        /** Type 3. @param value the value */
        record ShortValue(short value) implements HeaderValue {
        }

        /** Type 4. @param value the value */
        record IntValue(int value) implements HeaderValue {
        }

        /** Type 5. @param value the value */
        record LongValue(long value) implements HeaderValue {
        }

        /** Type 6. @param value the bytes */
        record BytesValue(ByteString value) implements HeaderValue {
            /** @param value the bytes */
            public BytesValue {
                Objects.requireNonNull(value, "value");
            }
        }

        /** Type 7. @param value the UTF-8 text */
        record StringValue(String value) implements HeaderValue {
            /** @param value the text */
            public StringValue {
                Objects.requireNonNull(value, "value");
            }
        }

        /** Type 8. @param epochMillis milliseconds since the epoch */
        record TimestampValue(long epochMillis) implements HeaderValue {
        }

        /** Type 9. @param value the UUID, from its 16 big-endian bytes */
        record UuidValue(UUID value) implements HeaderValue {
            /** @param value the UUID */
            public UuidValue {
                Objects.requireNonNull(value, "value");
            }
        }
    }
}
