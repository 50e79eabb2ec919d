package io.llmrouter.langchain4j;

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
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.NoDeploymentAvailableException;
import io.llmrouter.api.exception.NotFoundException;
import io.llmrouter.api.exception.PermissionDeniedException;
import io.llmrouter.api.exception.ProviderConnectionException;
import io.llmrouter.api.exception.ProviderServerException;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.api.exception.RouterClosedException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one table from llmrouter's typed exceptions to LangChain4j's: the LangChain4j type says
 * whether retrying may help ({@link RetriableException} or {@link NonRetriableException}), and
 * the llmrouter exception stays the cause, with its attempts, deployment and status.
 */
final class ExceptionMapping {

    private ExceptionMapping() {
    }

    /**
     * The LangChain4j exception for a failure of a router call.
     *
     * @param error the failure, possibly wrapped in a {@link CompletionException}
     * @return a LangChain4j exception with the router's exception as its cause, or {@code error}
     *     itself when it is already a LangChain4j exception or an {@link Error}
     */
    static RuntimeException toLangChain4j(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof LangChain4jException lc4j) {
            return lc4j;
        }
        if (cause instanceof LlmRouterException routerError) {
            return map(routerError);
        }
        if (cause instanceof CancellationException cancelled) {
            return cancelled;
        }
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        return new LangChain4jException(String.valueOf(cause.getMessage()), cause);
    }

    private static LangChain4jException map(LlmRouterException e) {
        String message = e.getMessage();
        // Most specific first: ContentPolicyViolation and ContextWindowExceeded are BadRequests.
        if (e instanceof ContentPolicyViolationException) {
            return new ContentFilteredException(message, e);
        }
        if (e instanceof BadRequestException) {
            return new InvalidRequestException(message, e);
        }
        if (e instanceof io.llmrouter.api.exception.AuthenticationException
                || e instanceof PermissionDeniedException) {
            return new AuthenticationException(message, e);
        }
        if (e instanceof NotFoundException) {
            return new ModelNotFoundException(message, e);
        }
        if (e instanceof io.llmrouter.api.exception.RateLimitException) {
            // A quota that waiting does not cure (402, insufficient_quota) is not retriable.
            return e.isRetryable() ? new RateLimitException(message, e) : new NonRetriableException(message, e);
        }
        if (e instanceof RequestTimeoutException) {
            return new TimeoutException(message, e);
        }
        if (e instanceof ProviderServerException) { // and ServiceUnavailableException
            return new InternalServerException(message, e);
        }
        if (e instanceof ProviderConnectionException || e instanceof NoDeploymentAvailableException) {
            return new RetriableException(message, e);
        }
        if (e instanceof BudgetExceededException || e instanceof RouterClosedException) {
            return new NonRetriableException(message, e);
        }
        // InvalidProviderResponse, StreamInterrupted, RequestCancelled and any later subtype.
        return e.isRetryable() ? new RetriableException(message, e) : new LangChain4jException(message, e);
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
