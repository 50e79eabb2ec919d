package io.llmrouter.control;

import io.llmrouter.api.chat.ChatRequest;

/**
 * Runs before each attempt's provider call, once the router has chosen the deployment: it may send
 * the request as it is, send a changed one (what the provider receives and what the rest of the
 * chain sees), refuse it, or answer it itself. Interceptors run in the order they were registered
 * with {@link io.llmrouter.Router.Builder#interceptor(RequestInterceptor)}; the first that refuses or
 * answers ends the chain. Every attempt (retries and fallbacks included) runs the chain again on
 * the caller's request, so a change may depend on the deployment.
 *
 * <p>Runs for chat completions: blocking, asynchronous and streaming (not for embeddings, nor for
 * answers from the response cache). It runs on the thread that starts the attempt (the caller's,
 * the scheduler's after a backoff, or an HTTP client's): keep it fast and non-blocking.
 * Implementations must be thread-safe. An exception it throws (other than
 * {@link io.llmrouter.api.exception.RequestRefusedException}, which refuses) ends the request with
 * an {@link io.llmrouter.api.exception.InterceptorException}; the request is then not sent.
 *
 * <pre>{@code
 * RequestInterceptor noSecrets = (attempt, request) -> request.toString().contains("BEGIN PRIVATE KEY")
 *         ? Interception.refuse("the prompt contains a private key")
 *         : Interception.proceed();
 * Router router = Router.builder().deployment(d).interceptor(noSecrets).build();
 * }</pre>
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface RequestInterceptor {

    /**
     * Decides what happens to {@code request} in this attempt.
     *
     * @param attempt the attempt (chosen deployment, attempt number, options)
     * @param request the request as the previous interceptor left it
     * @return the decision, never null
     */
    Interception beforeCall(AttemptContext attempt, ChatRequest request);

    /**
     * The name used in exceptions and in {@link io.llmrouter.api.chat.RoutingInfo#interceptor()};
     * default: the class's simple name (for a lambda, its defining class's, plus {@code -lambda}).
     */
    default String name() {
        return RuleNames.of(getClass());
    }
}
