package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CooldownPolicyTest {

    @Test
    void defaultsAreTheDocumentedConstants() {
        CooldownPolicy p = CooldownPolicy.defaults();

        assertThat(p.allowedFails()).isEqualTo(CooldownPolicy.DEFAULT_ALLOWED_FAILS).isEqualTo(3);
        assertThat(p.cooldownTime()).isEqualTo(CooldownPolicy.DEFAULT_COOLDOWN_TIME).isEqualTo(Duration.ofSeconds(5));
        assertThat(p.failureRateThreshold()).isEqualTo(CooldownPolicy.DEFAULT_FAILURE_RATE_THRESHOLD).isEqualTo(50);
        assertThat(p.minimumCalls()).isEqualTo(CooldownPolicy.DEFAULT_MINIMUM_CALLS).isEqualTo(10);
        assertThat(p.allowedFailsByKind()).isEmpty();
        assertThat(p.allowedFails(FailureKind.TIMEOUT)).isEmpty();
    }

    @Test
    void buildersRejectBadValuesNamingTheField() {
        assertThatThrownBy(() -> CooldownPolicy.builder().allowedFails(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("allowedFails must not be negative, was -1");
        assertThatThrownBy(() -> CooldownPolicy.builder().allowedFails(FailureKind.SERVER_ERROR, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allowedFails for SERVER_ERROR");
        assertThatThrownBy(() -> CooldownPolicy.builder().allowedFails(FailureKind.BAD_REQUEST, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("about the request");
        assertThatThrownBy(() -> CooldownPolicy.builder().cooldownTime(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("cooldownTime must be positive, was PT0S");
        assertThatThrownBy(() -> CooldownPolicy.builder().failureRateThreshold(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("failureRateThreshold");
        assertThatThrownBy(() -> CooldownPolicy.builder().failureRateThreshold(101))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 101");
        assertThatThrownBy(() -> CooldownPolicy.builder().minimumCalls(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minimumCalls");
    }

    @Test
    void toBuilderRoundTripsEveryProperty() {
        CooldownPolicy p = CooldownPolicy.builder().allowedFails(7).allowedFails(FailureKind.TIMEOUT, 10)
                .cooldownTime(Duration.ofSeconds(30)).failureRateThreshold(80).minimumCalls(20).build();

        assertThat(p.toBuilder().build()).isEqualTo(p).hasSameHashCodeAs(p).hasToString(p.toString());
        assertThat(p.allowedFails(FailureKind.TIMEOUT)).hasValue(10);
        assertThat(p.toString()).contains("allowedFails=7", "TIMEOUT=10", "PT30S", "80%", "minimumCalls=20");
        assertThat(p.toBuilder().minimumCalls(21).build()).isNotEqualTo(p);
    }
}
