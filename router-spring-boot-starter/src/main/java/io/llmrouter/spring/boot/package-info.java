/**
 * Spring Boot auto-configuration of the router: a {@link io.llmrouter.Router} bean from
 * {@code llmrouter.*} properties ({@link io.llmrouter.spring.boot.LlmRouterProperties}) or a
 * LiteLLM {@code config.yaml}, Micrometer and OpenTelemetry listeners, an Actuator health indicator
 * and endpoint, and a graceful close with the context.
 *
 * <pre>{@code
 * llmrouter:
 *   deployments:
 *     - { model-group: gpt-4o, route: openai/gpt-4o, api-key: "${OPENAI_API_KEY}" }
 *   fallbacks: { gpt-4o: [claude] }
 * }</pre>
 *
 * @since 0.1.0
 */
package io.llmrouter.spring.boot;
