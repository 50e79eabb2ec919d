package io.llmrouter.cost;

import io.llmrouter.api.chat.Cost;
import io.llmrouter.api.chat.Usage;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Prices one answer's whole {@link Usage} with a {@link ModelPrice}, exactly, the way the vendor bills it.
 *
 * <h2>Rules</h2>
 * Each rule names its source: the vendor's pricing page, or the LiteLLM cost-calculator function whose
 * behaviour it follows ({@code litellm/litellm_core_utils/llm_cost_calc/utils.py} unless said otherwise).
 * <ol>
 * <li><b>Prices in force</b>. For each kind of token (input, output, cache read, cache write) the price is,
 *     first match wins: the long-context tier's price (rule 2), the service tier's price (rule 3), the base
 *     price. A kind the tier does not price keeps the next price in that order.</li>
 * <li><b>Long-context tiers</b> ({@code _get_token_base_cost}): when {@code promptTokens} is above
 *     {@value #TIER_THRESHOLD_TOKENS} and the entry has any {@code ..._above_200k_tokens} price, those prices
 *     apply; otherwise when it is above {@value #TIER_128K_THRESHOLD_TOKENS} and the entry has any
 *     {@code ..._above_128k_tokens} price, those apply. The tier is chosen by prompt tokens and then prices
 *     <em>all</em> tokens of the request (input, output, cache read and write), not only those past the
 *     threshold (Google, https://ai.google.dev/gemini-api/docs/pricing; Anthropic,
 *     https://docs.anthropic.com/en/docs/about-claude/pricing#long-context-pricing). For xAI entries
 *     ({@code litellm_provider} {@code xai}) a prompt of exactly the threshold is already in the upper tier
 *     (xAI, https://docs.x.ai/docs/models; LiteLLM {@code threshold_is_inclusive}).</li>
 * <li><b>Service tiers</b> ({@code _get_service_tier_cost_key}): {@link Usage#serviceTier()} {@code flex}
 *     selects the {@code ..._flex} prices and {@code priority} (or xAI's {@code fast}) the
 *     {@code ..._priority} prices, each falling back to the base price when the entry has none; any other tier
 *     ({@code default}, {@code auto}, {@code standard}, ...) uses the base prices
 *     (OpenAI, https://platform.openai.com/docs/pricing, Flex and Priority processing).</li>
 * <li><b>Input</b>: the text input tokens = {@code promptTokens - cachedTokens - cacheCreationTokens -
 *     audioPromptTokens} (never below 0), at the input price. Cache reads are at the cache-read price,
 *     cache writes at the cache-write price, each falling back to the input price in force when the entry
 *     has none ({@code _calculate_input_cost}).</li>
 * <li><b>Audio</b> ({@code _calculate_input_cost}, {@code _calculate_output_cost}): {@code audioPromptTokens}
 *     at {@code input_cost_per_audio_token} and {@code audioCompletionTokens} at
 *     {@code output_cost_per_audio_token}, each falling back to the text price in force when the entry has no
 *     audio price (OpenAI audio models, https://platform.openai.com/docs/pricing; Gemini audio input,
 *     https://ai.google.dev/gemini-api/docs/pricing).</li>
 * <li><b>Output</b>: {@code completionTokens} includes reasoning and audio output (see {@link Usage}; the
 *     adapters add xAI's and Perplexity's separately reported reasoning tokens to it). Reasoning tokens (at most
 *     the completion tokens) are charged at {@code output_cost_per_reasoning_token} when the entry has one
 *     (Perplexity {@code sonar-deep-research}; Gemini 2.5 thinking), else at the output price in force;
 *     audio output tokens per rule 5; the rest at the output price in force.</li>
 * <li><b>Citations</b> ({@code litellm/llms/perplexity/cost_calculator.py}): {@code citationTokens} at
 *     {@code citation_cost_per_token}, on top of prompt and completion. An entry without that price does not
 *     bill them (Perplexity bills citation tokens for Sonar Deep Research only,
 *     https://docs.perplexity.ai/getting-started/pricing).</li>
 * <li><b>Request and search fees</b>: the entry's per-request price ({@code input_cost_per_request}), plus
 *     {@link Usage#searchQueries()} times the entry's {@code search_context_cost_per_query} price for
 *     {@link Usage#searchContextSize()} ({@code low} when not reported, or when the entry has no price for the
 *     size). No searches, no search fee: Anthropic's entries carry the web-search tool's $10 per 1000 searches
 *     there (https://docs.anthropic.com/en/docs/build-with-claude/tool-use/web-search-tool), billed only for
 *     searches run. The table's figures are USD per search or request (Perplexity states them per 1000
 *     requests: Sonar at low context $5, so 0.005), so they are not divided again
 *     (https://docs.perplexity.ai/getting-started/pricing); Perplexity bills every Sonar request a request fee,
 *     so its adapter reports one search when the answer states no {@code num_search_queries}. Both go to
 *     {@link Cost#requestUsd()}.</li>
 * <li><b>Unpriced, never zero</b>: an entry with neither an input nor an output price gives
 *     {@code Cost.unpriced("no token prices for <key>")}. When only one of them is missing and the answer has
 *     tokens that would need it, the cost is unpriced too ({@code "no output token price for <key>"} or
 *     {@code "no input token price for <key>"}), because charging them nothing would under-report spend.</li>
 * </ol>
 * Arithmetic is exact {@link BigDecimal} multiplication and addition; nothing is rounded.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class CostCalculator {

    /** Prompt size above which the {@code _above_200k_tokens} prices apply: {@value}. */
    public static final int TIER_THRESHOLD_TOKENS = 200_000;

    /** Prompt size above which the {@code _above_128k_tokens} prices apply: {@value}. */
    public static final int TIER_128K_THRESHOLD_TOKENS = 128_000;

    private static final String INCLUSIVE_THRESHOLD_PROVIDER = "xai";

    private CostCalculator() {
    }

    /** Which of an entry's price columns apply to one answer. */
    private enum LongContext { NONE, ABOVE_128K, ABOVE_200K }

    /** The service-tier price columns an answer selects. */
    private enum ServiceTier { STANDARD, FLEX, PRIORITY }

    /**
     * Prices a usage with a price, following the rules above.
     *
     * @param price    the model's price, from a {@link PriceTable} or a per-deployment override
     * @param usage    the answer's whole usage: every token kind, the service tier, citation tokens and searches
     * @param pricedBy what priced it, recorded as {@link Cost#pricedBy()} and named in an unpriced reason,
     *                 e.g. the table key {@code gpt-4o} or {@code "deployment override"}
     * @return the priced cost, or an unpriced cost with the reason
     * @throws NullPointerException if an argument is null
     */
    public static Cost cost(ModelPrice price, Usage usage, String pricedBy) {
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(pricedBy, "pricedBy");
        if (price.inputPerToken().isEmpty() && price.outputPerToken().isEmpty()) {
            return Cost.unpriced("no token prices for " + pricedBy);
        }
        LongContext lc = longContext(price, usage.promptTokens());
        ServiceTier st = serviceTier(usage);
        BigDecimal input = first(when(lc == LongContext.ABOVE_200K, price.inputPerTokenAbove200k()),
                when(lc == LongContext.ABOVE_128K, price.inputPerTokenAbove128k()),
                when(st == ServiceTier.FLEX, price.inputPerTokenFlex()),
                when(st == ServiceTier.PRIORITY, price.inputPerTokenPriority()),
                price.inputPerToken());
        BigDecimal output = first(when(lc == LongContext.ABOVE_200K, price.outputPerTokenAbove200k()),
                when(lc == LongContext.ABOVE_128K, price.outputPerTokenAbove128k()),
                when(st == ServiceTier.FLEX, price.outputPerTokenFlex()),
                when(st == ServiceTier.PRIORITY, price.outputPerTokenPriority()),
                price.outputPerToken());
        BigDecimal cachedInput = orElse(first(
                when(lc == LongContext.ABOVE_200K, price.cachedInputPerTokenAbove200k()),
                when(st == ServiceTier.FLEX, price.cachedInputPerTokenFlex()),
                when(st == ServiceTier.PRIORITY, price.cachedInputPerTokenPriority()),
                price.cachedInputPerToken()), input);
        BigDecimal cacheCreation = orElse(first(
                when(lc == LongContext.ABOVE_200K, price.cacheCreationPerTokenAbove200k()),
                price.cacheCreationPerToken()), input);
        BigDecimal audioInput = orElse(price.audioInputPerToken().orElse(null), input);
        BigDecimal reasoning = orElse(price.reasoningPerToken().orElse(null), output);
        BigDecimal audioOutput = orElse(price.audioOutputPerToken().orElse(null), output);

        long cached = usage.cachedTokens();
        long cacheWrites = usage.cacheCreationTokens();
        long audioIn = usage.audioPromptTokens();
        long textIn = Math.max(0L, (long) usage.promptTokens() - cached - cacheWrites - audioIn);
        long completion = usage.completionTokens();
        long reasoningTokens = Math.min(usage.reasoningTokens(), completion);
        long audioOut = Math.min(usage.audioCompletionTokens(), completion - reasoningTokens);
        long textOut = completion - reasoningTokens - audioOut;

        if ((input == null && textIn > 0) || (cachedInput == null && cached > 0)
                || (cacheCreation == null && cacheWrites > 0) || (audioInput == null && audioIn > 0)) {
            return Cost.unpriced("no input token price for " + pricedBy);
        }
        if ((output == null && textOut > 0) || (reasoning == null && reasoningTokens > 0)
                || (audioOutput == null && audioOut > 0)) {
            return Cost.unpriced("no output token price for " + pricedBy);
        }
        return Cost.builder()
                .inputUsd(times(input, textIn))
                .cachedInputUsd(times(cachedInput, cached))
                .cacheCreationUsd(times(cacheCreation, cacheWrites))
                .audioInputUsd(times(audioInput, audioIn))
                .outputUsd(times(output, textOut))
                .reasoningUsd(times(reasoning, reasoningTokens))
                .audioOutputUsd(times(audioOutput, audioOut))
                .citationUsd(price.citationPerToken().map(p -> times(p, usage.citationTokens()))
                        .orElse(BigDecimal.ZERO))
                .requestUsd(price.perRequest().orElse(BigDecimal.ZERO).add(searchFee(price, usage)))
                .pricedBy(pricedBy)
                .build();
    }

    /** Rule 2: the long-context tier, by prompt tokens, among the tiers the entry prices. */
    private static LongContext longContext(ModelPrice price, int promptTokens) {
        boolean inclusive = price.provider().filter(INCLUSIVE_THRESHOLD_PROVIDER::equals).isPresent();
        if (above(promptTokens, TIER_THRESHOLD_TOKENS, inclusive) && (price.inputPerTokenAbove200k().isPresent()
                || price.outputPerTokenAbove200k().isPresent() || price.cachedInputPerTokenAbove200k().isPresent()
                || price.cacheCreationPerTokenAbove200k().isPresent())) {
            return LongContext.ABOVE_200K;
        }
        if (above(promptTokens, TIER_128K_THRESHOLD_TOKENS, inclusive) && (price.inputPerTokenAbove128k().isPresent()
                || price.outputPerTokenAbove128k().isPresent())) {
            return LongContext.ABOVE_128K;
        }
        return LongContext.NONE;
    }

    private static boolean above(int tokens, int threshold, boolean inclusive) {
        return tokens > threshold || (inclusive && tokens == threshold);
    }

    /** Rule 3: {@code flex}, {@code priority} or xAI's {@code fast}, case-insensitive; anything else is standard. */
    private static ServiceTier serviceTier(Usage usage) {
        String tier = usage.serviceTier().map(t -> t.strip().toLowerCase(Locale.ROOT)).orElse("");
        return switch (tier) {
            case "flex" -> ServiceTier.FLEX;
            case "priority", "fast" -> ServiceTier.PRIORITY;
            default -> ServiceTier.STANDARD;
        };
    }

    /** Rule 8, second part: the search fee for the reported searches at the reported context size. */
    private static BigDecimal searchFee(ModelPrice price, Usage usage) {
        Optional<BigDecimal> low = price.searchPerQueryLow();
        String size = usage.searchContextSize().map(t -> t.strip().toLowerCase(Locale.ROOT)).orElse("low");
        Optional<BigDecimal> perSearch = switch (size) {
            case "medium" -> price.searchPerQueryMedium();
            case "high" -> price.searchPerQueryHigh();
            default -> low;
        };
        if (perSearch.isEmpty()) {
            perSearch = low;
        }
        return perSearch.isEmpty() ? BigDecimal.ZERO : times(perSearch.get(), usage.searchQueries());
    }

    private static Optional<BigDecimal> when(boolean applies, Optional<BigDecimal> price) {
        return applies ? price : Optional.empty();
    }

    /** The first present price, or null when none is. */
    @SafeVarargs
    private static BigDecimal first(Optional<BigDecimal>... prices) {
        for (Optional<BigDecimal> p : prices) {
            if (p.isPresent()) {
                return p.get();
            }
        }
        return null;
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

    private static BigDecimal orElse(BigDecimal price, BigDecimal fallback) {
        return price != null ? price : fallback;
    }

    /** {@code price × tokens}; zero when there are no tokens (the price may then be null). */
    private static BigDecimal times(BigDecimal price, long tokens) {
        return tokens == 0 ? BigDecimal.ZERO : price.multiply(BigDecimal.valueOf(tokens));
    }
}
