/**
 * The router's one unchecked exception hierarchy, rooted at
 * {@link io.llmrouter.api.exception.LlmRouterException}. The subtype says what to do next.
 *
 * <pre>{@code
 * try {
 *     router.completion(request);
 * } catch (RateLimitException e) {
 *     e.retryAfter().ifPresent(d -> log.info("retry in {}", d));
 * }
 * }</pre>
 */
package io.llmrouter.api.exception;
