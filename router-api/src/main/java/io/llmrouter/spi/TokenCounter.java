package io.llmrouter.spi;

/**
 * Counts the tokens of a piece of text exactly, for the router's context-window filter and its
 * input-token estimates. Found through {@link java.util.ServiceLoader}: list the implementation in
 * {@code META-INF/services/io.llmrouter.spi.TokenCounter} (or {@code provides} it from a named
 * module). The {@code router-tokenizer} artifact, a runtime dependency of {@code router-core},
 * provides one for OpenAI's {@code o200k_base} encoding; when none is found, the router counts
 * characters / 4 instead, OpenAI's rule of thumb.
 *
 * <p>The router hands {@link #countTokens(String)} pieces of at most a few thousand characters
 * (split where a pre-tokenizer would split too) and adds the message framing itself, so an
 * implementation counts plain text only. Implementations are thread-safe, keep no per-call state
 * and have a public no-argument constructor.
 *
 * @since 0.1.0
 */
public interface TokenCounter {

    /**
     * The tokens of {@code text}, without any message framing or special tokens.
     *
     * @param text the text to count, possibly empty
     * @return the number of tokens, zero or more
     */
    int countTokens(String text);
}
