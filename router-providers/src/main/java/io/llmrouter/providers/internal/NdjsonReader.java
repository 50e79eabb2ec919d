package io.llmrouter.providers.internal;

import java.io.IOException;
import java.util.Objects;
import okio.BufferedSource;

/**
 * Reads newline-delimited JSON (NDJSON, {@code application/x-ndjson}, as Ollama streams): one JSON
 * text per line; lines end in {@code \n} or {@code \r\n}; blank lines are skipped; the last line
 * counts even without a trailing newline. The lines are returned as text for the adapter to parse.
 * Not thread-safe: one reader per stream.
 *
 * <p>Bounded like {@link SseEventReader}: a line may be at most {@code maxLineBytes} long; the reader
 * never buffers more than that (plus one network segment) and fails with
 * {@link ResponseTooLargeException} instead.
 */
public final class NdjsonReader {

    private final BufferedSource source;
    private final long maxLineBytes;

    /**
     * @param source the response body's source
     * @param maxLineBytes the most bytes of one line (the endpoint's {@code maxStreamEventBytes})
     */
    public NdjsonReader(BufferedSource source, long maxLineBytes) {
        this.source = Objects.requireNonNull(source, "source");
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be positive, was " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * The next non-blank line, without its line end.
     *
     * @return the line, or null at the end of the stream
     * @throws ResponseTooLargeException when a line exceeds the limit
     * @throws IOException when reading fails (a cut connection, a timeout)
     */
    public String next() throws IOException {
        while (true) {
            String line = BoundedLines.next(source, maxLineBytes, maxLineBytes);
            if (line == null) {
                return null;
            }
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (!line.isBlank()) {
                return line;
            }
        }
    }
}
