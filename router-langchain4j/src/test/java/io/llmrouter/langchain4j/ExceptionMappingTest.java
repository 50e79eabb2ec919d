package io.llmrouter.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.exception.TimeoutException;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.BudgetExceededException;
import io.llmrouter.api.exception.ContentPolicyViolationException;
import io.llmrouter.api.exception.ContextWindowExceededException;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.NoDeploymentAvailableException;
import io.llmrouter.api.exception.NotFoundException;
import io.llmrouter.api.exception.PermissionDeniedException;
import io.llmrouter.api.exception.ProviderConnectionException;
import io.llmrouter.api.exception.ProviderServerException;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.api.exception.RouterClosedException;
import io.llmrouter.api.exception.ServiceUnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The table from llmrouter's typed exceptions to LangChain4j's, with the router's exception kept as cause. */
class ExceptionMappingTest {

    private static final ErrorContext CONTEXT = ErrorContext.builder().provider("openai").deploymentId("d1").build();

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of(new BadRequestException("bad", CONTEXT), InvalidRequestException.class),
                Arguments.of(new ContextWindowExceededException("too long", CONTEXT), InvalidRequestException.class),
                Arguments.of(new ContentPolicyViolationException("filtered", CONTEXT), ContentFilteredException.class),
                Arguments.of(new io.llmrouter.api.exception.AuthenticationException("key", CONTEXT),
                        AuthenticationException.class),
                Arguments.of(new PermissionDeniedException("denied", CONTEXT), AuthenticationException.class),
                Arguments.of(new NotFoundException("no model", CONTEXT), ModelNotFoundException.class),
                Arguments.of(new io.llmrouter.api.exception.RateLimitException("slow down", CONTEXT,
                        Duration.ofSeconds(3)), RateLimitException.class),
                Arguments.of(LlmRouterException.ofStatus(402, "quota", CONTEXT, null), NonRetriableException.class),
                Arguments.of(new RequestTimeoutException("late", CONTEXT), TimeoutException.class),
                Arguments.of(new ProviderServerException("500", CONTEXT), InternalServerException.class),
                Arguments.of(new ServiceUnavailableException("503", CONTEXT), InternalServerException.class),
                Arguments.of(new ProviderConnectionException("reset", CONTEXT), RetriableException.class),
                Arguments.of(new NoDeploymentAvailableException("all cooling", CONTEXT, "gpt-4o", List.of("d1"),
                        null, null), RetriableException.class),
                Arguments.of(new BudgetExceededException("over budget", CONTEXT), NonRetriableException.class),
                Arguments.of(new RouterClosedException("closed", CONTEXT), NonRetriableException.class),
                Arguments.of(new InvalidProviderResponseException("html page", CONTEXT), RetriableException.class));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("table")
    void mapsEachRouterExceptionToLangChain4jsTypeKeepingTheCause(LlmRouterException error,
            Class<? extends LangChain4jException> expected) {
        RuntimeException mapped = ExceptionMapping.toLangChain4j(new CompletionException(error));

        assertThat(mapped).isExactlyInstanceOf(expected).hasMessage(error.getMessage()).hasCause(error);
    }
}
