package io.llmrouter.providers.internal;

import java.io.IOException;
import java.util.Objects;
import okio.BufferedSource;

/**
 * Reads server-sent events from a response body, per the WHATWG event-stream format: lines end in
 * {@code \n}, {@code \r\n} or {@code \r}; a blank line ends an event; {@code data:} lines join with
 * {@code \n}; one space after the colon is dropped; comment lines ({@code :} first, e.g. OpenRouter's
 * {@code : OPENROUTER PROCESSING}) and unknown fields are skipped; the last event counts even without
 * a trailing blank line. Events without data are skipped. Not thread-safe: one reader per stream.
 */
public final class SseEventReader {

    private final BufferedSource source;

    /** @param source the response body's source */
    public SseEventReader(BufferedSource source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /**
     * The next event.
     *
     * @return the event, or null at the end of the stream
     * @throws IOException when reading fails (a cut connection, a timeout)
     */
    public SseEvent next() throws IOException {
        String event = null;
        StringBuilder data = null;
        while (true) {
            String line = source.readUtf8Line();
            if (line == null) {
                return data == null ? null : new SseEvent(event, data.toString());
            }
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isEmpty()) {
                if (data != null) {
                    return new SseEvent(event, data.toString());
                }
                event = null;
                continue;
            }
            if (line.charAt(0) == ':') {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            if (field.equals("data")) {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            } else if (field.equals("event")) {
                event = value;
            }
        }
    }
}
