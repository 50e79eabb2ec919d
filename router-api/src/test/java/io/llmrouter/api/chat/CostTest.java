package io.llmrouter.api.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class CostTest {

    private static Cost everyComponent() {
        return Cost.builder().inputUsd(new BigDecimal("1")).cachedInputUsd(new BigDecimal("2"))
                .cacheCreationUsd(new BigDecimal("3")).audioInputUsd(new BigDecimal("4"))
                .outputUsd(new BigDecimal("5")).reasoningUsd(new BigDecimal("6")).audioOutputUsd(new BigDecimal("7"))
                .citationUsd(new BigDecimal("8")).requestUsd(new BigDecimal("9")).pricedBy("m").build();
    }

    @Test
    void totalIsTheSumOfEveryComponent() {
        assertThat(everyComponent().totalUsd()).hasValueSatisfying(t -> assertThat(t).isEqualByComparingTo("45"));
    }

    @Test
    void totalOutputIsTextReasoningAndAudioOutput() {
        assertThat(everyComponent().totalOutputUsd()).isEqualByComparingTo("18");
    }

    @Test
    void equalityComparesEachComponentByValue() {
        Cost scaled = Cost.builder().inputUsd(new BigDecimal("1.0")).cachedInputUsd(new BigDecimal("2"))
                .cacheCreationUsd(new BigDecimal("3")).audioInputUsd(new BigDecimal("4"))
                .outputUsd(new BigDecimal("5")).reasoningUsd(new BigDecimal("6")).audioOutputUsd(new BigDecimal("7"))
                .citationUsd(new BigDecimal("8")).requestUsd(new BigDecimal("9.00")).pricedBy("m").build();
        Cost moved = Cost.builder().inputUsd(new BigDecimal("1")).cachedInputUsd(new BigDecimal("2"))
                .cacheCreationUsd(new BigDecimal("3")).audioInputUsd(new BigDecimal("4"))
                .outputUsd(new BigDecimal("11")).reasoningUsd(new BigDecimal("0")).audioOutputUsd(new BigDecimal("7"))
                .citationUsd(new BigDecimal("8")).requestUsd(new BigDecimal("9")).pricedBy("m").build();

        assertThat(scaled).isEqualTo(everyComponent()).hasSameHashCodeAs(everyComponent());
        assertThat(moved).isNotEqualTo(everyComponent());
    }

    @Test
    void unpricedHasZeroComponents() {
        Cost unpriced = Cost.unpriced("no price");

        assertThat(unpriced.reasoningUsd()).isEqualByComparingTo("0");
        assertThat(unpriced.citationUsd()).isEqualByComparingTo("0");
        assertThat(unpriced.totalOutputUsd()).isEqualByComparingTo("0");
        assertThat(unpriced.totalUsd()).isEmpty();
    }

    @Test
    void rejectsNegativeComponentNamingIt() {
        assertThatThrownBy(() -> Cost.builder().reasoningUsd(new BigDecimal("-1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reasoningUsd");
    }
}
