/**
 * Spring Boot auto-configuration of the Spring AI models over the router bean that
 * router-spring-boot-starter configures (or the application defines).
 *
 * <pre>{@code
 * llmrouter:
 *   spring-ai:
 *     chat-model-group: gpt-4o
 *     embedding-model-group: embeddings
 * }</pre>
 *
 * @since 0.1.0
 */
package io.llmrouter.springai.autoconfigure;
