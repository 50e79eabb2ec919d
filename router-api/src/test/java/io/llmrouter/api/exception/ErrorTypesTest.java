package io.llmrouter.api.exception;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrorTypesTest {

    @Test
    void givenAnExceptionType_whenNamed_thenItIsItsSimpleNameWithoutExceptionInSnakeCase() {
        assertThat(ErrorTypes.of(new RateLimitException("slow down", ErrorContext.builder().build(), null)))
                .isEqualTo("rate_limit");
        assertThat(ErrorTypes.of("NoDeploymentAvailableException")).isEqualTo("no_deployment_available");
        assertThat(ErrorTypes.of(new IllegalStateException("x"))).isEqualTo("illegal_state");
    }

    @Test
    void givenANameThatIsOnlyTheSuffixOrEmpty_whenNamed_thenItIsKeptOrUnknown() {
        assertThat(ErrorTypes.of("Exception")).isEqualTo("exception");
        assertThat(ErrorTypes.of("")).isEqualTo(ErrorTypes.UNKNOWN);
    }
}
