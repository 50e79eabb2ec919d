package io.llmrouter.internal;

/**
 * Reads a stream on the reader's thread: the blocking {@code ChatStream} calls {@link #pull()}
 * when it has no chunk to hand out, instead of waiting for another thread to deliver one.
 */
@FunctionalInterface
public interface ChunkPuller {

    /**
     * Reads the next event of the stream being read on the calling thread (delivering its chunks
     * to the stream's consumer, or ending the attempt).
     *
     * @return false when no stream is read this way (its chunks come from another thread), or
     *     it has already ended
     */
    boolean pull();
}
