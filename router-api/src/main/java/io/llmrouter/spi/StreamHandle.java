package io.llmrouter.spi;

/**
 * Cancels a provider stream: closes its HTTP call. Idempotent; after it the sink hears nothing more.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface StreamHandle {

    /** A handle with nothing to cancel. */
    StreamHandle NONE = () -> { };

    /** Cancels the stream. */
    void cancel();
}
