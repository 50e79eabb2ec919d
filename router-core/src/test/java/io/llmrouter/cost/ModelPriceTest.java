package io.llmrouter.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelPriceTest {

    @Test
    void vendorBillPricesSurviveToBuilderAndTakePartInEquality() {
        ModelPrice price = ModelPrice.builder().inputPerMillion("1").outputPerMillion("2")
                .inputPerTokenAbove128k("0.000002").outputPerTokenAbove128k("0.000004").inputPerTokenFlex("0.0000005")
                .outputPerTokenFlex("0.000001").cachedInputPerTokenFlex("0.00000005")
                .inputPerTokenPriority("0.0000018").outputPerTokenPriority("0.0000036")
                .cachedInputPerTokenPriority("0.00000018").audioInputPerMillion("40").audioOutputPerMillion("80")
                .citationPerMillion("2").searchPerQueryLow("0.005").searchPerQueryMedium("0.008")
                .searchPerQueryHigh("0.012").build();

        assertThat(price.toBuilder().build()).isEqualTo(price).hasSameHashCodeAs(price);
        assertThat(price.toBuilder().searchPerQueryHigh("0.014").build()).isNotEqualTo(price);
        assertThat(price.audioOutputPerToken()).get().satisfies(p -> assertThat(p).isEqualByComparingTo("0.00008"));
        assertThat(price.citationPerToken()).get().satisfies(p -> assertThat(p).isEqualByComparingTo("0.000002"));
        assertThat(price.toString()).contains("inputPerTokenAbove128k=0.000002", "searchPerQueryHigh=0.012");
    }

    @Test
    void perMillionDividesExactly() {
        ModelPrice price = ModelPrice.builder().inputPerMillion("2.50").outputPerMillion("10")
                .cachedInputPerMillion("1.25").cacheCreationPerMillion("3.75").reasoningPerMillion("0.001").build();

        assertThat(price.inputPerToken()).get().satisfies(p -> assertThat(p).isEqualByComparingTo("0.0000025"));
        assertThat(price.outputPerToken()).get().satisfies(p -> assertThat(p).isEqualByComparingTo("0.00001"));
        assertThat(price.cachedInputPerToken()).get()
                .satisfies(p -> assertThat(p).isEqualByComparingTo("0.00000125"));
        assertThat(price.cacheCreationPerToken()).get()
                .satisfies(p -> assertThat(p).isEqualByComparingTo("0.00000375"));
        assertThat(price.reasoningPerToken()).get().satisfies(p -> assertThat(p).isEqualByComparingTo("1E-9"));
    }

    @Test
    void rejectsNegativePriceNamingTheField() {
        assertThatThrownBy(() -> ModelPrice.builder().outputPerToken("-0.1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outputPerToken")
                .hasMessageContaining("-0.1");
        assertThatThrownBy(() -> ModelPrice.builder().inputPerMillion("-1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inputPerMillion");
        assertThatThrownBy(() -> ModelPrice.builder().cacheCreationPerTokenAbove200k(new BigDecimal("-1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cacheCreationPerTokenAbove200k");
    }

    @Test
    void rejectsUnparseablePriceNamingTheField() {
        assertThatThrownBy(() -> ModelPrice.builder().cachedInputPerToken("cheap"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cachedInputPerToken is not a decimal number: 'cheap'");
    }

    @Test
    void rejectsNegativeContextWindow() {
        assertThatThrownBy(() -> ModelPrice.builder().maxInputTokens(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxInputTokens");
    }

    @Test
    void rejectsNullPrice() {
        assertThatThrownBy(() -> ModelPrice.builder().inputPerToken((String) null))
                .isInstanceOf(NullPointerException.class).hasMessage("inputPerToken");
    }

    @Test
    void unsetValuesAreAbsentNotZero() {
        ModelPrice price = ModelPrice.builder().build();

        assertThat(price.inputPerToken()).isEmpty();
        assertThat(price.perRequest()).isEmpty();
        assertThat(price.maxInputTokens()).isEmpty();
        assertThat(price.provider()).isEmpty();
        assertThat(price.capabilities()).isEmpty();
    }

    @Test
    void equalsComparesPriceValuesNotScale() {
        ModelPrice a = ModelPrice.builder().inputPerToken("0.50").addCapability(ModelCapability.VISION).build();
        ModelPrice b = ModelPrice.builder().inputPerToken(new BigDecimal("0.5"))
                .capabilities(List.of(ModelCapability.VISION)).build();

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.toString()).isEqualTo("ModelPrice[inputPerToken=0.5, capabilities=[VISION]]");
    }

    @Test
    void toBuilderKeepsEveryValueAndOverridesOne() {
        ModelPrice original = ModelPrice.builder().provider("openai").mode("chat").maxInputTokens(128_000)
                .maxOutputTokens(16_384).inputPerToken("0.0000025").outputPerToken("0.00001")
                .cachedInputPerToken("0.00000125").cacheCreationPerToken("0.000003").reasoningPerToken("0.00002")
                .inputPerTokenAbove200k("0.000005").outputPerTokenAbove200k("0.00002")
                .cachedInputPerTokenAbove200k("0.0000025").cacheCreationPerTokenAbove200k("0.000006")
                .perRequest("0.005").addCapability(ModelCapability.FUNCTION_CALLING).build();

        ModelPrice copy = original.toBuilder().build();
        ModelPrice cheaper = original.toBuilder().inputPerMillion("1").build();

        assertThat(copy).isEqualTo(original);
        assertThat(cheaper).isNotEqualTo(original);
        assertThat(cheaper.inputPerToken()).get().satisfies(p -> assertThat(p).isEqualByComparingTo("0.000001"));
        assertThat(cheaper.outputPerToken()).isEqualTo(original.outputPerToken());
    }

    @Test
    void capabilitiesAreUnmodifiable() {
        ModelPrice price = ModelPrice.builder().addCapability(ModelCapability.REASONING).build();

        assertThat(price.hasCapability(ModelCapability.REASONING)).isTrue();
        assertThat(price.hasCapability(ModelCapability.VISION)).isFalse();
        assertThatThrownBy(() -> price.capabilities().add(ModelCapability.VISION))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
