package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimeoutsTest {

    @Test
    void defaultsSetNothingAndTheConstantsAreTheDocumentedValues() {
        Timeouts t = Timeouts.defaults();

        assertThat(t.callTimeout()).isEmpty();
        assertThat(t.firstTokenTimeout()).isEmpty();
        assertThat(t.streamIdleTimeout()).isEmpty();
        assertThat(t.deadline()).isEmpty();
        assertThat(Timeouts.DEFAULT_CALL_TIMEOUT).isEqualTo(Duration.ofSeconds(600));
        assertThat(Timeouts.DEFAULT_FIRST_TOKEN_TIMEOUT).isEqualTo(Duration.ofSeconds(60));
        assertThat(Timeouts.DEFAULT_STREAM_IDLE_TIMEOUT).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void buildersRejectBadValuesNamingTheField() {
        assertThatThrownBy(() -> Timeouts.builder().callTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("callTimeout must be positive, was PT0S");
        assertThatThrownBy(() -> Timeouts.builder().firstTokenTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("firstTokenTimeout");
        assertThatThrownBy(() -> Timeouts.builder().streamIdleTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("streamIdleTimeout");
        assertThatThrownBy(() -> Timeouts.builder().deadline(null))
                .isInstanceOf(NullPointerException.class).hasMessage("deadline");
    }

    @Test
    void toBuilderRoundTripsEveryValue() {
        Timeouts t = Timeouts.builder().callTimeout(Duration.ofSeconds(1)).firstTokenTimeout(Duration.ofSeconds(2))
                .streamIdleTimeout(Duration.ofSeconds(3)).deadline(Duration.ofSeconds(4)).build();

        assertThat(t.toBuilder().build()).isEqualTo(t).hasSameHashCodeAs(t).hasToString(t.toString());
        assertThat(t.toString()).contains("PT1S", "PT2S", "PT3S", "PT4S");
    }

    @Test
    void givenAnOverride_thenEachValueItSetsWins() {
        Timeouts router = Timeouts.builder().callTimeout(Duration.ofSeconds(30)).deadline(Duration.ofSeconds(60))
                .build();

        Timeouts effective = router.overriddenBy(Timeouts.builder().deadline(Duration.ofSeconds(5)).build());

        assertThat(effective.deadline()).hasValue(Duration.ofSeconds(5));
        assertThat(effective.callTimeout()).hasValue(Duration.ofSeconds(30));
        assertThat(effective.firstTokenTimeout()).isEmpty();
        assertThat(router.overriddenBy(Timeouts.defaults())).isSameAs(router);
    }

    @Test
    void givenARequestCallTimeout_thenRejectedNamingTheField() {
        assertThatThrownBy(() -> RequestOptions.builder().timeouts(t -> t.callTimeout(Duration.ofSeconds(1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeouts.callTimeout");
    }
}
