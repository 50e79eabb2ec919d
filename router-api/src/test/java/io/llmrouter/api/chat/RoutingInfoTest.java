package io.llmrouter.api.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingInfoTest {

    @Test
    void givenADegradedAnswer_whenDescribed_thenItIsMarkedAndDiffersFromARealOne() {
        RoutingInfo degraded = RoutingInfo.degraded("gpt-4o", "gpt-4o", List.of());
        RoutingInfo real = RoutingInfo.of("gpt-4o", "gpt-4o", RoutingInfo.DEGRADED, RoutingInfo.DEGRADED, List.of());

        assertThat(degraded.isDegraded()).isTrue();
        assertThat(real.isDegraded()).isFalse();
        assertThat(degraded.deploymentId()).isEqualTo("degraded");
        assertThat(degraded.providerRoute()).isEqualTo("degraded");
        assertThat(degraded).isNotEqualTo(real).isEqualTo(RoutingInfo.degraded("gpt-4o", "gpt-4o", List.of()));
        assertThat(degraded.toString()).contains("degraded");
        assertThat(real.toString()).doesNotContain(", degraded,");
    }
}
