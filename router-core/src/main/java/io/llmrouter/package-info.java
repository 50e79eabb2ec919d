/**
 * The router: {@link io.llmrouter.Router} and its builder, and
 * {@link io.llmrouter.Deployment} definitions.
 *
 * <pre>{@code
 * Router router = Router.builder()
 *     .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").apiKey(Secret.fromEnv("OPENAI_API_KEY")).build())
 *     .build();
 * ChatResponse response = router.completion(ChatRequest.ofUser("gpt-4o", "Hello!"));
 * }</pre>
 */
package io.llmrouter;
