package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FallbackPolicyTest {

    @Test
    void defaultsHaveNoFallbacksADepthLimitOfFiveAndFallBackFromUnknownGroups() {
        FallbackPolicy p = FallbackPolicy.defaults();

        assertThat(p.fallbacks()).isEmpty();
        assertThat(p.defaultFallbacks()).isEmpty();
        assertThat(p.contextWindowFallbacks()).isEmpty();
        assertThat(p.contentPolicyFallbacks()).isEmpty();
        assertThat(p.maxDepth()).isEqualTo(FallbackPolicy.DEFAULT_MAX_DEPTH).isEqualTo(5);
        assertThat(p.isFallbackFromUnknownGroups()).isEqualTo(FallbackPolicy.DEFAULT_FALLBACK_FROM_UNKNOWN_GROUPS).isTrue();
        assertThat(p.toString()).contains("maxDepth=5").contains("fallbackFromUnknownGroups=true");
    }

    @Test
    void buildersRejectBadValuesNamingTheField() {
        assertThatThrownBy(() -> FallbackPolicy.builder().fallbacks("a", "b", "a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("fallbacks of 'a' names the group itself");
        assertThatThrownBy(() -> FallbackPolicy.builder().contextWindowFallbacks("a", "a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("contextWindowFallbacks of 'a'");
        assertThatThrownBy(() -> FallbackPolicy.builder().contentPolicyFallbacks("a", "a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("contentPolicyFallbacks of 'a'");
        assertThatThrownBy(() -> FallbackPolicy.builder().maxDepth(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxDepth must not be negative, was -1");
        assertThatThrownBy(() -> FallbackPolicy.builder().fallbacks("a", (String) null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void toBuilderRoundTripsEveryProperty() {
        FallbackPolicy p = FallbackPolicy.builder().fallbacks("a", "b", "c").defaultFallbacks("d")
                .contextWindowFallbacks("a", "big").contentPolicyFallbacks("a", "lenient").maxDepth(2)
                .fallbackFromUnknownGroups(false).build();

        assertThat(p.isFallbackFromUnknownGroups()).isFalse();
        assertThat(p.toBuilder().build()).isEqualTo(p).hasSameHashCodeAs(p).hasToString(p.toString());
        assertThat(p.modelGroups()).containsExactly("a", "b", "c", "big", "lenient", "d");
        assertThat(p.fallbacks()).isEqualTo(Map.of("a", List.of("b", "c")));
    }

    @Test
    void givenARequestPolicyWithAGroupsList_whenOverriding_thenOnlyThatGroupsListIsReplaced() {
        FallbackPolicy router = FallbackPolicy.builder().fallbacks("a", "b").fallbacks("x", "y").defaultFallbacks("d")
                .contextWindowFallbacks("a", "big").build();

        FallbackPolicy effective = router.overriddenBy(FallbackPolicy.builder().fallbacks("a", "c").build());

        assertThat(effective.fallbacks()).isEqualTo(Map.of("a", List.of("c"), "x", List.of("y")));
        assertThat(effective.defaultFallbacks()).containsExactly("d");
        assertThat(effective.contextWindowFallbacks()).isEqualTo(Map.of("a", List.of("big")));
    }

    @Test
    void givenARequestPolicySettingDefaultFallbacks_whenOverriding_thenItReplacesTheGeneralListsAsAWhole() {
        FallbackPolicy router = FallbackPolicy.builder().fallbacks("a", "b").defaultFallbacks("d")
                .contentPolicyFallbacks("a", "lenient").maxDepth(3).build();

        FallbackPolicy effective = router.overriddenBy(FallbackPolicy.builder().defaultFallbacks("e").build());

        assertThat(effective.fallbacks()).isEmpty();
        assertThat(effective.defaultFallbacks()).containsExactly("e");
        assertThat(effective.contentPolicyFallbacks()).containsKey("a");
        assertThat(effective.maxDepth()).isEqualTo(3);
        assertThat(router.overriddenBy(FallbackPolicy.builder().maxDepth(0).build()).maxDepth()).isZero();
        assertThat(router.overriddenBy(FallbackPolicy.defaults())).isSameAs(router);
    }

    @Test
    void givenARequestPolicyTurningOffUnknownGroupFallback_whenOverriding_thenItWinsAndAnUnsetOneKeepsTheRouters() {
        FallbackPolicy router = FallbackPolicy.builder().defaultFallbacks("d").build();

        FallbackPolicy off = router.overriddenBy(FallbackPolicy.builder().fallbackFromUnknownGroups(false).build());
        FallbackPolicy unset = off.overriddenBy(FallbackPolicy.builder().maxDepth(1).build());

        assertThat(off.isFallbackFromUnknownGroups()).isFalse();
        assertThat(off.defaultFallbacks()).containsExactly("d");
        assertThat(unset.isFallbackFromUnknownGroups()).isFalse();
    }
}
