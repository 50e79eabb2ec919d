package io.llmrouter.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

import io.llmrouter.api.chat.Cost;
import io.llmrouter.api.chat.Usage;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Prices real routes of the main providers with the bundled table and checks each against a total worked out by
 * hand. The per-token prices are copied from {@code model-prices.tsv}, so a table refresh that changes one fails
 * {@link #bundledTableStillHasTheHardCodedPrices} and names the column; update the case and its arithmetic then.
 */
class ModelCostCatalogTest {

    private static final PriceTable TABLE = PriceTable.bundled();

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
            softly.assertThat(cost.outputUsd()).as("outputUsd").isEqualByComparingTo(expected.output);
            softly.assertThat(cost.requestUsd()).as("requestUsd").isEqualByComparingTo("0");
            softly.assertThat(cost.totalUsd()).as("totalUsd").get()
                    .satisfies(total -> assertThat(total).isEqualByComparingTo(expected.total));
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalog")
    void handComputedSplitAddsUpToItsTotal(CatalogCase c) {
        Split s = c.expected();
        BigDecimal sum = new BigDecimal(s.input).add(new BigDecimal(s.cachedInput))
                .add(new BigDecimal(s.cacheCreation)).add(new BigDecimal(s.output));
        assertThat(sum).as("the parts written for %s", c).isEqualByComparingTo(s.total);
    }

    static Stream<CatalogCase> catalog() {
        return Stream.of(
                // ---------------------------------------------------------------- OpenAI
                // 1,000 × 0.0000025 = 0.0025 input; 500 × 0.00001 = 0.005 output; total 0.0075
                entry("openai/gpt-4o", "prompt and completion at list price", "gpt-4o",
                        price().inputPerToken("0.0000025").outputPerToken("0.00001")
                                .cachedInputPerToken("0.00000125"),
                        usage().promptTokens(1_000).completionTokens(500),
                        split().input("0.0025").output("0.005").total("0.0075")),
                // (10,000 − 8,000) × 0.0000025 = 0.005 input; 8,000 × 0.00000125 = 0.01 cached;
                // 200 × 0.00001 = 0.002 output; total 0.017
                entry("openai/gpt-4o", "cached prompt prefix at the cache-read price", "gpt-4o",
                        price().inputPerToken("0.0000025").outputPerToken("0.00001")
                                .cachedInputPerToken("0.00000125"),
                        usage().promptTokens(10_000).cachedTokens(8_000).completionTokens(200),
                        split().input("0.005").cachedInput("0.01").output("0.002").total("0.017")),
                // 2,000 × 0.0000025 = 0.005 input; 1,000 × 0.00001 = 0.01 output; total 0.015
                entry("openai/gpt-4o-2024-08-06", "dated snapshot priced by its own entry", "gpt-4o-2024-08-06",
                        price().inputPerToken("0.0000025").outputPerToken("0.00001")
                                .cachedInputPerToken("0.00000125"),
                        usage().promptTokens(2_000).completionTokens(1_000),
                        split().input("0.005").output("0.01").total("0.015")),
                // (100,000 − 40,000) × 0.00000015 = 0.009 input; 40,000 × 0.000000075 = 0.003 cached;
                // 5,000 × 0.0000006 = 0.003 output; total 0.015
                entry("openai/gpt-4o-mini", "cached prompt prefix", "gpt-4o-mini",
                        price().inputPerToken("0.00000015").outputPerToken("0.0000006")
                                .cachedInputPerToken("0.000000075"),
                        usage().promptTokens(100_000).cachedTokens(40_000).completionTokens(5_000),
                        split().input("0.009").cachedInput("0.003").output("0.003").total("0.015")),
                // no reasoning price, so all 10,000 completion tokens (8,000 of them reasoning) at the output price:
                // 2,000 × 0.0000011 = 0.0022 input; 10,000 × 0.0000044 = 0.044 output; total 0.0462
                entry("openai/o3-mini", "reasoning tokens billed at the output price", "o3-mini",
                        price().inputPerToken("0.0000011").outputPerToken("0.0000044")
                                .cachedInputPerToken("0.00000055"),
                        usage().promptTokens(2_000).completionTokens(10_000).reasoningTokens(8_000),
                        split().input("0.0022").output("0.044").total("0.0462")),
                // (5,000 − 3,000) × 0.000015 = 0.03 input; 3,000 × 0.0000075 = 0.0225 cached;
                // 4,000 × 0.00006 = 0.24 output (3,500 reasoning included); total 0.2925
                entry("openai/o1", "reasoning with a cached prompt", "o1",
                        price().inputPerToken("0.000015").outputPerToken("0.00006")
                                .cachedInputPerToken("0.0000075"),
                        usage().promptTokens(5_000).cachedTokens(3_000).completionTokens(4_000)
                                .reasoningTokens(3_500),
                        split().input("0.03").cachedInput("0.0225").output("0.24").total("0.2925")),
                // (50,000 − 30,000) × 0.000002 = 0.04 input; 30,000 × 0.0000005 = 0.015 cached;
                // 2,000 × 0.000008 = 0.016 output; total 0.071
                entry("openai/gpt-4.1", "cached prompt prefix", "gpt-4.1",
                        price().inputPerToken("0.000002").outputPerToken("0.000008")
                                .cachedInputPerToken("0.0000005"),
                        usage().promptTokens(50_000).cachedTokens(30_000).completionTokens(2_000),
                        split().input("0.04").cachedInput("0.015").output("0.016").total("0.071")),
                // no _above_200k prices, so the base prices hold:
                // 250,000 × 0.000002 = 0.5 input; 1,000 × 0.000008 = 0.008 output; total 0.508
                entry("openai/gpt-4.1", "250k prompt stays at base price without tiered prices", "gpt-4.1",
                        price().inputPerToken("0.000002").outputPerToken("0.000008")
                                .cachedInputPerToken("0.0000005"),
                        usage().promptTokens(250_000).completionTokens(1_000),
                        split().input("0.5").output("0.008").total("0.508")),

                // ---------------------------------------------------------------- Azure
                // (4,000 − 2,048) × 0.0000025 = 0.00488 input; 2,048 × 0.00000125 = 0.00256 cached;
                // 100 × 0.00001 = 0.001 output; total 0.00844
                entry("azure/gpt-4o", "cached prompt prefix", "azure/gpt-4o",
                        price().inputPerToken("0.0000025").outputPerToken("0.00001")
                                .cachedInputPerToken("0.00000125"),
                        usage().promptTokens(4_000).cachedTokens(2_048).completionTokens(100),
                        split().input("0.00488").cachedInput("0.00256").output("0.001").total("0.00844")),
                // Azure's own snapshot price (OpenAI's gpt-4o-2024-11-20 is 0.0000025 / 0.00001):
                // 1,000 × 0.00000275 = 0.00275 input; 1,000 × 0.000011 = 0.011 output; total 0.01375
                entry("azure/gpt-4o-2024-11-20", "Azure snapshot price, not OpenAI's", "azure/gpt-4o-2024-11-20",
                        price().inputPerToken("0.00000275").outputPerToken("0.000011")
                                .cachedInputPerToken("0.00000125"),
                        usage().promptTokens(1_000).completionTokens(1_000),
                        split().input("0.00275").output("0.011").total("0.01375")),
                // 10,000 × 0.000000165 = 0.00165 input; 1,000 × 0.00000066 = 0.00066 output; total 0.00231
                entry("azure/gpt-4o-mini", "prompt and completion at list price", "azure/gpt-4o-mini",
                        price().inputPerToken("0.000000165").outputPerToken("0.00000066")
                                .cachedInputPerToken("0.000000075"),
                        usage().promptTokens(10_000).completionTokens(1_000),
                        split().input("0.00165").output("0.00066").total("0.00231")),
                // 1,000 × 0.000015 = 0.015 input; 2,000 × 0.00006 = 0.12 output (1,500 reasoning included);
                // total 0.135
                entry("azure/o1", "reasoning tokens billed at the output price", "azure/o1",
                        price().inputPerToken("0.000015").outputPerToken("0.00006")
                                .cachedInputPerToken("0.0000075"),
                        usage().promptTokens(1_000).completionTokens(2_000).reasoningTokens(1_500),
                        split().input("0.015").output("0.12").total("0.135")),

                // ---------------------------------------------------------------- Anthropic
                // (12,000 − 8,000 − 3,000) × 0.000003 = 0.003 input; 8,000 × 0.0000003 = 0.0024 cached;
                // 3,000 × 0.00000375 = 0.01125 cache write; 500 × 0.000015 = 0.0075 output; total 0.02415
                entry("anthropic/claude-3-5-sonnet-20241022", "cache read and cache write",
                        "claude-3-5-sonnet-20241022",
                        price().inputPerToken("0.000003").outputPerToken("0.000015")
                                .cachedInputPerToken("0.0000003").cacheCreationPerToken("0.00000375"),
                        usage().promptTokens(12_000).cachedTokens(8_000).cacheCreationTokens(3_000)
                                .completionTokens(500),
                        split().input("0.003").cachedInput("0.0024").cacheCreation("0.01125").output("0.0075")
                                .total("0.02415")),
                // (20,000 − 15,000 − 3,000) × 0.0000008 = 0.0016 input; 15,000 × 0.00000008 = 0.0012 cached;
                // 3,000 × 0.000001 = 0.003 cache write; 1,000 × 0.000004 = 0.004 output; total 0.0098
                entry("anthropic/claude-3-5-haiku-20241022", "cache read and cache write",
                        "claude-3-5-haiku-20241022",
                        price().inputPerToken("0.0000008").outputPerToken("0.000004")
                                .cachedInputPerToken("0.00000008").cacheCreationPerToken("0.000001"),
                        usage().promptTokens(20_000).cachedTokens(15_000).cacheCreationTokens(3_000)
                                .completionTokens(1_000),
                        split().input("0.0016").cachedInput("0.0012").cacheCreation("0.003").output("0.004")
                                .total("0.0098")),
                // (100,000 − 80,000 − 10,000) × 0.000003 = 0.03 input; 80,000 × 0.0000003 = 0.024 cached;
                // 10,000 × 0.00000375 = 0.0375 cache write; 2,000 × 0.000015 = 0.03 output; total 0.1215
                entry("anthropic/claude-sonnet-4-20250514", "cache read and write below the 200k tier",
                        "claude-sonnet-4-20250514", claudeSonnet4(),
                        usage().promptTokens(100_000).cachedTokens(80_000).cacheCreationTokens(10_000)
                                .completionTokens(2_000),
                        split().input("0.03").cachedInput("0.024").cacheCreation("0.0375").output("0.03")
                                .total("0.1215")),
                // not above 200,000, so base prices:
                // 200,000 × 0.000003 = 0.6 input; 1,000 × 0.000015 = 0.015 output; total 0.615
                entry("anthropic/claude-sonnet-4-20250514", "exactly 200,000 prompt tokens stays at base price",
                        "claude-sonnet-4-20250514", claudeSonnet4(),
                        usage().promptTokens(200_000).completionTokens(1_000),
                        split().input("0.6").output("0.015").total("0.615")),
                // one token over: every token at the above-200k price:
                // 200,001 × 0.000006 = 1.200006 input; 1,000 × 0.0000225 = 0.0225 output; total 1.222506
                entry("anthropic/claude-sonnet-4-20250514", "200,001 prompt tokens tier every token",
                        "claude-sonnet-4-20250514", claudeSonnet4(),
                        usage().promptTokens(200_001).completionTokens(1_000),
                        split().input("1.200006").output("0.0225").total("1.222506")),
                // (300,000 − 200,000 − 50,000) × 0.000006 = 0.3 input; 200,000 × 0.0000006 = 0.12 cached;
                // 50,000 × 0.0000075 = 0.375 cache write; 4,000 × 0.0000225 = 0.09 output; total 0.885
                entry("anthropic/claude-sonnet-4-20250514", "above 200k every kind uses its tiered price",
                        "claude-sonnet-4-20250514", claudeSonnet4(),
                        usage().promptTokens(300_000).cachedTokens(200_000).cacheCreationTokens(50_000)
                                .completionTokens(4_000),
                        split().input("0.3").cachedInput("0.12").cacheCreation("0.375").output("0.09")
                                .total("0.885")),

                // ---------------------------------------------------------------- Gemini
                // (100,000 − 20,000) × 0.00000125 = 0.1 input; 20,000 × 0.0000003125 = 0.00625 cached;
                // 2,000 × 0.00001 = 0.02 output (1,500 thinking included, no reasoning price); total 0.12625
                entry("gemini/gemini-2.5-pro", "cached prompt and thinking below the 200k tier",
                        "gemini/gemini-2.5-pro", gemini25Pro(),
                        usage().promptTokens(100_000).cachedTokens(20_000).completionTokens(2_000)
                                .reasoningTokens(1_500),
                        split().input("0.1").cachedInput("0.00625").output("0.02").total("0.12625")),
                // 200,000 × 0.00000125 = 0.25 input; 1,000 × 0.00001 = 0.01 output; total 0.26
                entry("gemini/gemini-2.5-pro", "exactly 200,000 prompt tokens stays at base price",
                        "gemini/gemini-2.5-pro", gemini25Pro(),
                        usage().promptTokens(200_000).completionTokens(1_000),
                        split().input("0.25").output("0.01").total("0.26")),
                // tiered input and output; no tiered cache-read price, so cached keeps its base price:
                // (250,000 − 50,000) × 0.0000025 = 0.5 input; 50,000 × 0.0000003125 = 0.015625 cached;
                // 2,000 × 0.000015 = 0.03 output; total 0.545625
                entry("gemini/gemini-2.5-pro", "250k prompt tiers input and output, not cache read",
                        "gemini/gemini-2.5-pro", gemini25Pro(),
                        usage().promptTokens(250_000).cachedTokens(50_000).completionTokens(2_000),
                        split().input("0.5").cachedInput("0.015625").output("0.03").total("0.545625")),
                // (10,000 − 2,000) × 0.0000003 = 0.0024 input; 2,000 × 0.00000003 = 0.00006 cached;
                // (5,000 − 4,000) × 0.0000025 = 0.0025 output + 4,000 × 0.0000025 = 0.01 reasoning = 0.0125;
                // total 0.01496
                entry("gemini/gemini-2.5-flash", "thinking tokens at the reasoning price", "gemini/gemini-2.5-flash",
                        price().inputPerToken("0.0000003").outputPerToken("0.0000025")
                                .cachedInputPerToken("0.00000003").reasoningPerToken("0.0000025"),
                        usage().promptTokens(10_000).cachedTokens(2_000).completionTokens(5_000)
                                .reasoningTokens(4_000),
                        split().input("0.0024").cachedInput("0.00006").output("0.0125").total("0.01496")),
                // no tiered prices, so 400k stays at base:
                // (400,000 − 100,000) × 0.0000001 = 0.03 input; 100,000 × 0.000000025 = 0.0025 cached;
                // 8,000 × 0.0000004 = 0.0032 output; total 0.0357
                entry("gemini/gemini-2.0-flash", "400k cached prompt at base price without tiered prices",
                        "gemini/gemini-2.0-flash",
                        price().inputPerToken("0.0000001").outputPerToken("0.0000004")
                                .cachedInputPerToken("0.000000025"),
                        usage().promptTokens(400_000).cachedTokens(100_000).completionTokens(8_000),
                        split().input("0.03").cachedInput("0.0025").output("0.0032").total("0.0357")),

                // ---------------------------------------------------------------- Bedrock
                // no cache-read price, so cached tokens at the input price:
                // (5,000 − 1,000) × 0.000003 = 0.012 input; 1,000 × 0.000003 = 0.003 cached;
                // 300 × 0.000015 = 0.0045 output; total 0.0195
                entry("bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0", "cached tokens at the input price",
                        "anthropic.claude-3-5-sonnet-20240620-v1:0",
                        price().inputPerToken("0.000003").outputPerToken("0.000015"),
                        usage().promptTokens(5_000).cachedTokens(1_000).completionTokens(300),
                        split().input("0.012").cachedInput("0.003").output("0.0045").total("0.0195")),
                // (6,000 − 4,000 − 1,000) × 0.000003 = 0.003 input; 4,000 × 0.0000003 = 0.0012 cached;
                // 1,000 × 0.00000375 = 0.00375 cache write; 400 × 0.000015 = 0.006 output; total 0.01395
                entry("bedrock/us.anthropic.claude-3-5-sonnet-20241022-v2:0",
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
                entry("bedrock/apac.anthropic.claude-3-7-sonnet-20250219-v1:0",
                        "apac. profile without its own entry priced as the base model",
                        "anthropic.claude-3-7-sonnet-20250219-v1:0",
                        price().inputPerToken("0.000003").outputPerToken("0.000015")
                                .cachedInputPerToken("0.0000003").cacheCreationPerToken("0.00000375"),
                        usage().promptTokens(8_000).cachedTokens(5_000).cacheCreationTokens(2_000)
                                .completionTokens(500),
                        split().input("0.003").cachedInput("0.0015").cacheCreation("0.0075").output("0.0075")
                                .total("0.0195")),
                // (250,000 − 0) × 0.000006 = 1.5 input; 1,000 × 0.0000225 = 0.0225 output; total 1.5225
                entry("bedrock_converse/us.anthropic.claude-sonnet-4-20250514-v1:0",
                        "us. profile above 200k at the tiered price",
                        "us.anthropic.claude-sonnet-4-20250514-v1:0", claudeSonnet4(),
                        usage().promptTokens(250_000).completionTokens(1_000),
                        split().input("1.5").output("0.0225").total("1.5225")),
                // entry is bedrock_converse, found through a bedrock route:
                // 3,000 × 0.0000008 = 0.0024 input; 1,000 × 0.0000032 = 0.0032 output; total 0.0056
                entry("bedrock/amazon.nova-pro-v1:0", "bedrock_converse entry found through a bedrock route",
                        "amazon.nova-pro-v1:0",
                        price().inputPerToken("0.0000008").outputPerToken("0.0000032"),
                        usage().promptTokens(3_000).completionTokens(1_000),
                        split().input("0.0024").output("0.0032").total("0.0056")),
                // 10,000 × 0.0000008 = 0.008 input; 2,000 × 0.0000032 = 0.0064 output; total 0.0144
                entry("bedrock/us.amazon.nova-pro-v1:0", "us. inference profile", "us.amazon.nova-pro-v1:0",
                        price().inputPerToken("0.0000008").outputPerToken("0.0000032"),
                        usage().promptTokens(10_000).completionTokens(2_000),
                        split().input("0.008").output("0.0064").total("0.0144")),
                // the eu. entry wins over the cheaper base one:
                // 10,000 × 0.00000105 = 0.0105 input; 2,000 × 0.0000042 = 0.0084 output; total 0.0189
                entry("bedrock/eu.amazon.nova-pro-v1:0", "eu. profile at its own higher price",
                        "eu.amazon.nova-pro-v1:0",
                        price().inputPerToken("0.00000105").outputPerToken("0.0000042"),
                        usage().promptTokens(10_000).completionTokens(2_000),
                        split().input("0.0105").output("0.0084").total("0.0189")),

                // ---------------------------------------------------------------- Mistral
                // 10,000 × 0.000002 = 0.02 input; 1,000 × 0.000006 = 0.006 output; total 0.026
                entry("mistral/mistral-large-latest", "prompt and completion at list price",
                        "mistral/mistral-large-latest",
                        price().inputPerToken("0.000002").outputPerToken("0.000006"),
                        usage().promptTokens(10_000).completionTokens(1_000),
                        split().input("0.02").output("0.006").total("0.026")),
                // 50,000 × 0.0000001 = 0.005 input; 10,000 × 0.0000003 = 0.003 output; total 0.008
                entry("mistral/mistral-small-latest", "prompt and completion at list price",
                        "mistral/mistral-small-latest",
                        price().inputPerToken("0.0000001").outputPerToken("0.0000003"),
                        usage().promptTokens(50_000).completionTokens(10_000),
                        split().input("0.005").output("0.003").total("0.008")),

                // ---------------------------------------------------------------- DeepSeek
                // (10,000 − 6,000) × 0.00000027 = 0.00108 input; 6,000 × 0.00000007 = 0.00042 cached;
                // 1,000 × 0.0000011 = 0.0011 output; total 0.0026
                entry("deepseek/deepseek-chat", "cache hit at the cache-read price", "deepseek/deepseek-chat",
                        price().inputPerToken("0.00000027").outputPerToken("0.0000011")
                                .cachedInputPerToken("0.00000007").cacheCreationPerToken("0"),
                        usage().promptTokens(10_000).cachedTokens(6_000).completionTokens(1_000),
                        split().input("0.00108").cachedInput("0.00042").output("0.0011").total("0.0026")),
                // 2,000 × 0.00000055 = 0.0011 input; 5,000 × 0.00000219 = 0.01095 output (4,000 reasoning
                // included, no reasoning price); total 0.01205
                entry("deepseek/deepseek-reasoner", "reasoning tokens billed at the output price",
                        "deepseek/deepseek-reasoner",
                        price().inputPerToken("0.00000055").outputPerToken("0.00000219"),
                        usage().promptTokens(2_000).completionTokens(5_000).reasoningTokens(4_000),
                        split().input("0.0011").output("0.01095").total("0.01205")));
    }

    /** claude-sonnet-4-20250514 and its Bedrock profiles: the only Claude entries with above-200k prices. */
    private static ModelPrice.Builder claudeSonnet4() {
        return price().inputPerToken("0.000003").outputPerToken("0.000015")
                .cachedInputPerToken("0.0000003").cacheCreationPerToken("0.00000375")
                .inputPerTokenAbove200k("0.000006").outputPerTokenAbove200k("0.0000225")
                .cachedInputPerTokenAbove200k("0.0000006").cacheCreationPerTokenAbove200k("0.0000075");
    }

    /** gemini/gemini-2.5-pro: tiered input and output, but no tiered cache-read price. */
    private static ModelPrice.Builder gemini25Pro() {
        return price().inputPerToken("0.00000125").outputPerToken("0.00001")
                .cachedInputPerToken("0.0000003125")
                .inputPerTokenAbove200k("0.0000025").outputPerTokenAbove200k("0.000015");
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
        return columns;
    }

    private static String plain(Optional<BigDecimal> price) {
        return price.map(d -> d.stripTrailingZeros().toPlainString()).orElse("-");
    }

    private static CatalogCase entry(String route, String scenario, String expectedKey, ModelPrice.Builder prices,
            Usage.Builder usage, Split expected) {
        return new CatalogCase(route, scenario, expectedKey, prices.build(), usage.build(), expected);
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

    /** One route, one usage, the table key it should resolve to, that key's prices, and the cost by hand. */
    record CatalogCase(String route, String scenario, String expectedKey, ModelPrice prices, Usage usage,
            Split expected) {
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
        private String output = "0";
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

        Split total(String usd) {
            this.total = usd;
            return this;
        }
    }
}
