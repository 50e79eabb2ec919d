package io.llmrouter.cost;

import io.llmrouter.api.chat.Cost;
import io.llmrouter.api.chat.Usage;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * Prices one answer's {@link Usage} with a {@link ModelPrice}, exactly.
 *
 * <h2>Rules</h2>
 * <ul>
 * <li><b>Input</b>: uncached input tokens = {@code promptTokens - cachedTokens - cacheCreationTokens}
 *     (never below 0), at the input price.</li>
 * <li><b>Cached input</b>: {@code cachedTokens} at the cache-read price, or the input price when the entry
 *     has none.</li>
 * <li><b>Cache creation</b>: {@code cacheCreationTokens} at the cache-write price, or the input price when
 *     the entry has none.</li>
 * <li><b>Output</b>: {@code completionTokens} at the output price. When the entry has a reasoning price,
 *     {@code reasoningTokens} (at most {@code completionTokens}) are charged at it and only the rest at the
 *     output price.</li>
 * <li><b>Tiered prices</b>, as LiteLLM does it: when {@code promptTokens} is above
 *     {@value #TIER_THRESHOLD_TOKENS}, each {@code ..._above_200k_tokens} price the entry has replaces the
 *     base price of its kind (input, output, cache read, cache creation) for <em>all</em> tokens of that kind
 *     in the request, not only those past the threshold. A kind without a tiered price keeps its base price;
 *     the reasoning price is never tiered. The cached and cache-creation fallbacks use the input price in
 *     force, so a tiered input price also reaches them.</li>
 * <li><b>Per request</b>: the entry's per-request price, if any, is added once as
 *     {@link Cost#requestUsd()}.</li>
 * <li><b>Unpriced, never zero</b>: an entry with neither an input nor an output price gives
 *     {@code Cost.unpriced("no token prices for <key>")}. When only one of them is missing and the answer has
 *     tokens that would need it, the cost is unpriced too ({@code "no output token price for <key>"} or
 *     {@code "no input token price for <key>"}), because charging them nothing would under-report spend.</li>
 * </ul>
 * Arithmetic is exact {@link BigDecimal} multiplication and addition; nothing is rounded.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class CostCalculator {

    /** Prompt size above which the {@code _above_200k_tokens} prices apply: {@value}. */
    public static final int TIER_THRESHOLD_TOKENS = 200_000;

    private CostCalculator() {
    }

    /**
     * Prices a usage with a price, following the rules above.
     *
     * @param price    the model's price, from a {@link PriceTable} or a per-deployment override
     * @param usage    the answer's token counts
     * @param pricedBy what priced it, recorded as {@link Cost#pricedBy()} and named in an unpriced reason,
     *                 e.g. the table key {@code gpt-4o} or {@code "deployment override"}
     * @return the priced cost, or an unpriced cost with the reason
     * @throws NullPointerException if an argument is null
     */
    public static Cost cost(ModelPrice price, Usage usage, String pricedBy) {
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(pricedBy, "pricedBy");
        Optional<BigDecimal> baseInput = price.inputPerToken();
        Optional<BigDecimal> baseOutput = price.outputPerToken();
        if (baseInput.isEmpty() && baseOutput.isEmpty()) {
            return Cost.unpriced("no token prices for " + pricedBy);
        }
        boolean tiered = usage.promptTokens() > TIER_THRESHOLD_TOKENS;
        BigDecimal input = tier(tiered, price.inputPerTokenAbove200k(), baseInput);
        BigDecimal output = tier(tiered, price.outputPerTokenAbove200k(), baseOutput);
        BigDecimal cachedInput = orElse(tier(tiered, price.cachedInputPerTokenAbove200k(),
                price.cachedInputPerToken()), input);
        BigDecimal cacheCreation = orElse(tier(tiered, price.cacheCreationPerTokenAbove200k(),
                price.cacheCreationPerToken()), input);
        BigDecimal reasoning = price.reasoningPerToken().orElse(null);

        long uncachedTokens = Math.max(0L,
                (long) usage.promptTokens() - usage.cachedTokens() - usage.cacheCreationTokens());
        long reasoningTokens = reasoning == null ? 0 : Math.min(usage.reasoningTokens(), usage.completionTokens());
        long outputTokens = usage.completionTokens() - reasoningTokens;

        if (input == null && (uncachedTokens > 0 || (usage.cachedTokens() > 0 && cachedInput == null)
                || (usage.cacheCreationTokens() > 0 && cacheCreation == null))) {
            return Cost.unpriced("no input token price for " + pricedBy);
        }
        if (output == null && outputTokens > 0) {
            return Cost.unpriced("no output token price for " + pricedBy);
        }
        BigDecimal outputUsd = times(output, outputTokens);
        if (reasoning != null) {
            outputUsd = outputUsd.add(times(reasoning, reasoningTokens));
        }
        return Cost.builder()
                .inputUsd(times(input, uncachedTokens))
                .cachedInputUsd(times(cachedInput, usage.cachedTokens()))
                .cacheCreationUsd(times(cacheCreation, usage.cacheCreationTokens()))
                .outputUsd(outputUsd)
                .requestUsd(price.perRequest().orElse(BigDecimal.ZERO))
                .pricedBy(pricedBy)
                .build();
    }

    /**
     * Looks the route up in a table and prices the usage with the entry found, recording the matched key as
     * {@link Cost#pricedBy()}.
     *
     * @param table         the price table, e.g. {@link PriceTable#bundled()}
     * @param providerRoute the deployment's provider route, e.g. {@code openai/gpt-4o}
     * @param usage         the answer's token counts
     * @return the cost; {@code Cost.unpriced("no price for '<route>' in the price table")} when the lookup
     *         fails, never a zero cost
     * @throws NullPointerException if an argument is null
     */
    public static Cost cost(PriceTable table, String providerRoute, Usage usage) {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(providerRoute, "providerRoute");
        Objects.requireNonNull(usage, "usage");
        Optional<PriceMatch> match = table.lookup(providerRoute);
        if (match.isEmpty()) {
            return Cost.unpriced("no price for '" + providerRoute + "' in the price table");
        }
        return cost(match.get().price(), usage, match.get().key());
    }

    private static BigDecimal tier(boolean tiered, Optional<BigDecimal> above, Optional<BigDecimal> base) {
        return (tiered && above.isPresent() ? above : base).orElse(null);
    }

    private static BigDecimal orElse(BigDecimal price, BigDecimal fallback) {
        return price != null ? price : fallback;
    }

    /** {@code price × tokens}; zero when there are no tokens (the price may then be null). */
    private static BigDecimal times(BigDecimal price, long tokens) {
        return tokens == 0 ? BigDecimal.ZERO : price.multiply(BigDecimal.valueOf(tokens));
    }
}
