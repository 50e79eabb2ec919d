package io.llmrouter.internal;

import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.exception.AuthenticationException;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.NoDeploymentAvailableException;
import io.llmrouter.api.exception.NotFoundException;
import io.llmrouter.api.exception.PermissionDeniedException;
import io.llmrouter.api.exception.ProviderConnectionException;
import io.llmrouter.api.exception.ProviderServerException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.api.exception.RequestTimeoutException;
import java.util.Map;
import java.util.function.Function;

/**
 * The model groups' answers of last resort ({@code Router.Builder.degradedAnswer}), and which
 * failures they may replace: those that say the providers could not answer (down, overloaded,
 * rate-limited, too slow, misconfigured, answering garbage), never those that say the request
 * itself is wrong or refused (a bad request, a content-policy refusal, a budget, a cancel, a
 * closed router, a stream already under way).
 *
 * @param byGroup the answer functions by model group name
 */
public record DegradedAnswers(Map<String, Function<ChatRequest, ChatResponse>> byGroup) {

    public static final DegradedAnswers NONE = new DegradedAnswers(Map.of());

    public DegradedAnswers {
        byGroup = Map.copyOf(byGroup);
    }

    /** The group's answer function, or null when it has none. */
    Function<ChatRequest, ChatResponse> of(String group) {
        return byGroup.isEmpty() || group == null ? null : byGroup.get(group);
    }

    /** Whether a degraded answer may replace {@code failure}: the providers could not answer. */
    static boolean replaces(LlmRouterException failure) {
        return failure instanceof ProviderServerException || failure instanceof ProviderConnectionException
                || failure instanceof RateLimitException || failure instanceof RequestTimeoutException
                || failure instanceof NoDeploymentAvailableException
                || failure instanceof InvalidProviderResponseException || failure instanceof AuthenticationException
                || failure instanceof PermissionDeniedException || failure instanceof NotFoundException;
    }
}
