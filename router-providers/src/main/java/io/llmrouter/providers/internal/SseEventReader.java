package io.llmrouter.providers.internal;

import java.io.IOException;
import java.util.Objects;
import okio.BufferedSource;
import okio.ByteString;

/**
 * Reads server-sent events from a response body, per the WHATWG event-stream format: lines end in
 * {@code \n}, {@code \r\n} or {@code \r}; a blank line ends an event; {@code data:} lines join with
 * {@code \n}; one space after the colon is dropped; comment lines ({@code :} first, e.g. OpenRouter's
 * {@code : OPENROUTER PROCESSING}) and unknown fields are skipped; the last event counts even without
 * a trailing blank line. Events without data are skipped. Not thread-safe: one reader per stream.
 *
 * <p>Bounded: an event's kept fields ({@code data}, {@code event}) and any one line, comments
 * included, may be at most {@code maxEventBytes} long; the reader never buffers more than that
 * (plus one network segment) and fails with {@link ResponseTooLargeException} instead, so an
 * endless line or event cannot exhaust the heap.
 */
public final class SseEventReader {

    /** The prefix of a data line with the one space dropped from its value. */
    private static final ByteString DATA = ByteString.encodeUtf8("data: ");

    private final BufferedSource source;
    private final long maxEventBytes;

    /** @param source the response body's source; events of up to the default limit are read */
    public SseEventReader(BufferedSource source) {
        this(source, io.llmrouter.spi.Endpoint.DEFAULT_MAX_STREAM_EVENT_BYTES);
    }

    /**
     * @param source the response body's source
     * @param maxEventBytes the most bytes of one event (the endpoint's {@code maxStreamEventBytes})
     */
    public SseEventReader(BufferedSource source, long maxEventBytes) {
        this.source = Objects.requireNonNull(source, "source");
        if (maxEventBytes < 1) {
            throw new IllegalArgumentException("maxEventBytes must be positive, was " + maxEventBytes);
        }
        this.maxEventBytes = maxEventBytes;
    }

    /**
     * The next event.
     *
     * @return the event, or null at the end of the stream
     * @throws ResponseTooLargeException when a line or the event exceeds the limit
     * @throws IOException when reading fails (a cut connection, a timeout)
     */
    public SseEvent next() throws IOException {
        String event = null;
        // One data line (every vendor's common case) is kept as is; a StringBuilder only from the second.
        String line1 = null;
        StringBuilder data = null;
        long kept = 0; // bytes of this event's fields so far
        while (true) {
            long limit = maxEventBytes - kept;
            long newline = source.indexOf((byte) '\n', 0, limit + 1);
            if (newline >= DATA.size() && source.getBuffer().rangeEquals(0, DATA)) {
                // A "data: " line (nearly every line): its value read straight after the prefix,
                // with no string of the whole line to cut it from; the same value, budget and rules.
                source.skip(DATA.size());
                String value = source.readUtf8(newline - DATA.size());
                source.skip(1);
                if (value.endsWith("\r")) {
                    value = value.substring(0, value.length() - 1);
                }
                kept += DATA.size() + value.length();
                if (line1 == null) {
                    line1 = value;
                } else if (data == null) {
                    data = new StringBuilder(line1.length() + value.length() + 16).append(line1).append('\n')
                            .append(value);
                } else {
                    data.append('\n').append(value);
                }
                continue;
            }
            String line = newline >= 0 ? lineAt(newline) : readLine(limit);
            if (line == null) {
                return line1 == null ? null : new SseEvent(event, data == null ? line1 : data.toString());
            }
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isEmpty()) {
                if (line1 != null) {
                    return new SseEvent(event, data == null ? line1 : data.toString());
                }
                event = null;
                continue;
            }
            if (line.charAt(0) == ':') {
                continue;
            }
            int colon = line.indexOf(':');
            int fieldEnd = colon < 0 ? line.length() : colon;
            // Compared in place: no substring for the field name, one copy for the value.
            boolean isData = fieldEnd == 4 && line.startsWith("data");
            boolean isEvent = !isData && fieldEnd == 5 && line.startsWith("event");
            if (!isData && !isEvent) {
                continue;
            }
            int valueStart = colon < 0 ? line.length() : colon + 1;
            if (valueStart < line.length() && line.charAt(valueStart) == ' ') {
                valueStart++;
            }
            String value = line.substring(valueStart);
            kept += line.length(); // chars, at most the line's bytes: the budget is never overrun
            if (isData) {
                if (line1 == null) {
                    line1 = value;
                } else if (data == null) {
                    data = new StringBuilder(line1.length() + value.length() + 16).append(line1).append('\n')
                            .append(value);
                } else {
                    data.append('\n').append(value);
                }
            } else {
                event = value;
            }
        }
    }

    /** The line ending at {@code newline} (found in the buffer), without the {@code \n}. */
    private String lineAt(long newline) throws IOException {
        String line = source.readUtf8(newline);
        source.skip(1);
        return line;
    }

    /**
     * The next line without its {@code \n} (a {@code \r} before it is left for the caller), or
     * null at the end of the stream; reads at most {@code limit} bytes before the newline.
     */
    private String readLine(long limit) throws IOException {
        return BoundedLines.next(source, limit, maxEventBytes);
    }
}
