package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.ProviderServerException;
import io.llmrouter.api.exception.RateLimitException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static final LlmRouterException RATE_LIMIT = new RateLimitException("429", ErrorContext.none(), (Duration) null);
    private static final LlmRouterException SERVER_ERROR = new ProviderServerException("500", ErrorContext.none(), null);
    private static final LlmRouterException BAD_REQUEST = new BadRequestException("400", ErrorContext.none(), null);

    @Test
    void defaultsAreTheDocumentedConstants() {
        RetryPolicy p = RetryPolicy.defaults();

        assertThat(p.numRetries()).isEqualTo(RetryPolicy.DEFAULT_NUM_RETRIES).isEqualTo(2);
        assertThat(p.initialBackoff()).isEqualTo(RetryPolicy.DEFAULT_INITIAL_BACKOFF).isEqualTo(Duration.ofMillis(500));
        assertThat(p.maxBackoff()).isEqualTo(RetryPolicy.DEFAULT_MAX_BACKOFF).isEqualTo(Duration.ofSeconds(8));
        assertThat(p.maxRetryAfter()).isEqualTo(RetryPolicy.DEFAULT_MAX_RETRY_AFTER).isEqualTo(Duration.ofSeconds(60));
        assertThat(p.retriesByKind()).isEmpty();
        assertThat(p.numRetriesByGroup()).isEmpty();
        assertThat(p).isEqualTo(RetryPolicy.builder().build()).hasSameHashCodeAs(RetryPolicy.builder().build());
    }

    @Test
    void buildersRejectBadValuesNamingTheField() {
        assertThatThrownBy(() -> RetryPolicy.builder().numRetries(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("numRetries must not be negative, was -1");
        assertThatThrownBy(() -> RetryPolicy.builder().numRetries("g", -2))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("numRetries of 'g' must not be negative, was -2");
        assertThatThrownBy(() -> RetryPolicy.builder().retries(FailureKind.TIMEOUT, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retries for TIMEOUT");
        assertThatThrownBy(() -> RetryPolicy.builder().backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBackoff PT1S")
                .hasMessageContaining("initialBackoff PT2S");
        assertThatThrownBy(() -> RetryPolicy.builder().maxRetryAfter(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRetryAfter");
        assertThatThrownBy(() -> RetryPolicy.builder().backoff(null, Duration.ZERO))
                .isInstanceOf(NullPointerException.class).hasMessage("initialBackoff");
    }

    @Test
    void toBuilderRoundTripsEveryProperty() {
        RetryPolicy p = RetryPolicy.builder().numRetries(4).numRetries("g", 1).retries(FailureKind.RATE_LIMIT, 6)
                .backoff(Duration.ofMillis(10), Duration.ofMillis(20)).maxRetryAfter(Duration.ofSeconds(3)).build();

        assertThat(p.toBuilder().build()).isEqualTo(p).hasSameHashCodeAs(p).hasToString(p.toString());
        assertThat(p.toBuilder().numRetries(5).build()).isNotEqualTo(p);
        assertThat(p.toString()).contains("numRetries=4", "RATE_LIMIT=6", "g=1", "PT0.01S", "PT3S");
    }

    @Test
    void givenKindGroupAndDefaultCounts_thenTheMostSpecificDecides() {
        RetryPolicy p = RetryPolicy.builder().numRetries(2).numRetries("small", 1).retries(FailureKind.RATE_LIMIT, 5)
                .build();

        assertThat(p.retries(RATE_LIMIT, "small")).as("kind beats group").isEqualTo(5);
        assertThat(p.retries(SERVER_ERROR, "small")).as("group beats numRetries").isEqualTo(1);
        assertThat(p.retries(SERVER_ERROR, "other")).as("numRetries last").isEqualTo(2);
        assertThat(p.retries(BAD_REQUEST, "other")).as("not retryable: none").isZero();
        assertThat(p.maxRetries("small")).isEqualTo(5);
        assertThat(p.maxRetries()).isEqualTo(5);
    }

    @Test
    void givenACountForANonRetryableKind_thenThatKindIsRetried() {
        RetryPolicy p = RetryPolicy.builder().retries(FailureKind.BAD_REQUEST, 1).build();

        assertThat(p.retries(BAD_REQUEST, "g")).isEqualTo(1);
    }

    @Test
    void givenAQuotaRateLimit_thenNeverRetried() {
        RateLimitException quota = new RateLimitException("insufficient_quota", ErrorContext.none(), null, false, null);

        assertThat(RetryPolicy.builder().retries(FailureKind.RATE_LIMIT, 9).build().retries(quota, "g")).isZero();
    }

    @Test
    void givenARequestPolicySettingNumRetries_whenOverriding_thenItReplacesTheRoutersCountsAsAWhole() {
        RetryPolicy router = RetryPolicy.builder().numRetries(3).numRetries("g", 4).retries(FailureKind.RATE_LIMIT, 5)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(2)).build();

        RetryPolicy effective = router.overriddenBy(RetryPolicy.builder().numRetries(0).build());

        assertThat(effective.retries(RATE_LIMIT, "g")).isZero();
        assertThat(effective.retries(SERVER_ERROR, "g")).isZero();
        assertThat(effective.maxRetries("g")).isZero();
        assertThat(effective.initialBackoff()).as("not set by the request: the router's").isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void givenARequestPolicySettingOnlyAKind_whenOverriding_thenTheRoutersOtherCountsStay() {
        RetryPolicy router = RetryPolicy.builder().numRetries(3).numRetries("g", 4).build();

        RetryPolicy effective = router.overriddenBy(RetryPolicy.builder().retries(FailureKind.RATE_LIMIT, 0)
                .maxRetryAfter(Duration.ofSeconds(1)).build());

        assertThat(effective.retries(RATE_LIMIT, "g")).isZero();
        assertThat(effective.retries(SERVER_ERROR, "g")).isEqualTo(4);
        assertThat(effective.retries(SERVER_ERROR, "other")).isEqualTo(3);
        assertThat(effective.maxRetryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(effective.initialBackoff()).isEqualTo(RetryPolicy.DEFAULT_INITIAL_BACKOFF);
    }

    @Test
    void givenAnEmptyOverride_thenThePolicyItself() {
        RetryPolicy router = RetryPolicy.builder().numRetries(3).build();

        assertThat(router.overriddenBy(RetryPolicy.defaults())).isSameAs(router);
    }

    @Test
    void givenAGroupsOwnKindCounts_thenTheyReplaceTheRouterWideKindCountsForThatGroupOnly() {
        RetryPolicy p = RetryPolicy.builder().numRetries(2).retries(FailureKind.RATE_LIMIT, 5)
                .retries(FailureKind.SERVER_ERROR, 4).retries("small", FailureKind.RATE_LIMIT, 1).build();

        assertThat(p.retries(RATE_LIMIT, "small")).as("the group's own count").isEqualTo(1);
        assertThat(p.retries(SERVER_ERROR, "small")).as("not set for the group: numRetries, not the router's kind")
                .isEqualTo(2);
        assertThat(p.retries(RATE_LIMIT, "other")).isEqualTo(5);
        assertThat(p.retries("small", FailureKind.RATE_LIMIT)).hasValue(1);
        assertThat(p.retries("small", FailureKind.SERVER_ERROR)).isEmpty();
        assertThat(p.maxRetries("small")).isEqualTo(2);
        assertThat(p.maxRetries("other")).isEqualTo(5);
        assertThat(p.retriesByGroupAndKind()).containsOnlyKeys("small");
        assertThat(p.toBuilder().build()).isEqualTo(p).hasSameHashCodeAs(p);
        assertThat(p).isNotEqualTo(p.toBuilder().retries("small", FailureKind.RATE_LIMIT, 2).build());
        assertThat(p.toString()).contains("retriesByGroupAndKind={small={RATE_LIMIT=1}}");
        assertThatThrownBy(() -> RetryPolicy.builder().retries("g", FailureKind.TIMEOUT, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'g'");
    }

    @Test
    void givenARequestPolicySettingNumRetries_whenOverriding_thenTheGroupKindCountsGoToo() {
        RetryPolicy router = RetryPolicy.builder().retries("g", FailureKind.RATE_LIMIT, 5).build();

        assertThat(router.overriddenBy(RetryPolicy.builder().numRetries(0).build()).retries(RATE_LIMIT, "g")).isZero();
        assertThat(router.overriddenBy(RetryPolicy.builder().retries("g", FailureKind.TIMEOUT, 1).build())
                .retriesByGroupAndKind().get("g")).containsOnlyKeys(FailureKind.TIMEOUT);
    }
}
