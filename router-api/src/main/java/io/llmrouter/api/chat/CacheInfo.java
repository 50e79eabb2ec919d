package io.llmrouter.api.chat;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How a response came from the router's response cache: when the answer it replays was stored,
 * how old it was when served, and whether it matched by meaning (semantic cache) rather than
 * exactly. A response with a {@code CacheInfo} cost nothing ({@link Cost} zero) and was not charged
 * to any budget or rpm/tpm limit.
 *
 * <pre>{@code
 * ChatResponse r = router.completion(request);
 * r.cache().ifPresent(c -> log.info("cached answer, {} old", c.age()));
 * }</pre>
 *
 * @param storedAt when the answer was stored (router clock); for an answer shared with a concurrent
 *     identical request (single flight), when that request's answer arrived
 * @param age how old the answer was when served, never negative
 * @param semantic whether the request matched a stored one by embedding similarity, not exactly
 * @since 0.1.0
 */
public record CacheInfo(Instant storedAt, Duration age, boolean semantic) {

    /**
     * Checks the values.
     *
     * @throws NullPointerException if {@code storedAt} or {@code age} is null
     * @throws IllegalArgumentException if {@code age} is negative
     */
    public CacheInfo {
        Objects.requireNonNull(storedAt, "storedAt");
        Objects.requireNonNull(age, "age");
        if (age.isNegative()) {
            throw new IllegalArgumentException("age must not be negative, was " + age);
        }
    }
}
