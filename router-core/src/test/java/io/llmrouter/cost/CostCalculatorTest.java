package io.llmrouter.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.api.chat.Cost;
import io.llmrouter.api.chat.Usage;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class CostCalculatorTest {

    private static final PriceTable TABLE = PriceTable.bundled();

    @Test
    void givenBundledGpt4o_whenCost_thenPromptAndCompletionAtTablePrices() {
        // given
        ModelPrice gpt4o = TABLE.get("gpt-4o").orElseThrow();
        BigDecimal expected = gpt4o.inputPerToken().orElseThrow().multiply(BigDecimal.valueOf(1_000))
                .add(gpt4o.outputPerToken().orElseThrow().multiply(BigDecimal.valueOf(500)));
        // when
        Cost cost = CostCalculator.cost(TABLE, "openai/gpt-4o", Usage.of(1_000, 500));
        // then
        assertThat(cost.isPriced()).isTrue();
        assertThat(cost.pricedBy()).contains("gpt-4o");
        assertThat(cost.totalUsd()).get().satisfies(total -> assertThat(total).isEqualByComparingTo(expected));
        assertThat(cost.cachedInputUsd()).isEqualByComparingTo("0");
        assertThat(cost.requestUsd()).isEqualByComparingTo("0");
    }

    @Test
    void givenCachedTokens_whenCost_thenCachedPartAtCacheReadPrice() {
        // given
        ModelPrice gpt4o = TABLE.get("gpt-4o").orElseThrow();
        Usage usage = Usage.builder().promptTokens(1_000).cachedTokens(400).completionTokens(100).build();
        // when
        Cost cost = CostCalculator.cost(TABLE, "openai/gpt-4o", usage);
        // then
        assertThat(cost.inputUsd()).isEqualByComparingTo(times(gpt4o.inputPerToken().orElseThrow(), 600));
        assertThat(cost.cachedInputUsd()).isEqualByComparingTo(times(gpt4o.cachedInputPerToken().orElseThrow(), 400));
        assertThat(cost.outputUsd()).isEqualByComparingTo(times(gpt4o.outputPerToken().orElseThrow(), 100));
        assertThat(cost.totalUsd()).get().satisfies(total -> assertThat(total)
                .isEqualByComparingTo(cost.inputUsd().add(cost.cachedInputUsd()).add(cost.outputUsd())));
    }

    @Test
    void givenAnthropicCacheWrite_whenCost_thenCacheCreationAtCacheWritePrice() {
        // given
        ModelPrice claude = TABLE.get("claude-3-5-sonnet-20241022").orElseThrow();
        Usage usage = Usage.builder().promptTokens(3_500).cachedTokens(1_000).cacheCreationTokens(2_000)
                .completionTokens(200).build();
        // when
        Cost cost = CostCalculator.cost(TABLE, "anthropic/claude-3-5-sonnet-20241022", usage);
        // then
        assertThat(cost.pricedBy()).contains("claude-3-5-sonnet-20241022");
        assertThat(cost.inputUsd()).isEqualByComparingTo(times(claude.inputPerToken().orElseThrow(), 500));
        assertThat(cost.cachedInputUsd()).isEqualByComparingTo(times(claude.cachedInputPerToken().orElseThrow(), 1_000));
        assertThat(cost.cacheCreationUsd())
                .isEqualByComparingTo(times(claude.cacheCreationPerToken().orElseThrow(), 2_000));
        assertThat(cost.outputUsd()).isEqualByComparingTo(times(claude.outputPerToken().orElseThrow(), 200));
    }

    @Test
    void givenReasoningPrice_whenCost_thenReasoningTokensAtReasoningPriceAndRestAtOutputPrice() {
        // given
        ModelPrice qwen = TABLE.get("dashscope/qwen-turbo").orElseThrow();
        assertThat(qwen.reasoningPerToken().orElseThrow()).isNotEqualByComparingTo(qwen.outputPerToken().orElseThrow());
        Usage usage = Usage.builder().promptTokens(100).completionTokens(1_000).reasoningTokens(600).build();
        // when
        Cost cost = CostCalculator.cost(TABLE, "dashscope/qwen-turbo", usage);
        // then
        assertThat(cost.outputUsd()).isEqualByComparingTo(times(qwen.outputPerToken().orElseThrow(), 400));
        assertThat(cost.reasoningUsd()).isEqualByComparingTo(times(qwen.reasoningPerToken().orElseThrow(), 600));
        assertThat(cost.totalOutputUsd()).isEqualByComparingTo(cost.outputUsd().add(cost.reasoningUsd()));
    }

    @Test
    void givenNoReasoningPrice_whenCost_thenReasoningTokensAtOutputPrice() {
        ModelPrice price = ModelPrice.builder().inputPerMillion("1").outputPerMillion("4").build();
        Usage usage = Usage.builder().promptTokens(10).completionTokens(1_000).reasoningTokens(600).build();

        Cost cost = CostCalculator.cost(price, usage, "mine");

        assertThat(cost.outputUsd()).isEqualByComparingTo("0.0016");
        assertThat(cost.reasoningUsd()).isEqualByComparingTo("0.0024");
        assertThat(cost.totalOutputUsd()).isEqualByComparingTo("0.004");
    }

    @Test
    void givenPromptAbove200k_whenCost_thenEveryKindAtItsTieredPrice() {
        // given
        ModelPrice sonnet = TABLE.get("claude-sonnet-4-5").orElseThrow();
        Usage usage = Usage.builder().promptTokens(250_000).cachedTokens(10_000).cacheCreationTokens(20_000)
                .completionTokens(1_000).build();
        // when
        Cost cost = CostCalculator.cost(TABLE, "anthropic/claude-sonnet-4-5", usage);
        // then
        assertThat(cost.inputUsd()).isEqualByComparingTo(times(sonnet.inputPerTokenAbove200k().orElseThrow(), 220_000));
        assertThat(cost.cachedInputUsd())
                .isEqualByComparingTo(times(sonnet.cachedInputPerTokenAbove200k().orElseThrow(), 10_000));
        assertThat(cost.cacheCreationUsd())
                .isEqualByComparingTo(times(sonnet.cacheCreationPerTokenAbove200k().orElseThrow(), 20_000));
        assertThat(cost.outputUsd()).isEqualByComparingTo(times(sonnet.outputPerTokenAbove200k().orElseThrow(), 1_000));
    }

    @Test
    void givenPromptOfExactly200k_whenCost_thenBasePrices() {
        ModelPrice sonnet = TABLE.get("claude-sonnet-4-5").orElseThrow();

        Cost cost = CostCalculator.cost(TABLE, "anthropic/claude-sonnet-4-5", Usage.of(200_000, 1_000));

        assertThat(cost.inputUsd()).isEqualByComparingTo(times(sonnet.inputPerToken().orElseThrow(), 200_000));
        assertThat(cost.outputUsd()).isEqualByComparingTo(times(sonnet.outputPerToken().orElseThrow(), 1_000));
    }

    @Test
    void givenTieredInputButNoTieredCacheRead_whenAbove200k_thenCacheReadKeepsBasePrice() {
        ModelPrice price = ModelPrice.builder().inputPerToken("1").outputPerToken("1").cachedInputPerToken("0.1")
                .inputPerTokenAbove200k("2").build();
        Usage usage = Usage.builder().promptTokens(300_000).cachedTokens(100_000).build();

        Cost cost = CostCalculator.cost(price, usage, "mine");

        assertThat(cost.inputUsd()).isEqualByComparingTo("400000");
        assertThat(cost.cachedInputUsd()).isEqualByComparingTo("10000");
    }

    @Test
    void givenPerRequestPrice_whenCost_thenAddedOnceAsRequestUsd() {
        ModelPrice pplx = TABLE.get("perplexity/pplx-7b-online").orElseThrow();

        Cost cost = CostCalculator.cost(TABLE, "perplexity/pplx-7b-online", Usage.of(100, 100));

        assertThat(cost.requestUsd()).isEqualByComparingTo(pplx.perRequest().orElseThrow());
        assertThat(cost.totalUsd()).get().satisfies(total -> assertThat(total).isEqualByComparingTo(
                pplx.perRequest().orElseThrow().add(times(pplx.outputPerToken().orElseThrow(), 100))));
    }

    @Test
    void givenNoCachePrices_whenCost_thenCachedAndCacheWriteTokensAtInputPrice() {
        ModelPrice price = ModelPrice.builder().inputPerMillion("3").outputPerMillion("15").build();
        Usage usage = Usage.builder().promptTokens(1_000).cachedTokens(300).cacheCreationTokens(200).build();

        Cost cost = CostCalculator.cost(price, usage, "deployment override");

        assertThat(cost.inputUsd()).isEqualByComparingTo("0.0015");
        assertThat(cost.cachedInputUsd()).isEqualByComparingTo("0.0009");
        assertThat(cost.cacheCreationUsd()).isEqualByComparingTo("0.0006");
        assertThat(cost.pricedBy()).contains("deployment override");
    }

    @Test
    void givenCachedTokensAboveThePrompt_whenCost_thenUncachedInputIsZeroNotNegative() {
        ModelPrice price = ModelPrice.builder().inputPerToken("1").outputPerToken("1").build();
        Usage usage = Usage.builder().promptTokens(10).cachedTokens(8).cacheCreationTokens(8).build();

        Cost cost = CostCalculator.cost(price, usage, "mine");

        assertThat(cost.inputUsd()).isEqualByComparingTo("0");
        assertThat(cost.cachedInputUsd()).isEqualByComparingTo("8");
    }

    @Test
    void costIsExactWithoutRounding() {
        ModelPrice price = ModelPrice.builder().inputPerMillion("0.15").outputPerMillion("0.6").build();

        Cost cost = CostCalculator.cost(price, Usage.of(1, 3), "mine");

        assertThat(cost.totalUsd()).get().satisfies(total -> assertThat(total).isEqualByComparingTo("0.00000195"));
    }

    @Test
    void givenModelMissingFromTable_whenCost_thenUnpricedWithReasonNamingTheRoute() {
        Cost cost = CostCalculator.cost(TABLE, "acme/no-such-model", Usage.of(1_000, 500));

        assertThat(cost.isPriced()).isFalse();
        assertThat(cost.totalUsd()).isEmpty();
        assertThat(cost.unpricedReason()).contains("no price for 'acme/no-such-model' in the price table");
    }

    @Test
    void givenNoTokenPrices_whenCost_thenUnpricedNamingTheEntry() {
        ModelPrice contextOnly = ModelPrice.builder().maxInputTokens(8_192).build();

        Cost cost = CostCalculator.cost(contextOnly, Usage.of(10, 10), "acme/context-only");

        assertThat(cost.isPriced()).isFalse();
        assertThat(cost.unpricedReason()).contains("no token prices for acme/context-only");
    }

    @Test
    void givenNoOutputPrice_whenAnswerHasOutputTokens_thenUnpricedRatherThanFree() {
        ModelPrice inputOnly = ModelPrice.builder().inputPerToken("0.0000001").build();

        assertThat(CostCalculator.cost(inputOnly, Usage.of(10, 5), "embedder").unpricedReason())
                .contains("no output token price for embedder");
        assertThat(CostCalculator.cost(inputOnly, Usage.of(10, 0), "embedder").totalUsd()).get()
                .satisfies(total -> assertThat(total).isEqualByComparingTo("0.000001"));
    }

    @Test
    void givenNoInputPrice_whenAnswerHasInputTokens_thenUnpriced() {
        ModelPrice outputOnly = ModelPrice.builder().outputPerToken("0.000001").build();

        assertThat(CostCalculator.cost(outputOnly, Usage.of(10, 5), "tts").unpricedReason())
                .contains("no input token price for tts");
    }

    @Test
    void givenPromptAbove128kWithOnly128kPrices_whenCost_thenEveryTokenAtThe128kPrices() {
        ModelPrice price = ModelPrice.builder().inputPerMillion("3").outputPerMillion("15")
                .inputPerTokenAbove128k("0.000006").outputPerTokenAbove128k("0.00003").build();

        Cost cost = CostCalculator.cost(price, Usage.of(128_001, 10), "mine");

        // 128,001 × 0.000006 = 0.768006; 10 × 0.00003 = 0.0003
        assertThat(cost.totalUsd()).hasValueSatisfying(t -> assertThat(t).isEqualByComparingTo("0.768306"));
    }

    @Test
    void givenPromptOfExactly128k_whenNotXai_thenBasePricesButXaiAlreadyTiers() {
        ModelPrice other = ModelPrice.builder().provider("openrouter").inputPerMillion("3").outputPerMillion("15")
                .inputPerTokenAbove128k("0.000006").outputPerTokenAbove128k("0.00003").build();
        ModelPrice xai = other.toBuilder().provider("xai").build();

        assertThat(CostCalculator.cost(other, Usage.of(128_000, 0), "o").inputUsd()).isEqualByComparingTo("0.384");
        assertThat(CostCalculator.cost(xai, Usage.of(128_000, 0), "x").inputUsd()).isEqualByComparingTo("0.768");
    }

    @Test
    void givenBoth128kAnd200kPrices_whenPromptAbove200k_thenThe200kTierWins() {
        ModelPrice price = ModelPrice.builder().inputPerToken("1").outputPerToken("1").inputPerTokenAbove128k("2")
                .inputPerTokenAbove200k("3").build();

        assertThat(CostCalculator.cost(price, Usage.of(150_000, 0), "p").inputUsd()).isEqualByComparingTo("300000");
        assertThat(CostCalculator.cost(price, Usage.of(250_000, 0), "p").inputUsd()).isEqualByComparingTo("750000");
    }

    @Test
    void givenServiceTierWithoutItsPrices_whenCost_thenBasePrices() {
        ModelPrice price = ModelPrice.builder().inputPerToken("1").outputPerToken("2").inputPerTokenFlex("0.5")
                .build();
        Usage flex = Usage.builder().promptTokens(10).completionTokens(10).serviceTier("FLEX").build();
        Usage priority = flex.toBuilder().serviceTier("priority").build();
        Usage scale = flex.toBuilder().serviceTier("scale").build();

        // flex has an input price only: output stays at base
        assertThat(CostCalculator.cost(price, flex, "p").totalUsd()).hasValueSatisfying(
                t -> assertThat(t).isEqualByComparingTo("25"));
        assertThat(CostCalculator.cost(price, priority, "p").totalUsd()).hasValueSatisfying(
                t -> assertThat(t).isEqualByComparingTo("30"));
        assertThat(CostCalculator.cost(price, scale, "p").totalUsd()).hasValueSatisfying(
                t -> assertThat(t).isEqualByComparingTo("30"));
    }

    @Test
    void givenLongContextAndServiceTier_whenCost_thenTheLongContextPriceWinsWhereItExists() {
        ModelPrice price = ModelPrice.builder().inputPerToken("1").outputPerToken("1").inputPerTokenAbove200k("3")
                .inputPerTokenPriority("2").outputPerTokenPriority("2").build();
        Usage usage = Usage.builder().promptTokens(200_001).completionTokens(1).serviceTier("priority").build();

        Cost cost = CostCalculator.cost(price, usage, "p");

        assertThat(cost.inputUsd()).isEqualByComparingTo("600003");
        assertThat(cost.outputUsd()).isEqualByComparingTo("2");
    }

    @Test
    void givenAudioTokensWithoutAudioPrices_whenCost_thenAtTheTextPrices() {
        ModelPrice price = ModelPrice.builder().inputPerToken("1").outputPerToken("2").build();
        Usage usage = Usage.builder().promptTokens(10).audioPromptTokens(4).completionTokens(10)
                .audioCompletionTokens(3).build();

        Cost cost = CostCalculator.cost(price, usage, "p");

        assertThat(cost.inputUsd()).isEqualByComparingTo("6");
        assertThat(cost.audioInputUsd()).isEqualByComparingTo("4");
        assertThat(cost.outputUsd()).isEqualByComparingTo("14");
        assertThat(cost.audioOutputUsd()).isEqualByComparingTo("6");
        assertThat(cost.totalUsd()).hasValueSatisfying(t -> assertThat(t).isEqualByComparingTo("30"));
    }

    @Test
    void givenCitationTokensWithoutCitationPrice_whenCost_thenNotBilled() {
        ModelPrice price = ModelPrice.builder().inputPerToken("1").outputPerToken("1").build();
        Usage usage = Usage.builder().promptTokens(1).completionTokens(1).citationTokens(1_000).build();

        assertThat(CostCalculator.cost(price, usage, "p").citationUsd()).isEqualByComparingTo("0");
    }

    @Test
    void givenSearchPricesButNoSearches_whenCost_thenNoSearchFee() {
        ModelPrice claude = TABLE.get("claude-3-5-sonnet-20241022").orElseThrow();
        assertThat(claude.searchPerQueryLow()).isPresent();

        assertThat(CostCalculator.cost(claude, Usage.of(100, 10), "c").requestUsd()).isEqualByComparingTo("0");
    }

    @Test
    void givenUnknownOrUnpricedSearchContextSize_whenCost_thenTheLowPrice() {
        ModelPrice price = ModelPrice.builder().inputPerToken("0").outputPerToken("0").searchPerQueryLow("0.005")
                .searchPerQueryHigh("0.012").build();
        Usage medium = Usage.builder().searchQueries(2).searchContextSize("medium").build();
        Usage odd = Usage.builder().searchQueries(2).searchContextSize("huge").build();
        Usage high = Usage.builder().searchQueries(2).searchContextSize("HIGH").build();

        assertThat(CostCalculator.cost(price, medium, "p").requestUsd()).isEqualByComparingTo("0.01");
        assertThat(CostCalculator.cost(price, odd, "p").requestUsd()).isEqualByComparingTo("0.01");
        assertThat(CostCalculator.cost(price, high, "p").requestUsd()).isEqualByComparingTo("0.024");
    }

    @Test
    void givenReasoningAndAudioOutputAboveTheCompletion_whenCost_thenClampedToTheCompletion() {
        ModelPrice price = ModelPrice.builder().inputPerToken("1").outputPerToken("1").reasoningPerToken("2")
                .audioOutputPerToken("3").build();
        Usage usage = Usage.builder().completionTokens(10).reasoningTokens(8).audioCompletionTokens(5).build();

        Cost cost = CostCalculator.cost(price, usage, "p");

        assertThat(cost.reasoningUsd()).isEqualByComparingTo("16");
        assertThat(cost.audioOutputUsd()).isEqualByComparingTo("6");
        assertThat(cost.outputUsd()).isEqualByComparingTo("0");
    }

    @Test
    void rejectsNullArguments() {
        ModelPrice price = ModelPrice.builder().inputPerToken("1").build();
        assertThatThrownBy(() -> CostCalculator.cost(price, null, "x")).isInstanceOf(NullPointerException.class)
                .hasMessage("usage");
        assertThatThrownBy(() -> CostCalculator.cost(TABLE, null, Usage.ZERO))
                .isInstanceOf(NullPointerException.class).hasMessage("providerRoute");
    }

    private static BigDecimal times(BigDecimal price, int tokens) {
        return price.multiply(BigDecimal.valueOf(tokens));
    }
}
