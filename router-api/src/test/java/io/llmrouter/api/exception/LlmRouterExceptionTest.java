package io.llmrouter.api.exception;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.api.chat.Attempt;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LlmRouterExceptionTest {

    private static final ErrorContext CTX = ErrorContext.builder().provider("p").deploymentId("d").build();
    private static final Duration SEVEN = Duration.ofSeconds(7);

    static Stream<Arguments> statusTable() {
        return Stream.of(
                Arguments.of(400, BadRequestException.class, false, false),
                Arguments.of(401, AuthenticationException.class, false, false),
                Arguments.of(402, RateLimitException.class, false, true),
                Arguments.of(403, PermissionDeniedException.class, false, false),
                Arguments.of(404, NotFoundException.class, false, false),
                Arguments.of(408, RequestTimeoutException.class, true, false),
                Arguments.of(409, BadRequestException.class, false, false),
                Arguments.of(413, BadRequestException.class, false, false),
                Arguments.of(422, BadRequestException.class, false, false),
                Arguments.of(429, RateLimitException.class, true, true),
                Arguments.of(500, ProviderServerException.class, true, false),
                Arguments.of(502, ProviderServerException.class, true, false),
                Arguments.of(503, ServiceUnavailableException.class, true, true),
                Arguments.of(504, RequestTimeoutException.class, true, false),
                Arguments.of(529, ServiceUnavailableException.class, true, true));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("statusTable")
    void ofStatusFollowsTheOneStatusTable(int status, Class<?> type, boolean retryable, boolean keepsRetryAfter) {
        LlmRouterException e = LlmRouterException.ofStatus(status, "failed", CTX, SEVEN);

        assertThat(e).isExactlyInstanceOf(type);
        assertThat(e.statusCode()).hasValue(status);
        assertThat(e.isRetryable()).isEqualTo(retryable);
        assertThat(e.retryAfter()).isEqualTo(keepsRetryAfter ? Optional.of(SEVEN) : Optional.empty());
    }

    @Test
    void retryAfterIsReadFromTheBaseTypeAndEmptyWhereItDoesNotApply() {
        List<LlmRouterException> errors = List.of(new RateLimitException("429", CTX, SEVEN),
                new ServiceUnavailableException("503", CTX, SEVEN, null),
                new NoDeploymentAvailableException("cooling", CTX, "g", List.of("d"), null, SEVEN));

        assertThat(errors).allSatisfy(e -> assertThat(e.retryAfter()).contains(SEVEN));
        assertThat(new BadRequestException("400", CTX).retryAfter()).isEmpty();
        assertThat(new LlmRouterException("bug", CTX, null).retryAfter()).isEmpty();
        assertThat(new ServiceUnavailableException("503", CTX).retryAfter()).isEmpty();
    }

    @Test
    void serviceUnavailableRejectsANegativeRetryAfter() {
        assertThatThrownBy(() -> new ServiceUnavailableException("503", CTX, Duration.ofSeconds(-1), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retryAfter");
    }

    @Test
    void attemptTakesTheRetryAfterOfAnyError() {
        Attempt attempt = Attempt.failure("d", "g", "p/m", Instant.EPOCH, Duration.ofMillis(3),
                new ServiceUnavailableException("503", CTX, SEVEN, null));

        assertThat(attempt.retryAfter()).contains(SEVEN);
        assertThat(attempt.toString()).contains("retryAfter=PT7S");
    }

    @Test
    void givenNoProviderStatus_whenATimeoutOrBadRequest_thenStatusCodeIsLiteLlms408Or400AndTheContextStaysEmpty() {
        RequestTimeoutException timeout = new RequestTimeoutException("no answer in time", CTX);
        BadRequestException invalid = new ContextWindowExceededException("too long", CTX);

        assertThat(timeout.statusCode()).hasValue(408);
        assertThat(timeout.context().statusCode()).isEmpty();
        assertThat(invalid.statusCode()).hasValue(400);
        assertThat(LlmRouterException.ofStatus(504, "gateway", CTX, null).statusCode()).hasValue(504);
        assertThat(LlmRouterException.ofStatus(422, "unprocessable", CTX, null).statusCode()).hasValue(422);
        assertThat(new LlmRouterException("untyped", CTX, null).statusCode()).isEmpty();
    }
}
