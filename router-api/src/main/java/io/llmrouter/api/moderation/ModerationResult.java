package io.llmrouter.api.moderation;

import java.util.Map;
import java.util.Objects;

/**
 * The verdict on one input of a {@link ModerationRequest} ({@code results[]} on the wire).
 *
 * <p>Immutable and thread-safe: the maps are copied in, keyed by the provider's category names
 * (such as {@code "hate"} or {@code "self-harm/intent"}), so a new category needs no release.
 *
 * @param flagged whether any category was flagged
 * @param categories each category's verdict
 * @param categoryScores each category's score, from 0 to 1
 * @since 0.1.0
 */
public record ModerationResult(boolean flagged, Map<String, Boolean> categories, Map<String, Double> categoryScores) {

    /**
     * Copies the maps.
     *
     * @throws NullPointerException if a map, key or value is null
     */
    public ModerationResult {
        categories = Map.copyOf(Objects.requireNonNull(categories, "categories"));
        categoryScores = Map.copyOf(Objects.requireNonNull(categoryScores, "categoryScores"));
    }
}
