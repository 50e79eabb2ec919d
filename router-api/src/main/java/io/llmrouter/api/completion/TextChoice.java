package io.llmrouter.api.completion;

import io.llmrouter.api.chat.FinishReason;
import java.util.Objects;

/**
 * One generated text of a {@link TextCompletionResponse} ({@code choices[]} on the wire).
 *
 * <p>Immutable and thread-safe.
 *
 * @param index the choice's position ({@code index})
 * @param text the generated text
 * @param finishReason why generation stopped, {@link FinishReason#OTHER} for an unknown value
 * @param rawFinishReason the provider's own value, empty when it sent none
 * @since 0.1.0
 */
public record TextChoice(int index, String text, FinishReason finishReason, String rawFinishReason) {

    /**
     * Checks the values.
     *
     * @throws NullPointerException if a value is null
     * @throws IllegalArgumentException if {@code index} is negative
     */
    public TextChoice {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(finishReason, "finishReason");
        Objects.requireNonNull(rawFinishReason, "rawFinishReason");
        if (index < 0) {
            throw new IllegalArgumentException("index must not be negative, was " + index);
        }
    }
}
