/**
 * The router's one unchecked exception hierarchy, rooted at
 * {@link io.llmrouter.api.exception.LlmRouterException}. The subtype says what to do next.
 *
 * <pre>{@code
 * try {
 *     router.completion(request);
 * } catch (LlmRouterException e) {
 *     e.retryAfter().ifPresent(d -> log.info("{} asked to retry in {}", e.provider().orElse("?"), d));
 * }
 * }</pre>
 */
package io.llmrouter.api.exception;
