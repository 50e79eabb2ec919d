package io.llmrouter.spi;

import io.llmrouter.api.RouterRequest;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/**
 * A response-cache lookup's outcome, for {@link RouterListener#onCacheHit(CacheEvent)} and
 * {@link RouterListener#onCacheMiss(CacheEvent)}.
 *
 * <pre>{@code
 * public void onCacheHit(CacheEvent e) { hits.increment(e.modelGroup()); saved.add(e.savedUsd()); }
 * }</pre>
 *
 * @param request the request as the caller sent it
 * @param modelGroup the model group it named
 * @param semantic for a hit: whether it matched by embedding similarity; false for a miss
 * @param shared for a hit: whether the answer was shared with a concurrent identical request
 *     (single flight) rather than read from the cache; false for a miss
 * @param age for a hit: the answer's age; zero for a miss
 * @param savedUsd for a hit: what the answer cost when it was made (zero when unpriced); zero for a miss
 * @since 0.1.0
 */
public record CacheEvent(RouterRequest request, String modelGroup, boolean semantic, boolean shared, Duration age,
        BigDecimal savedUsd) {

    /**
     * Checks the values.
     *
     * @throws NullPointerException if a value is null
     */
    public CacheEvent {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(modelGroup, "modelGroup");
        Objects.requireNonNull(age, "age");
        Objects.requireNonNull(savedUsd, "savedUsd");
    }
}
