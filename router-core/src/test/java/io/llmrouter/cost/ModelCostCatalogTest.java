package io.llmrouter.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

import io.llmrouter.api.chat.Cost;
import io.llmrouter.api.chat.Usage;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Prices real routes of the main providers with the bundled table and checks each against a total worked out by
 * hand. The per-token prices are copied from {@code model-prices.tsv}, so a table refresh that changes one fails
 * {@link #bundledTableStillHasTheHardCodedPrices} and names the column; update the case and its arithmetic then.
 * Every case cites where its rule comes from: the vendor's pricing page and the LiteLLM cost-calculator function
 * that implements it (see {@link CostCalculator} for the rules).
 */
class ModelCostCatalogTest {

    private static final PriceTable TABLE = PriceTable.bundled();

    // Rule sources, one per vendor; a case names the specific rule in its scenario.
    private static final String OPENAI = "https://platform.openai.com/docs/pricing"
            + " (cached input, reasoning billed as output, Flex/Priority, audio); LiteLLM generic_cost_per_token";
    private static final String AZURE = "https://azure.microsoft.com/pricing/details/cognitive-services/openai-service/;"
            + " LiteLLM azure cost_per_token -> generic_cost_per_token";
    private static final String ANTHROPIC = "https://docs.anthropic.com/en/docs/about-claude/pricing (prompt caching,"
            + " long context, web search $10/1K); LiteLLM anthropic cost_calculation.cost_per_token";
    private static final String GEMINI = "https://ai.google.dev/gemini-api/docs/pricing (thinking billed as output,"
            + " >200k tier, audio input); LiteLLM llm_cost_calc.google.cost_per_token";
    private static final String VERTEX = "https://cloud.google.com/vertex-ai/generative-ai/pricing;"
            + " LiteLLM llm_cost_calc.google.cost_per_token";
    private static final String BEDROCK = "https://aws.amazon.com/bedrock/pricing/; LiteLLM bedrock cost_per_token";
    private static final String MISTRAL = "https://mistral.ai/pricing#api-pricing; LiteLLM generic_cost_per_token";
    private static final String DEEPSEEK = "https://api-docs.deepseek.com/quick_start/pricing (cache hit price,"
            + " reasoner output includes CoT); LiteLLM deepseek cost_per_token";
    private static final String XAI = "https://docs.x.ai/docs/models (reasoning billed as completion, >=128k tier);"
            + " LiteLLM llms/xai/cost_calculator.cost_per_token, _get_token_base_cost(threshold_is_inclusive)";
    private static final String PERPLEXITY = "https://docs.perplexity.ai/getting-started/pricing (request fee by"
            + " search context size, deep research: citations, reasoning, searches);"
            + " LiteLLM llms/perplexity/cost_calculator.cost_per_token";

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalog")
    void routeResolvesToTheExpectedTableKey(CatalogCase c) {
        // when
        Optional<PriceMatch> match = TABLE.lookup(c.route());
        // then
        assertThat(match).as("lookup of '%s'", c.route()).get().extracting(PriceMatch::key)
                .isEqualTo(c.expectedKey());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalog")
    void bundledTableStillHasTheHardCodedPrices(CatalogCase c) {
        // when
        ModelPrice inTable = TABLE.get(c.expectedKey()).orElseThrow(
                () -> new AssertionError("no entry '" + c.expectedKey() + "' in the bundled table"));
        // then
        Map<String, String> actual = priceColumns(inTable);
        Map<String, String> hardCoded = priceColumns(c.prices());
        assertSoftly(softly -> hardCoded.forEach((column, price) -> softly.assertThat(actual.get(column))
                .as("%s of '%s' in the bundled table, hard-coded for %s (table refreshed? update this case and"
                        + " its hand-computed cost)", column, c.expectedKey(), c)
                .isEqualTo(price)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalog")
    void costIsTheHandComputedTotalAndSplit(CatalogCase c) {
        // when
        Cost cost = CostCalculator.cost(TABLE, c.route(), c.usage());
        // then
        assertThat(cost.isPriced()).as("%s priced (%s)", c, cost.unpricedReason()).isTrue();
        assertThat(cost.pricedBy()).contains(c.expectedKey());
        Split expected = c.expected();
        assertSoftly(softly -> {
            softly.assertThat(cost.inputUsd()).as("inputUsd").isEqualByComparingTo(expected.input);
            softly.assertThat(cost.cachedInputUsd()).as("cachedInputUsd").isEqualByComparingTo(expected.cachedInput);
            softly.assertThat(cost.cacheCreationUsd()).as("cacheCreationUsd")
                    .isEqualByComparingTo(expected.cacheCreation);
            softly.assertThat(cost.audioInputUsd()).as("audioInputUsd").isEqualByComparingTo(expected.audioInput);
            softly.assertThat(cost.outputUsd()).as("outputUsd").isEqualByComparingTo(expected.output);
            softly.assertThat(cost.reasoningUsd()).as("reasoningUsd").isEqualByComparingTo(expected.reasoning);
            softly.assertThat(cost.audioOutputUsd()).as("audioOutputUsd").isEqualByComparingTo(expected.audioOutput);
            softly.assertThat(cost.citationUsd()).as("citationUsd").isEqualByComparingTo(expected.citation);
            softly.assertThat(cost.requestUsd()).as("requestUsd").isEqualByComparingTo(expected.request);
            softly.assertThat(cost.totalUsd()).as("totalUsd").get()
                    .satisfies(total -> assertThat(total).isEqualByComparingTo(expected.total));
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalog")
    void handComputedSplitAddsUpToItsTotal(CatalogCase c) {
        Split s = c.expected();
        BigDecimal sum = BigDecimal.ZERO;
        for (String part : List.of(s.input, s.cachedInput, s.cacheCreation, s.audioInput, s.output, s.reasoning,
                s.audioOutput, s.citation, s.request)) {
            sum = sum.add(new BigDecimal(part));
        }
        assertThat(sum).as("the parts written for %s", c).isEqualByComparingTo(s.total);
    }

    @Test
    void catalogCoversEveryVendorWithAtLeastFortyCasesEachCitingItsSource() {
        List<CatalogCase> cases = catalog().toList();

        assertThat(cases).hasSizeGreaterThanOrEqualTo(40);
        assertThat(cases).allSatisfy(c -> assertThat(c.source()).as("source of %s", c).startsWith("https://"));
        assertThat(cases).extracting(CatalogCase::source).contains(OPENAI, AZURE, ANTHROPIC, GEMINI, VERTEX, BEDROCK,
                XAI, PERPLEXITY, DEEPSEEK, MISTRAL);
    }

    static Stream<CatalogCase> catalog() {
        return Stream.of(
                // ---------------------------------------------------------------- OpenAI
                // 1,000 × 0.0000025 = 0.0025 input; 500 × 0.00001 = 0.005 output; total 0.0075
                entry(OPENAI, "openai/gpt-4o", "prompt and completion at list price", "gpt-4o",
                        price().inputPerToken("0.0000025").outputPerToken("0.00001")
                                .cachedInputPerToken("0.00000125").inputPerTokenPriority("0.00000425")
                                .outputPerTokenPriority("0.000017").cachedInputPerTokenPriority("0.000002125"),
                        usage().promptTokens(1_000).completionTokens(500),
                        split().input("0.0025").output("0.005").total("0.0075")),
                // (10,000 − 8,000) × 0.0000025 = 0.005 input; 8,000 × 0.00000125 = 0.01 cached;
                // 200 × 0.00001 = 0.002 output; total 0.017
                entry(OPENAI, "openai/gpt-4o", "cached prompt prefix at the cache-read price", "gpt-4o",
                        price().inputPerToken("0.0000025").outputPerToken("0.00001")
                                .cachedInputPerToken("0.00000125").inputPerTokenPriority("0.00000425")
                                .outputPerTokenPriority("0.000017").cachedInputPerTokenPriority("0.000002125"),
                        usage().promptTokens(10_000).cachedTokens(8_000).completionTokens(200),
                        split().input("0.005").cachedInput("0.01").output("0.002").total("0.017")),
                // 2,000 × 0.0000025 = 0.005 input; 1,000 × 0.00001 = 0.01 output; total 0.015
                entry(OPENAI, "openai/gpt-4o-2024-08-06", "dated snapshot priced by its own entry", "gpt-4o-2024-08-06",
                        price().inputPerToken("0.0000025").outputPerToken("0.00001")
                                .cachedInputPerToken("0.00000125"),
                        usage().promptTokens(2_000).completionTokens(1_000),
                        split().input("0.005").output("0.01").total("0.015")),
                // (100,000 − 40,000) × 0.00000015 = 0.009 input; 40,000 × 0.000000075 = 0.003 cached;
                // 5,000 × 0.0000006 = 0.003 output; total 0.015
                entry(OPENAI, "openai/gpt-4o-mini", "cached prompt prefix", "gpt-4o-mini",
                        price().inputPerToken("0.00000015").outputPerToken("0.0000006")
                                .cachedInputPerToken("0.000000075").inputPerTokenPriority("0.00000025")
                                .outputPerTokenPriority("0.000001").cachedInputPerTokenPriority("0.000000125"),
                        usage().promptTokens(100_000).cachedTokens(40_000).completionTokens(5_000),
                        split().input("0.009").cachedInput("0.003").output("0.003").total("0.015")),
                // no reasoning price, so all 10,000 completion tokens (8,000 of them reasoning) at the output price:
                // 2,000 × 0.0000011 = 0.0022 input; 2,000 × 0.0000044 = 0.0088 output;
                // 8,000 × 0.0000044 = 0.0352 reasoning; total 0.0462
                entry(OPENAI, "openai/o3-mini", "reasoning tokens billed at the output price", "o3-mini",
                        price().inputPerToken("0.0000011").outputPerToken("0.0000044")
                                .cachedInputPerToken("0.00000055"),
                        usage().promptTokens(2_000).completionTokens(10_000).reasoningTokens(8_000),
                        split().input("0.0022").output("0.0088").reasoning("0.0352").total("0.0462")),
                // (5,000 − 3,000) × 0.000015 = 0.03 input; 3,000 × 0.0000075 = 0.0225 cached;
                // 500 × 0.00006 = 0.03 output; 3,500 × 0.00006 = 0.21 reasoning; total 0.2925
                entry(OPENAI, "openai/o1", "reasoning with a cached prompt", "o1",
                        price().inputPerToken("0.000015").outputPerToken("0.00006")
                                .cachedInputPerToken("0.0000075"),
                        usage().promptTokens(5_000).cachedTokens(3_000).completionTokens(4_000)
                                .reasoningTokens(3_500),
                        split().input("0.03").cachedInput("0.0225").output("0.03").reasoning("0.21").total("0.2925")),
                // (50,000 − 30,000) × 0.000002 = 0.04 input; 30,000 × 0.0000005 = 0.015 cached;
                // 2,000 × 0.000008 = 0.016 output; total 0.071
                entry(OPENAI, "openai/gpt-4.1", "cached prompt prefix", "gpt-4.1",
                        price().inputPerToken("0.000002").outputPerToken("0.000008")
                                .cachedInputPerToken("0.0000005").inputPerTokenPriority("0.0000035")
                                .outputPerTokenPriority("0.000014").cachedInputPerTokenPriority("0.000000875"),
                        usage().promptTokens(50_000).cachedTokens(30_000).completionTokens(2_000),
                        split().input("0.04").cachedInput("0.015").output("0.016").total("0.071")),
                // no _above_200k prices, so the base prices hold:
                // 250,000 × 0.000002 = 0.5 input; 1,000 × 0.000008 = 0.008 output; total 0.508
                entry(OPENAI, "openai/gpt-4.1", "250k prompt stays at base price without tiered prices", "gpt-4.1",
                        price().inputPerToken("0.000002").outputPerToken("0.000008")
                                .cachedInputPerToken("0.0000005").inputPerTokenPriority("0.0000035")
                                .outputPerTokenPriority("0.000014").cachedInputPerTokenPriority("0.000000875"),
                        usage().promptTokens(250_000).completionTokens(1_000),
                        split().input("0.5").output("0.008").total("0.508")),

                // ---------------------------------------------------------------- Azure
                // (4,000 − 2,048) × 0.0000025 = 0.00488 input; 2,048 × 0.00000125 = 0.00256 cached;
                // 100 × 0.00001 = 0.001 output; total 0.00844
                entry(AZURE, "azure/gpt-4o", "cached prompt prefix", "azure/gpt-4o",
                        price().inputPerToken("0.0000025").outputPerToken("0.00001")
                                .cachedInputPerToken("0.00000125"),
                        usage().promptTokens(4_000).cachedTokens(2_048).completionTokens(100),
                        split().input("0.00488").cachedInput("0.00256").output("0.001").total("0.00844")),
                // Azure's own snapshot price (OpenAI's gpt-4o-2024-11-20 is 0.0000025 / 0.00001):
                // 1,000 × 0.00000275 = 0.00275 input; 1,000 × 0.000011 = 0.011 output; total 0.01375
                entry(AZURE, "azure/gpt-4o-2024-11-20", "Azure snapshot price, not OpenAI's", "azure/gpt-4o-2024-11-20",
                        price().inputPerToken("0.00000275").outputPerToken("0.000011")
                                .cachedInputPerToken("0.00000125"),
                        usage().promptTokens(1_000).completionTokens(1_000),
                        split().input("0.00275").output("0.011").total("0.01375")),
                // 10,000 × 0.000000165 = 0.00165 input; 1,000 × 0.00000066 = 0.00066 output; total 0.00231
                entry(AZURE, "azure/gpt-4o-mini", "prompt and completion at list price", "azure/gpt-4o-mini",
                        price().inputPerToken("0.000000165").outputPerToken("0.00000066")
                                .cachedInputPerToken("0.000000075"),
                        usage().promptTokens(10_000).completionTokens(1_000),
                        split().input("0.00165").output("0.00066").total("0.00231")),
                // 1,000 × 0.000015 = 0.015 input; 500 × 0.00006 = 0.03 output; 1,500 × 0.00006 = 0.09 reasoning;
                // total 0.135
                entry(AZURE, "azure/o1", "reasoning tokens billed at the output price", "azure/o1",
                        price().inputPerToken("0.000015").outputPerToken("0.00006")
                                .cachedInputPerToken("0.0000075"),
                        usage().promptTokens(1_000).completionTokens(2_000).reasoningTokens(1_500),
                        split().input("0.015").output("0.03").reasoning("0.09").total("0.135")),

                // ---------------------------------------------------------------- Anthropic
                // (12,000 − 8,000 − 3,000) × 0.000003 = 0.003 input; 8,000 × 0.0000003 = 0.0024 cached;
                // 3,000 × 0.00000375 = 0.01125 cache write; 500 × 0.000015 = 0.0075 output; total 0.02415
                entry(ANTHROPIC, "anthropic/claude-3-5-sonnet-20241022", "cache read and cache write",
                        "claude-3-5-sonnet-20241022",
                        price().inputPerToken("0.000003").outputPerToken("0.000015")
                                .cachedInputPerToken("0.0000003").cacheCreationPerToken("0.00000375")
                                .searchPerQueryLow("0.01").searchPerQueryMedium("0.01").searchPerQueryHigh("0.01"),
                        usage().promptTokens(12_000).cachedTokens(8_000).cacheCreationTokens(3_000)
                                .completionTokens(500),
                        split().input("0.003").cachedInput("0.0024").cacheCreation("0.01125").output("0.0075")
                                .total("0.02415")),
                // (20,000 − 15,000 − 3,000) × 0.0000008 = 0.0016 input; 15,000 × 0.00000008 = 0.0012 cached;
                // 3,000 × 0.000001 = 0.003 cache write; 1,000 × 0.000004 = 0.004 output; total 0.0098
                entry(ANTHROPIC, "anthropic/claude-3-5-haiku-20241022", "cache read and cache write",
                        "claude-3-5-haiku-20241022",
                        price().inputPerToken("0.0000008").outputPerToken("0.000004")
                                .cachedInputPerToken("0.00000008").cacheCreationPerToken("0.000001")
                                .searchPerQueryLow("0.01").searchPerQueryMedium("0.01").searchPerQueryHigh("0.01"),
                        usage().promptTokens(20_000).cachedTokens(15_000).cacheCreationTokens(3_000)
                                .completionTokens(1_000),
                        split().input("0.0016").cachedInput("0.0012").cacheCreation("0.003").output("0.004")
                                .total("0.0098")),
                // (100,000 − 80,000 − 10,000) × 0.000003 = 0.03 input; 80,000 × 0.0000003 = 0.024 cached;
                // 10,000 × 0.00000375 = 0.0375 cache write; 2,000 × 0.000015 = 0.03 output; total 0.1215
                entry(ANTHROPIC, "anthropic/claude-sonnet-4-20250514", "cache read and write below the 200k tier",
                        "claude-sonnet-4-20250514", claudeSonnet4(),
                        usage().promptTokens(100_000).cachedTokens(80_000).cacheCreationTokens(10_000)
                                .completionTokens(2_000),
                        split().input("0.03").cachedInput("0.024").cacheCreation("0.0375").output("0.03")
                                .total("0.1215")),
                // not above 200,000, so base prices:
                // 200,000 × 0.000003 = 0.6 input; 1,000 × 0.000015 = 0.015 output; total 0.615
                entry(ANTHROPIC, "anthropic/claude-sonnet-4-20250514", "exactly 200,000 prompt tokens stays at base price",
                        "claude-sonnet-4-20250514", claudeSonnet4(),
                        usage().promptTokens(200_000).completionTokens(1_000),
                        split().input("0.6").output("0.015").total("0.615")),
                // one token over: every token at the above-200k price:
                // 200,001 × 0.000006 = 1.200006 input; 1,000 × 0.0000225 = 0.0225 output; total 1.222506
                entry(ANTHROPIC, "anthropic/claude-sonnet-4-20250514", "200,001 prompt tokens tier every token",
                        "claude-sonnet-4-20250514", claudeSonnet4(),
                        usage().promptTokens(200_001).completionTokens(1_000),
                        split().input("1.200006").output("0.0225").total("1.222506")),
                // (300,000 − 200,000 − 50,000) × 0.000006 = 0.3 input; 200,000 × 0.0000006 = 0.12 cached;
                // 50,000 × 0.0000075 = 0.375 cache write; 4,000 × 0.0000225 = 0.09 output; total 0.885
                entry(ANTHROPIC, "anthropic/claude-sonnet-4-20250514", "above 200k every kind uses its tiered price",
                        "claude-sonnet-4-20250514", claudeSonnet4(),
                        usage().promptTokens(300_000).cachedTokens(200_000).cacheCreationTokens(50_000)
                                .completionTokens(4_000),
                        split().input("0.3").cachedInput("0.12").cacheCreation("0.375").output("0.09")
                                .total("0.885")),

                // ---------------------------------------------------------------- Gemini
                // (100,000 − 20,000) × 0.00000125 = 0.1 input; 20,000 × 0.0000003125 = 0.00625 cached;
                // 500 × 0.00001 = 0.005 output; 1,500 thinking × 0.00001 = 0.015 reasoning (no reasoning price);
                // total 0.12625
                entry(GEMINI, "gemini/gemini-2.5-pro", "cached prompt and thinking below the 200k tier",
                        "gemini/gemini-2.5-pro", gemini25Pro(),
                        usage().promptTokens(100_000).cachedTokens(20_000).completionTokens(2_000)
                                .reasoningTokens(1_500),
                        split().input("0.1").cachedInput("0.00625").output("0.005").reasoning("0.015").total("0.12625")),
                // 200,000 × 0.00000125 = 0.25 input; 1,000 × 0.00001 = 0.01 output; total 0.26
                entry(GEMINI, "gemini/gemini-2.5-pro", "exactly 200,000 prompt tokens stays at base price",
                        "gemini/gemini-2.5-pro", gemini25Pro(),
                        usage().promptTokens(200_000).completionTokens(1_000),
                        split().input("0.25").output("0.01").total("0.26")),
                // tiered input and output; no tiered cache-read price, so cached keeps its base price:
                // (250,000 − 50,000) × 0.0000025 = 0.5 input; 50,000 × 0.0000003125 = 0.015625 cached;
                // 2,000 × 0.000015 = 0.03 output; total 0.545625
                entry(GEMINI, "gemini/gemini-2.5-pro", "250k prompt tiers input and output, not cache read",
                        "gemini/gemini-2.5-pro", gemini25Pro(),
                        usage().promptTokens(250_000).cachedTokens(50_000).completionTokens(2_000),
                        split().input("0.5").cachedInput("0.015625").output("0.03").total("0.545625")),
                // (10,000 − 2,000) × 0.0000003 = 0.0024 input; 2,000 × 0.00000003 = 0.00006 cached;
                // (5,000 − 4,000) × 0.0000025 = 0.0025 output; 4,000 × 0.0000025 = 0.01 reasoning;
                // total 0.01496
                entry(GEMINI, "gemini/gemini-2.5-flash", "thinking tokens at the reasoning price", "gemini/gemini-2.5-flash",
                        price().inputPerToken("0.0000003").outputPerToken("0.0000025")
                                .cachedInputPerToken("0.00000003").reasoningPerToken("0.0000025")
                                .audioInputPerToken("0.000001"),
                        usage().promptTokens(10_000).cachedTokens(2_000).completionTokens(5_000)
                                .reasoningTokens(4_000),
                        split().input("0.0024").cachedInput("0.00006").output("0.0025").reasoning("0.01").total("0.01496")),
                // no tiered prices, so 400k stays at base:
                // (400,000 − 100,000) × 0.0000001 = 0.03 input; 100,000 × 0.000000025 = 0.0025 cached;
                // 8,000 × 0.0000004 = 0.0032 output; total 0.0357
                entry(GEMINI, "gemini/gemini-2.0-flash", "400k cached prompt at base price without tiered prices",
                        "gemini/gemini-2.0-flash",
                        price().inputPerToken("0.0000001").outputPerToken("0.0000004")
                                .cachedInputPerToken("0.000000025").audioInputPerToken("0.0000007"),
                        usage().promptTokens(400_000).cachedTokens(100_000).completionTokens(8_000),
                        split().input("0.03").cachedInput("0.0025").output("0.0032").total("0.0357")),

                // ---------------------------------------------------------------- Bedrock
                // no cache-read price, so cached tokens at the input price:
                // (5,000 − 1,000) × 0.000003 = 0.012 input; 1,000 × 0.000003 = 0.003 cached;
                // 300 × 0.000015 = 0.0045 output; total 0.0195
                entry(BEDROCK, "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0", "cached tokens at the input price",
                        "anthropic.claude-3-5-sonnet-20240620-v1:0",
                        price().inputPerToken("0.000003").outputPerToken("0.000015"),
                        usage().promptTokens(5_000).cachedTokens(1_000).completionTokens(300),
                        split().input("0.012").cachedInput("0.003").output("0.0045").total("0.0195")),
                // (6,000 − 4,000 − 1,000) × 0.000003 = 0.003 input; 4,000 × 0.0000003 = 0.0012 cached;
                // 1,000 × 0.00000375 = 0.00375 cache write; 400 × 0.000015 = 0.006 output; total 0.01395
                entry(BEDROCK, "bedrock/us.anthropic.claude-3-5-sonnet-20241022-v2:0",
                        "us. inference profile with cache read and write",
                        "us.anthropic.claude-3-5-sonnet-20241022-v2:0",
                        price().inputPerToken("0.000003").outputPerToken("0.000015")
                                .cachedInputPerToken("0.0000003").cacheCreationPerToken("0.00000375"),
                        usage().promptTokens(6_000).cachedTokens(4_000).cacheCreationTokens(1_000)
                                .completionTokens(400),
                        split().input("0.003").cachedInput("0.0012").cacheCreation("0.00375").output("0.006")
                                .total("0.01395")),
                // no apac. entry for this model, so the prefix is dropped:
                // (8,000 − 5,000 − 2,000) × 0.000003 = 0.003 input; 5,000 × 0.0000003 = 0.0015 cached;
                // 2,000 × 0.00000375 = 0.0075 cache write; 500 × 0.000015 = 0.0075 output; total 0.0195
                entry(BEDROCK, "bedrock/apac.anthropic.claude-3-7-sonnet-20250219-v1:0",
                        "apac. profile without its own entry priced as the base model",
                        "anthropic.claude-3-7-sonnet-20250219-v1:0",
                        price().inputPerToken("0.000003").outputPerToken("0.000015")
                                .cachedInputPerToken("0.0000003").cacheCreationPerToken("0.00000375"),
                        usage().promptTokens(8_000).cachedTokens(5_000).cacheCreationTokens(2_000)
                                .completionTokens(500),
                        split().input("0.003").cachedInput("0.0015").cacheCreation("0.0075").output("0.0075")
                                .total("0.0195")),
                // (250,000 − 0) × 0.000006 = 1.5 input; 1,000 × 0.0000225 = 0.0225 output; total 1.5225
                entry(BEDROCK, "bedrock_converse/us.anthropic.claude-sonnet-4-20250514-v1:0",
                        "us. profile above 200k at the tiered price",
                        "us.anthropic.claude-sonnet-4-20250514-v1:0", claudeSonnet4(),
                        usage().promptTokens(250_000).completionTokens(1_000),
                        split().input("1.5").output("0.0225").total("1.5225")),
                // entry is bedrock_converse, found through a bedrock route:
                // 3,000 × 0.0000008 = 0.0024 input; 1,000 × 0.0000032 = 0.0032 output; total 0.0056
                entry(BEDROCK, "bedrock/amazon.nova-pro-v1:0", "bedrock_converse entry found through a bedrock route",
                        "amazon.nova-pro-v1:0",
                        price().inputPerToken("0.0000008").outputPerToken("0.0000032"),
                        usage().promptTokens(3_000).completionTokens(1_000),
                        split().input("0.0024").output("0.0032").total("0.0056")),
                // 10,000 × 0.0000008 = 0.008 input; 2,000 × 0.0000032 = 0.0064 output; total 0.0144
                entry(BEDROCK, "bedrock/us.amazon.nova-pro-v1:0", "us. inference profile", "us.amazon.nova-pro-v1:0",
                        price().inputPerToken("0.0000008").outputPerToken("0.0000032"),
                        usage().promptTokens(10_000).completionTokens(2_000),
                        split().input("0.008").output("0.0064").total("0.0144")),
                // the eu. entry wins over the cheaper base one:
                // 10,000 × 0.00000105 = 0.0105 input; 2,000 × 0.0000042 = 0.0084 output; total 0.0189
                entry(BEDROCK, "bedrock/eu.amazon.nova-pro-v1:0", "eu. profile at its own higher price",
                        "eu.amazon.nova-pro-v1:0",
                        price().inputPerToken("0.00000105").outputPerToken("0.0000042"),
                        usage().promptTokens(10_000).completionTokens(2_000),
                        split().input("0.0105").output("0.0084").total("0.0189")),

                // ---------------------------------------------------------------- Mistral
                // 10,000 × 0.000002 = 0.02 input; 1,000 × 0.000006 = 0.006 output; total 0.026
                entry(MISTRAL, "mistral/mistral-large-latest", "prompt and completion at list price",
                        "mistral/mistral-large-latest",
                        price().inputPerToken("0.000002").outputPerToken("0.000006"),
                        usage().promptTokens(10_000).completionTokens(1_000),
                        split().input("0.02").output("0.006").total("0.026")),
                // 50,000 × 0.0000001 = 0.005 input; 10,000 × 0.0000003 = 0.003 output; total 0.008
                entry(MISTRAL, "mistral/mistral-small-latest", "prompt and completion at list price",
                        "mistral/mistral-small-latest",
                        price().inputPerToken("0.0000001").outputPerToken("0.0000003"),
                        usage().promptTokens(50_000).completionTokens(10_000),
                        split().input("0.005").output("0.003").total("0.008")),

                // ---------------------------------------------------------------- DeepSeek
                // (10,000 − 6,000) × 0.00000027 = 0.00108 input; 6,000 × 0.00000007 = 0.00042 cached;
                // 1,000 × 0.0000011 = 0.0011 output; total 0.0026
                entry(DEEPSEEK, "deepseek/deepseek-chat", "cache hit at the cache-read price", "deepseek/deepseek-chat",
                        price().inputPerToken("0.00000027").outputPerToken("0.0000011")
                                .cachedInputPerToken("0.00000007").cacheCreationPerToken("0"),
                        usage().promptTokens(10_000).cachedTokens(6_000).completionTokens(1_000),
                        split().input("0.00108").cachedInput("0.00042").output("0.0011").total("0.0026")),
                // 2,000 × 0.00000055 = 0.0011 input; 1,000 × 0.00000219 = 0.00219 output;
                // 4,000 × 0.00000219 = 0.00876 reasoning (no reasoning price); total 0.01205
                entry(DEEPSEEK, "deepseek/deepseek-reasoner", "reasoning tokens billed at the output price",
                        "deepseek/deepseek-reasoner",
                        price().inputPerToken("0.00000055").outputPerToken("0.00000219")
                                .cachedInputPerToken("0.00000014"),
                        usage().promptTokens(2_000).completionTokens(5_000).reasoningTokens(4_000),
                        split().input("0.0011").output("0.00219").reasoning("0.00876").total("0.01205")),

                // ---------------------------------------------------------------- OpenAI: tiers, audio, fine-tunes
                // service_tier flex selects the _flex prices (input, cache read, output; reasoning at output):
                // (10,000 − 2,000) × 0.000000625 = 0.005 input; 2,000 × 0.0000000625 = 0.000125 cached;
                // 1,000 × 0.000005 = 0.005 output; 2,000 × 0.000005 = 0.01 reasoning; total 0.020125
                entry(OPENAI, "openai/gpt-5", "service_tier flex at the _flex prices", "gpt-5", gpt5(),
                        usage().promptTokens(10_000).cachedTokens(2_000).completionTokens(3_000)
                                .reasoningTokens(2_000).serviceTier("flex"),
                        split().input("0.005").cachedInput("0.000125").output("0.005").reasoning("0.01")
                                .total("0.020125")),
                // service_tier priority: 10,000 × 0.0000025 = 0.025 input; 1,000 × 0.00002 = 0.02 output;
                // total 0.045
                entry(OPENAI, "openai/gpt-5", "service_tier priority at the _priority prices", "gpt-5", gpt5(),
                        usage().promptTokens(10_000).completionTokens(1_000).serviceTier("priority"),
                        split().input("0.025").output("0.02").total("0.045")),
                // service_tier default keeps the base prices: 10,000 × 0.00000125 = 0.0125 input;
                // 1,000 × 0.00001 = 0.01 output; total 0.0225
                entry(OPENAI, "openai/gpt-5", "service_tier default at the base prices", "gpt-5", gpt5(),
                        usage().promptTokens(10_000).completionTokens(1_000).serviceTier("default"),
                        split().input("0.0125").output("0.01").total("0.0225")),
                // audio split from text: (1,200 − 1,000) × 0.0000025 = 0.0005 input; 1,000 × 0.00004 = 0.04 audio in;
                // (700 − 500) × 0.00001 = 0.002 output; 500 × 0.00008 = 0.04 audio out; total 0.0825
                entry(OPENAI, "openai/gpt-4o-audio-preview-2024-12-17", "audio tokens at the audio prices",
                        "gpt-4o-audio-preview-2024-12-17",
                        price().inputPerToken("0.0000025").outputPerToken("0.00001")
                                .audioInputPerToken("0.00004").audioOutputPerToken("0.00008"),
                        usage().promptTokens(1_200).audioPromptTokens(1_000).completionTokens(700)
                                .audioCompletionTokens(500),
                        split().input("0.0005").audioInput("0.04").output("0.002").audioOutput("0.04")
                                .total("0.0825")),
                // fine-tuned name priced by the table's ft: entry: 1,000 × 0.00000375 = 0.00375 input;
                // 1,000 × 0.000015 = 0.015 output; total 0.01875
                entry(OPENAI, "openai/ft:gpt-4o-2024-08-06:my-org:custom-suffix:AbC123",
                        "fine-tuned name at the table's ft: price", "ft:gpt-4o-2024-08-06",
                        price().inputPerToken("0.00000375").outputPerToken("0.000015"),
                        usage().promptTokens(1_000).completionTokens(1_000),
                        split().input("0.00375").output("0.015").total("0.01875")),
                // no ft: entry for this base, so the base model's price: (5,000 − 1,000) × 0.0000004 = 0.0016 input;
                // 1,000 × 0.0000001 = 0.0001 cached; 500 × 0.0000016 = 0.0008 output; total 0.0025
                entry(OPENAI, "openai/ft:gpt-4.1-mini-2025-04-14:acme::B7xQ2",
                        "fine-tuned name without an ft: entry at its base price", "gpt-4.1-mini-2025-04-14",
                        price().inputPerToken("0.0000004").outputPerToken("0.0000016")
                                .cachedInputPerToken("0.0000001"),
                        usage().promptTokens(5_000).cachedTokens(1_000).completionTokens(500),
                        split().input("0.0016").cachedInput("0.0001").output("0.0008").total("0.0025")),

                // ---------------------------------------------------------------- Azure: tiers, audio
                // priority: (4,000 − 1,000) × 0.0000025 = 0.0075 input; 1,000 × 0.00000025 = 0.00025 cached;
                // 200 × 0.00002 = 0.004 output; 300 × 0.00002 = 0.006 reasoning; total 0.01775
                entry(AZURE, "azure/gpt-5.1-2025-11-13", "service_tier priority at Azure's _priority prices",
                        "azure/gpt-5.1-2025-11-13",
                        price().inputPerToken("0.00000125").outputPerToken("0.00001")
                                .cachedInputPerToken("0.000000125").inputPerTokenPriority("0.0000025")
                                .outputPerTokenPriority("0.00002").cachedInputPerTokenPriority("0.00000025"),
                        usage().promptTokens(4_000).cachedTokens(1_000).completionTokens(500).reasoningTokens(300)
                                .serviceTier("priority"),
                        split().input("0.0075").cachedInput("0.00025").output("0.004").reasoning("0.006")
                                .total("0.01775")),
                // (500 − 400) × 0.0000025 = 0.00025 input; 400 × 0.00004 = 0.016 audio in;
                // (300 − 250) × 0.00001 = 0.0005 output; 250 × 0.00008 = 0.02 audio out; total 0.03675
                entry(AZURE, "azure/gpt-audio-2025-08-28", "audio tokens at the audio prices",
                        "azure/gpt-audio-2025-08-28",
                        price().inputPerToken("0.0000025").outputPerToken("0.00001")
                                .audioInputPerToken("0.00004").audioOutputPerToken("0.00008"),
                        usage().promptTokens(500).audioPromptTokens(400).completionTokens(300)
                                .audioCompletionTokens(250),
                        split().input("0.00025").audioInput("0.016").output("0.0005").audioOutput("0.02")
                                .total("0.03675")),

                // ---------------------------------------------------------------- Anthropic: web search
                // 3 web searches at $10/1K: 1,000 × 0.000003 = 0.003 input; 200 × 0.000015 = 0.003 output;
                // 3 × 0.01 = 0.03 request; total 0.036
                entry(ANTHROPIC, "anthropic/claude-3-5-sonnet-20241022", "web searches at the per-search price",
                        "claude-3-5-sonnet-20241022",
                        price().inputPerToken("0.000003").outputPerToken("0.000015")
                                .cachedInputPerToken("0.0000003").cacheCreationPerToken("0.00000375")
                                .searchPerQueryLow("0.01").searchPerQueryMedium("0.01").searchPerQueryHigh("0.01"),
                        usage().promptTokens(1_000).completionTokens(200).searchQueries(3),
                        split().input("0.003").output("0.003").request("0.03").total("0.036")),

                // ---------------------------------------------------------------- Gemini: audio
                // (10,000 − 6,000) × 0.0000003 = 0.0012 input; 6,000 × 0.000001 = 0.006 audio in;
                // 600 × 0.0000025 = 0.0015 output; 400 × 0.0000025 = 0.001 reasoning; total 0.0097
                entry(GEMINI, "gemini/gemini-2.5-flash", "audio input at the audio price, thinking as reasoning",
                        "gemini/gemini-2.5-flash",
                        price().inputPerToken("0.0000003").outputPerToken("0.0000025")
                                .cachedInputPerToken("0.00000003").reasoningPerToken("0.0000025")
                                .audioInputPerToken("0.000001"),
                        usage().promptTokens(10_000).audioPromptTokens(6_000).completionTokens(1_000)
                                .reasoningTokens(400),
                        split().input("0.0012").audioInput("0.006").output("0.0015").reasoning("0.001")
                                .total("0.0097")),

                // ---------------------------------------------------------------- Vertex AI
                // vertex_ai route finds the vertex_ai-language-models entry; above 200k: input and output tiered,
                // the cache read has no tiered price: (300,000 − 100,000) × 0.0000025 = 0.5 input;
                // 100,000 × 0.000000125 = 0.0125 cached; 1,000 × 0.000015 = 0.015 output;
                // 3,000 × 0.000015 = 0.045 reasoning; total 0.5725
                entry(VERTEX, "vertex_ai/gemini-2.5-pro", "above 200k tiers thinking with the output",
                        "gemini-2.5-pro",
                        price().inputPerToken("0.00000125").outputPerToken("0.00001")
                                .cachedInputPerToken("0.000000125").inputPerTokenAbove200k("0.0000025")
                                .outputPerTokenAbove200k("0.000015").cacheCreationPerTokenAbove200k("0.00000025"),
                        usage().promptTokens(300_000).cachedTokens(100_000).completionTokens(4_000)
                                .reasoningTokens(3_000),
                        split().input("0.5").cachedInput("0.0125").output("0.015").reasoning("0.045")
                                .total("0.5725")),
                // below the tier: 100,000 × 0.00000125 = 0.125 input; 2,000 × 0.00001 = 0.02 output; total 0.145
                entry(VERTEX, "vertex_ai/gemini-2.5-pro", "below 200k at the base prices", "gemini-2.5-pro",
                        price().inputPerToken("0.00000125").outputPerToken("0.00001")
                                .cachedInputPerToken("0.000000125").inputPerTokenAbove200k("0.0000025")
                                .outputPerTokenAbove200k("0.000015").cacheCreationPerTokenAbove200k("0.00000025"),
                        usage().promptTokens(100_000).completionTokens(2_000),
                        split().input("0.125").output("0.02").total("0.145")),
                // 20,000 × 0.0000003 = 0.006 input; 500 × 0.0000025 = 0.00125 output;
                // 1,500 × 0.0000025 = 0.00375 reasoning; total 0.011
                entry(VERTEX, "vertex_ai/gemini-2.5-flash", "thinking at the reasoning price", "gemini-2.5-flash",
                        price().inputPerToken("0.0000003").outputPerToken("0.0000025")
                                .cachedInputPerToken("0.00000003").reasoningPerToken("0.0000025")
                                .audioInputPerToken("0.000001"),
                        usage().promptTokens(20_000).completionTokens(2_000).reasoningTokens(1_500),
                        split().input("0.006").output("0.00125").reasoning("0.00375").total("0.011")),

                // ---------------------------------------------------------------- xAI
                // the adapter adds the 285 reasoning tokens xAI reports apart to completion_tokens (1), so 286:
                // 13 × 0.0000003 = 0.0000039 input; 1 × 0.0000005 = 0.0000005 output;
                // 285 × 0.0000005 = 0.0001425 reasoning; total 0.0001469
                entry(XAI, "xai/grok-3-mini", "reasoning billed on top of the visible completion", "xai/grok-3-mini",
                        price().inputPerToken("0.0000003").outputPerToken("0.0000005"),
                        usage().promptTokens(13).completionTokens(286).reasoningTokens(285).totalTokens(299),
                        split().input("0.0000039").output("0.0000005").reasoning("0.0001425").total("0.0001469")),
                // above 128k: 150,000 × 0.000006 = 0.9 input; 500 × 0.00003 = 0.015 output;
                // 1,500 × 0.00003 = 0.045 reasoning; total 0.96
                entry(XAI, "xai/grok-4-0709", "above 128k every token at the _above_128k prices", "xai/grok-4-0709",
                        grok4(), usage().promptTokens(150_000).completionTokens(2_000).reasoningTokens(1_500),
                        split().input("0.9").output("0.015").reasoning("0.045").total("0.96")),
                // exactly 128,000 is already the upper tier at xAI: 128,000 × 0.000006 = 0.768 input;
                // 100 × 0.00003 = 0.003 output; total 0.771
                entry(XAI, "xai/grok-4-0709", "exactly 128,000 prompt tokens is in the upper tier",
                        "xai/grok-4-0709", grok4(), usage().promptTokens(128_000).completionTokens(100),
                        split().input("0.768").output("0.003").total("0.771")),
                // 127,999 stays below: 127,999 × 0.000003 = 0.383997 input; 100 × 0.000015 = 0.0015 output;
                // total 0.385497
                entry(XAI, "xai/grok-4-0709", "127,999 prompt tokens at the base prices", "xai/grok-4-0709", grok4(),
                        usage().promptTokens(127_999).completionTokens(100),
                        split().input("0.383997").output("0.0015").total("0.385497")),
                // cached prefix below the tier: 40,000 × 0.0000002 = 0.008 input; 60,000 × 0.00000005 = 0.003 cached;
                // 200 × 0.0000005 = 0.0001 output; 800 × 0.0000005 = 0.0004 reasoning; total 0.0115
                entry(XAI, "xai/grok-4-fast-reasoning", "cached prefix and reasoning below 128k",
                        "xai/grok-4-fast-reasoning", grok4Fast(),
                        usage().promptTokens(100_000).cachedTokens(60_000).completionTokens(1_000)
                                .reasoningTokens(800),
                        split().input("0.008").cachedInput("0.003").output("0.0001").reasoning("0.0004")
                                .total("0.0115")),
                // above 128k, no tiered cache price so cache reads keep theirs: 100,000 × 0.0000004 = 0.04 input;
                // 100,000 × 0.00000005 = 0.005 cached; 1,000 × 0.000001 = 0.001 output; total 0.046
                entry(XAI, "xai/grok-4-fast-reasoning", "above 128k tiers input and output, not cache read",
                        "xai/grok-4-fast-reasoning", grok4Fast(),
                        usage().promptTokens(200_000).cachedTokens(100_000).completionTokens(1_000),
                        split().input("0.04").cachedInput("0.005").output("0.001").total("0.046")),

                // ---------------------------------------------------------------- Perplexity
                // deep research: completion 7,163 + 73,997 reasoning reported apart = 81,160 after the adapter;
                // 19 × 0.000002 = 0.000038 input; 7,163 × 0.000008 = 0.057304 output;
                // 73,997 × 0.000003 = 0.221991 reasoning; 9,586 × 0.000002 = 0.019172 citations;
                // 18 searches × 0.005 = 0.09 request; total 0.388505
                entry(PERPLEXITY, "perplexity/sonar-deep-research",
                        "citations, reasoning and searches on top of completion", "perplexity/sonar-deep-research",
                        price().inputPerToken("0.000002").outputPerToken("0.000008").reasoningPerToken("0.000003")
                                .citationPerToken("0.000002").searchPerQueryLow("0.005")
                                .searchPerQueryMedium("0.005").searchPerQueryHigh("0.005"),
                        usage().promptTokens(19).completionTokens(81_160).reasoningTokens(73_997)
                                .citationTokens(9_586).searchQueries(18),
                        split().input("0.000038").output("0.057304").reasoning("0.221991").citation("0.019172")
                                .request("0.09").total("0.388505")),
                // one request at low context: 14 × 0.000001 = 0.000014 input; 200 × 0.000001 = 0.0002 output;
                // 0.005 request; total 0.005214
                entry(PERPLEXITY, "perplexity/sonar", "request fee at low search context", "perplexity/sonar",
                        sonar(), usage().promptTokens(14).completionTokens(200).searchQueries(1)
                                .searchContextSize("low"),
                        split().input("0.000014").output("0.0002").request("0.005").total("0.005214")),
                // sonar has no citation price, so citation tokens are not billed:
                // 100 × 0.000001 = 0.0001 input; 100 × 0.000001 = 0.0001 output; 0.012 request (high); total 0.0122
                entry(PERPLEXITY, "perplexity/sonar", "citation tokens unbilled, high context fee",
                        "perplexity/sonar", sonar(),
                        usage().promptTokens(100).completionTokens(100).citationTokens(5_000).searchQueries(1)
                                .searchContextSize("high"),
                        split().input("0.0001").output("0.0001").request("0.012").total("0.0122")),
                // 1,000 × 0.000003 = 0.003 input; 500 × 0.000015 = 0.0075 output; 0.014 request (high);
                // total 0.0245
                entry(PERPLEXITY, "perplexity/sonar-pro", "request fee at high search context", "perplexity/sonar-pro",
                        price().inputPerToken("0.000003").outputPerToken("0.000015").searchPerQueryLow("0.006")
                                .searchPerQueryMedium("0.01").searchPerQueryHigh("0.014"),
                        usage().promptTokens(1_000).completionTokens(500).searchQueries(1)
                                .searchContextSize("high"),
                        split().input("0.003").output("0.0075").request("0.014").total("0.0245")),
                // 2,000 × 0.000002 = 0.004 input; 1,000 × 0.000008 = 0.008 output; 0.01 request (medium);
                // total 0.022
                entry(PERPLEXITY, "perplexity/sonar-reasoning-pro", "request fee at medium search context",
                        "perplexity/sonar-reasoning-pro",
                        price().inputPerToken("0.000002").outputPerToken("0.000008").searchPerQueryLow("0.006")
                                .searchPerQueryMedium("0.01").searchPerQueryHigh("0.014"),
                        usage().promptTokens(2_000).completionTokens(1_000).searchQueries(1)
                                .searchContextSize("medium"),
                        split().input("0.004").output("0.008").request("0.01").total("0.022")),

                // ---------------------------------------------------------------- DeepSeek, Mistral
                // cache hits at DeepSeek's input_cost_per_token_cache_hit: (10,000 − 8,000) × 0.00000055 = 0.0011
                // input; 8,000 × 0.00000014 = 0.00112 cached; 500 × 0.00000219 = 0.001095 output;
                // 1,500 × 0.00000219 = 0.003285 reasoning; total 0.0066
                entry(DEEPSEEK, "deepseek/deepseek-reasoner", "cache hits at the cache-hit price",
                        "deepseek/deepseek-reasoner",
                        price().inputPerToken("0.00000055").outputPerToken("0.00000219")
                                .cachedInputPerToken("0.00000014"),
                        usage().promptTokens(10_000).cachedTokens(8_000).completionTokens(2_000)
                                .reasoningTokens(1_500),
                        split().input("0.0011").cachedInput("0.00112").output("0.001095").reasoning("0.003285")
                                .total("0.0066")),
                // Magistral's thinking is output: 1,000 × 0.000002 = 0.002 input; 3,000 × 0.000005 = 0.015 output;
                // total 0.017
                entry(MISTRAL, "mistral/magistral-medium-latest", "reasoning model at the output price",
                        "mistral/magistral-medium-latest",
                        price().inputPerToken("0.000002").outputPerToken("0.000005"),
                        usage().promptTokens(1_000).completionTokens(3_000),
                        split().input("0.002").output("0.015").total("0.017")));
    }

    /** claude-sonnet-4-20250514 and its Bedrock profiles: the only Claude entries with above-200k prices. */
    private static ModelPrice.Builder claudeSonnet4() {
        return price().inputPerToken("0.000003").outputPerToken("0.000015")
                .cachedInputPerToken("0.0000003").cacheCreationPerToken("0.00000375")
                .inputPerTokenAbove200k("0.000006").outputPerTokenAbove200k("0.0000225")
                .cachedInputPerTokenAbove200k("0.0000006").cacheCreationPerTokenAbove200k("0.0000075")
                .searchPerQueryLow("0.01").searchPerQueryMedium("0.01").searchPerQueryHigh("0.01");
    }

    /** gemini/gemini-2.5-pro: tiered input and output, but no tiered cache-read price. */
    private static ModelPrice.Builder gemini25Pro() {
        return price().inputPerToken("0.00000125").outputPerToken("0.00001")
                .cachedInputPerToken("0.0000003125")
                .inputPerTokenAbove200k("0.0000025").outputPerTokenAbove200k("0.000015");
    }

    /** gpt-5: base, flex and priority prices. */
    private static ModelPrice.Builder gpt5() {
        return price().inputPerToken("0.00000125").outputPerToken("0.00001").cachedInputPerToken("0.000000125")
                .inputPerTokenFlex("0.000000625").outputPerTokenFlex("0.000005")
                .cachedInputPerTokenFlex("0.0000000625").inputPerTokenPriority("0.0000025")
                .outputPerTokenPriority("0.00002").cachedInputPerTokenPriority("0.00000025");
    }

    /** xai/grok-4-0709: base and above-128k prices. */
    private static ModelPrice.Builder grok4() {
        return price().inputPerToken("0.000003").outputPerToken("0.000015").inputPerTokenAbove128k("0.000006")
                .outputPerTokenAbove128k("0.00003");
    }

    /** xai/grok-4-fast-reasoning: base, cache read and above-128k prices. */
    private static ModelPrice.Builder grok4Fast() {
        return price().inputPerToken("0.0000002").outputPerToken("0.0000005").cachedInputPerToken("0.00000005")
                .inputPerTokenAbove128k("0.0000004").outputPerTokenAbove128k("0.000001");
    }

    /** perplexity/sonar: token prices and the request fee per search context size. */
    private static ModelPrice.Builder sonar() {
        return price().inputPerToken("0.000001").outputPerToken("0.000001").searchPerQueryLow("0.005")
                .searchPerQueryMedium("0.008").searchPerQueryHigh("0.012");
    }

    /** The price columns of an entry, absent ones as "-", for a failure message that names the column. */
    private static Map<String, String> priceColumns(ModelPrice p) {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("input_cost_per_token", plain(p.inputPerToken()));
        columns.put("output_cost_per_token", plain(p.outputPerToken()));
        columns.put("cache_read_input_token_cost", plain(p.cachedInputPerToken()));
        columns.put("cache_creation_input_token_cost", plain(p.cacheCreationPerToken()));
        columns.put("output_cost_per_reasoning_token", plain(p.reasoningPerToken()));
        columns.put("input_cost_per_token_above_200k_tokens", plain(p.inputPerTokenAbove200k()));
        columns.put("output_cost_per_token_above_200k_tokens", plain(p.outputPerTokenAbove200k()));
        columns.put("cache_read_input_token_cost_above_200k_tokens", plain(p.cachedInputPerTokenAbove200k()));
        columns.put("cache_creation_input_token_cost_above_200k_tokens", plain(p.cacheCreationPerTokenAbove200k()));
        columns.put("input_cost_per_request", plain(p.perRequest()));
        columns.put("input_cost_per_token_above_128k_tokens", plain(p.inputPerTokenAbove128k()));
        columns.put("output_cost_per_token_above_128k_tokens", plain(p.outputPerTokenAbove128k()));
        columns.put("input_cost_per_token_flex", plain(p.inputPerTokenFlex()));
        columns.put("output_cost_per_token_flex", plain(p.outputPerTokenFlex()));
        columns.put("cache_read_input_token_cost_flex", plain(p.cachedInputPerTokenFlex()));
        columns.put("input_cost_per_token_priority", plain(p.inputPerTokenPriority()));
        columns.put("output_cost_per_token_priority", plain(p.outputPerTokenPriority()));
        columns.put("cache_read_input_token_cost_priority", plain(p.cachedInputPerTokenPriority()));
        columns.put("input_cost_per_audio_token", plain(p.audioInputPerToken()));
        columns.put("output_cost_per_audio_token", plain(p.audioOutputPerToken()));
        columns.put("citation_cost_per_token", plain(p.citationPerToken()));
        columns.put("search_context_cost_per_query.search_context_size_low", plain(p.searchPerQueryLow()));
        columns.put("search_context_cost_per_query.search_context_size_medium", plain(p.searchPerQueryMedium()));
        columns.put("search_context_cost_per_query.search_context_size_high", plain(p.searchPerQueryHigh()));
        return columns;
    }

    private static String plain(Optional<BigDecimal> price) {
        return price.map(d -> d.stripTrailingZeros().toPlainString()).orElse("-");
    }

    private static CatalogCase entry(String source, String route, String scenario, String expectedKey,
            ModelPrice.Builder prices, Usage.Builder usage, Split expected) {
        return new CatalogCase(source, route, scenario, expectedKey, prices.build(), usage.build(), expected);
    }

    private static ModelPrice.Builder price() {
        return ModelPrice.builder();
    }

    private static Usage.Builder usage() {
        return Usage.builder();
    }

    private static Split split() {
        return new Split();
    }

    /**
     * One route, one usage, the table key it should resolve to, that key's prices, the cost by hand, and where the
     * rule comes from.
     */
    record CatalogCase(String source, String route, String scenario, String expectedKey, ModelPrice prices,
            Usage usage, Split expected) {
        @Override
        public String toString() {
            return route + " — " + scenario;
        }
    }

    /** The expected cost parts in USD, as decimal strings; parts not set are zero. */
    static final class Split {
        private String input = "0";
        private String cachedInput = "0";
        private String cacheCreation = "0";
        private String audioInput = "0";
        private String output = "0";
        private String reasoning = "0";
        private String audioOutput = "0";
        private String citation = "0";
        private String request = "0";
        private String total;

        Split input(String usd) {
            this.input = usd;
            return this;
        }

        Split cachedInput(String usd) {
            this.cachedInput = usd;
            return this;
        }

        Split cacheCreation(String usd) {
            this.cacheCreation = usd;
            return this;
        }

        Split output(String usd) {
            this.output = usd;
            return this;
        }

        Split audioInput(String usd) {
            this.audioInput = usd;
            return this;
        }

        Split reasoning(String usd) {
            this.reasoning = usd;
            return this;
        }

        Split audioOutput(String usd) {
            this.audioOutput = usd;
            return this;
        }

        Split citation(String usd) {
            this.citation = usd;
            return this;
        }

        Split request(String usd) {
            this.request = usd;
            return this;
        }

        Split total(String usd) {
            this.total = usd;
            return this;
        }
    }
}
