package io.llmrouter.api.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UsageTest {

    private static final Usage EVERY_KIND = Usage.builder().promptTokens(300).completionTokens(200).totalTokens(500)
            .cachedTokens(10).cacheCreationTokens(5).audioPromptTokens(100).reasoningTokens(40)
            .audioCompletionTokens(50).citationTokens(70).searchQueries(3).serviceTier("flex")
            .searchContextSize("high").build();

    @Test
    void toBuilderKeepsEveryKindAndChangesOnlyTheCopy() {
        Usage copy = EVERY_KIND.toBuilder().build();
        Usage changed = EVERY_KIND.toBuilder().citationTokens(1).build();

        assertThat(copy).isEqualTo(EVERY_KIND).hasSameHashCodeAs(EVERY_KIND);
        assertThat(changed).isNotEqualTo(EVERY_KIND);
        assertThat(EVERY_KIND.citationTokens()).isEqualTo(70);
    }

    @Test
    void serviceTierAndSearchContextSizeAreEmptyUntilSet() {
        assertThat(Usage.ZERO.serviceTier()).isEmpty();
        assertThat(Usage.ZERO.searchContextSize()).isEmpty();
        assertThat(EVERY_KIND.serviceTier()).contains("flex");
        assertThat(EVERY_KIND.searchContextSize()).contains("high");
    }

    @Test
    void equalityCoversTheServiceTier() {
        assertThat(EVERY_KIND.toBuilder().serviceTier("priority").build()).isNotEqualTo(EVERY_KIND);
    }

    @Test
    void toStringNamesTheNewKindsOnlyWhenPresent() {
        assertThat(Usage.of(1, 2).toString()).doesNotContain("audio", "citation", "serviceTier");
        assertThat(EVERY_KIND.toString()).contains("audioPrompt=100", "citation=70", "searchQueries=3",
                "serviceTier=flex", "searchContextSize=high");
    }

    @Test
    void rejectsNegativeCountsNamingTheField() {
        assertThatThrownBy(() -> Usage.builder().audioPromptTokens(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("audioPromptTokens");
        assertThatThrownBy(() -> Usage.builder().citationTokens(-2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("citationTokens");
        assertThatThrownBy(() -> Usage.builder().serviceTier(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("serviceTier");
    }
}
