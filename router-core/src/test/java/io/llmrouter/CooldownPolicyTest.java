package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CooldownPolicyTest {

    @Test
    void defaultsAreTheDocumentedConstants() {
        CooldownPolicy p = CooldownPolicy.defaults();

        assertThat(p.allowedFails()).as("unset: the default rule applies").isEmpty();
        assertThat(p.usesAllowedFails()).isFalse();
        assertThat(CooldownPolicy.DEFAULT_ALLOWED_FAILS).isEqualTo(3);
        assertThat(p.cooldownTime()).isEqualTo(CooldownPolicy.DEFAULT_COOLDOWN_TIME).isEqualTo(Duration.ofSeconds(5));
        assertThat(p.failureRateThreshold()).isEqualTo(CooldownPolicy.DEFAULT_FAILURE_RATE_THRESHOLD).isEqualTo(50);
        assertThat(p.singleDeploymentFailureThreshold())
                .isEqualTo(CooldownPolicy.DEFAULT_SINGLE_DEPLOYMENT_FAILURE_THRESHOLD).isEqualTo(1_000);
        assertThat(p.allowedFailsByKind()).isEmpty();
        assertThat(p.allowedFails(FailureKind.TIMEOUT)).isEmpty();
    }

    @Test
    void aPerKindCountAloneTurnsTheAllowedFailsRuleOn() {
        CooldownPolicy p = CooldownPolicy.builder().allowedFails(FailureKind.TIMEOUT, 10).build();

        assertThat(p.usesAllowedFails()).isTrue();
        assertThat(p.allowedFails()).isEmpty();
    }

    @Test
    void buildersRejectBadValuesNamingTheField() {
        assertThatThrownBy(() -> CooldownPolicy.builder().allowedFails(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("allowedFails must not be negative, was -1");
        assertThatThrownBy(() -> CooldownPolicy.builder().allowedFails(FailureKind.SERVER_ERROR, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allowedFails for SERVER_ERROR");
        assertThatThrownBy(() -> CooldownPolicy.builder().allowedFails(FailureKind.BAD_REQUEST, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("about the request");
        assertThatThrownBy(() -> CooldownPolicy.builder().cooldownTime(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("cooldownTime must not be negative, was PT-1S");
        assertThatThrownBy(() -> CooldownPolicy.builder().failureRateThreshold(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("failureRateThreshold");
        assertThatThrownBy(() -> CooldownPolicy.builder().failureRateThreshold(101))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 101");
        assertThatThrownBy(() -> CooldownPolicy.builder().singleDeploymentFailureThreshold(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("singleDeploymentFailureThreshold must be at least 1, was 0");
    }

    @Test
    void toBuilderRoundTripsEveryProperty() {
        CooldownPolicy p = CooldownPolicy.builder().allowedFails(7).allowedFails(FailureKind.TIMEOUT, 10)
                .cooldownTime(Duration.ofSeconds(30)).failureRateThreshold(80).singleDeploymentFailureThreshold(20)
                .build();

        assertThat(p.toBuilder().build()).isEqualTo(p).hasSameHashCodeAs(p).hasToString(p.toString());
        assertThat(p.allowedFails(FailureKind.TIMEOUT)).hasValue(10);
        assertThat(p.toString()).contains("allowedFails=7", "TIMEOUT=10", "PT30S", "80%",
                "singleDeploymentFailureThreshold=20");
        assertThat(p.toBuilder().singleDeploymentFailureThreshold(21).build()).isNotEqualTo(p);
        assertThat(p.allowedFails()).hasValue(7);
        assertThat(p.usesAllowedFails()).isTrue();
    }
}
