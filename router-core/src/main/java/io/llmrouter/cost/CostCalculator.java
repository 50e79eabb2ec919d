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
        // Reads the price's fields directly and picks with plain conditionals: this runs once per
        // answer on the request path, so it allocates only the products and the Cost itself.
        LongContext lc = longContext(price, usage.promptTokens());
        ServiceTier st = serviceTier(usage);
        boolean above200k = lc == LongContext.ABOVE_200K;
        boolean above128k = lc == LongContext.ABOVE_128K;
        boolean flex = st == ServiceTier.FLEX;
        boolean priority = st == ServiceTier.PRIORITY;
        BigDecimal input = pick(above200k, price.inputPerTokenAbove200k, above128k, price.inputPerTokenAbove128k,
                flex, price.inputPerTokenFlex, priority, price.inputPerTokenPriority, price.inputPerToken);
        BigDecimal output = pick(above200k, price.outputPerTokenAbove200k, above128k,
                price.outputPerTokenAbove128k, flex, price.outputPerTokenFlex, priority,
                price.outputPerTokenPriority, price.outputPerToken);
        BigDecimal cachedInput = orElse(pick(above200k, price.cachedInputPerTokenAbove200k, false, null,
                flex, price.cachedInputPerTokenFlex, priority, price.cachedInputPerTokenPriority,
                price.cachedInputPerToken), input);
        BigDecimal cacheCreation = orElse(above200k && price.cacheCreationPerTokenAbove200k != null
                ? price.cacheCreationPerTokenAbove200k : price.cacheCreationPerToken, input);
        BigDecimal audioInput = orElse(price.audioInputPerToken, input);
        BigDecimal reasoning = orElse(price.reasoningPerToken, output);
        BigDecimal audioOutput = orElse(price.audioOutputPerToken, output);

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
        BigDecimal citations = price.citationPerToken == null ? BigDecimal.ZERO
                : times(price.citationPerToken, usage.citationTokens());
        BigDecimal perRequest = price.perRequest == null ? BigDecimal.ZERO : price.perRequest;
        BigDecimal searches = usage.searchQueries() == 0 ? BigDecimal.ZERO : searchFee(price, usage);
        return Cost.builder()
                .inputUsd(times(input, textIn))
                .cachedInputUsd(times(cachedInput, cached))
                .cacheCreationUsd(times(cacheCreation, cacheWrites))
                .audioInputUsd(times(audioInput, audioIn))
                .outputUsd(times(output, textOut))
                .reasoningUsd(times(reasoning, reasoningTokens))
                .audioOutputUsd(times(audioOutput, audioOut))
                .citationUsd(citations)
                .requestUsd(searches.signum() == 0 ? perRequest : perRequest.add(searches))
                .pricedBy(pricedBy)
                .build();
    }

    /**
     * The price of the first tier that applies and is priced, else {@code base} (null when unpriced):
     * rules 2 and 3, long context before service tier.
     */
    private static BigDecimal pick(boolean above200k, BigDecimal price200k, boolean above128k, BigDecimal price128k,
            boolean flex, BigDecimal flexPrice, boolean priority, BigDecimal priorityPrice, BigDecimal base) {
        if (above200k && price200k != null) {
            return price200k;
        }
        if (above128k && price128k != null) {
            return price128k;
        }
        if (flex && flexPrice != null) {
            return flexPrice;
        }
        if (priority && priorityPrice != null) {
            return priorityPrice;
        }
        return base;
    }

    /** Rule 2: the long-context tier, by prompt tokens, among the tiers the entry prices. */
    private static LongContext longContext(ModelPrice price, int promptTokens) {
        boolean inclusive = INCLUSIVE_THRESHOLD_PROVIDER.equals(price.provider);
        if (above(promptTokens, TIER_THRESHOLD_TOKENS, inclusive) && (price.inputPerTokenAbove200k != null
                || price.outputPerTokenAbove200k != null || price.cachedInputPerTokenAbove200k != null
                || price.cacheCreationPerTokenAbove200k != null)) {
            return LongContext.ABOVE_200K;
        }
        if (above(promptTokens, TIER_128K_THRESHOLD_TOKENS, inclusive) && (price.inputPerTokenAbove128k != null
                || price.outputPerTokenAbove128k != null)) {
            return LongContext.ABOVE_128K;
        }
        return LongContext.NONE;
    }

    private static boolean above(int tokens, int threshold, boolean inclusive) {
        return tokens > threshold || (inclusive && tokens == threshold);
    }

    /** Rule 3: {@code flex}, {@code priority} or xAI's {@code fast}, case-insensitive; anything else is standard. */
    private static ServiceTier serviceTier(Usage usage) {
        Optional<String> stated = usage.serviceTier();
        if (stated.isEmpty()) {
            return ServiceTier.STANDARD;
        }
        String tier = stated.get().strip();
        if (tier.equalsIgnoreCase("flex")) {
            return ServiceTier.FLEX;
        }
        return tier.equalsIgnoreCase("priority") || tier.equalsIgnoreCase("fast") ? ServiceTier.PRIORITY
                : ServiceTier.STANDARD;
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
