package io.llmrouter.api.chat;

/**
 * Options of a streamed request ({@code stream_options}).
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class StreamOptions {

    private static final StreamOptions WITH_USAGE = new StreamOptions(true);
    private static final StreamOptions WITHOUT_USAGE = new StreamOptions(false);

    private final boolean includeUsage;

    private StreamOptions(boolean includeUsage) {
        this.includeUsage = includeUsage;
    }

    /**
     * Stream options with {@code include_usage} set.
     *
     * @param includeUsage whether the stream should end with a chunk carrying the usage
     * @return the options
     */
    public static StreamOptions includeUsage(boolean includeUsage) {
        return includeUsage ? WITH_USAGE : WITHOUT_USAGE;
    }

    /**
     * Whether the stream should end with a chunk carrying the usage ({@code include_usage}).
     *
     * @return the flag
     */
    public boolean includeUsage() {
        return includeUsage;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StreamOptions s && includeUsage == s.includeUsage;
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(includeUsage);
    }

    @Override
    public String toString() {
        return "StreamOptions[includeUsage=" + includeUsage + "]";
    }
}
