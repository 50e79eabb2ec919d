package io.llmrouter.providers.internal;

import java.io.IOException;
import okio.BufferedSource;

/**
 * Reads one line of a streamed body without ever buffering more than a limit (plus one network
 * segment): the line reading shared by {@link SseEventReader} (server-sent events) and
 * {@link NdjsonReader} (newline-delimited JSON), so an endless line cannot exhaust the heap.
 */
final class BoundedLines {

    private BoundedLines() {
    }

    /**
     * The next line without its {@code \n} (a {@code \r} before it is left for the caller), or null
     * at the end of the stream; the last line counts even without a newline.
     *
     * @param source the body's source
     * @param limit the most bytes read before the newline
     * @param reportedMax the limit named by the failure (the reader's configured maximum)
     * @return the line, or null at the end
     * @throws ResponseTooLargeException when no newline comes within {@code limit} bytes
     * @throws IOException when reading fails
     */
    static String next(BufferedSource source, long limit, long reportedMax) throws IOException {
        long newline = source.indexOf((byte) '\n', 0, limit + 1);
        if (newline >= 0) {
            String line = source.readUtf8(newline);
            source.skip(1);
            return line;
        }
        if (source.getBuffer().size() > limit) {
            throw ResponseTooLargeException.event(reportedMax);
        }
        // indexOf stopped short of the limit: the source is exhausted, and the rest is the last line
        return source.exhausted() ? null : source.readUtf8();
    }
}
