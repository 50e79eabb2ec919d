/**
 * The OpenAI Chat Completions adapter, also for OpenAI-compatible servers: route prefix
 * {@code openai}, registered through {@link java.util.ServiceLoader}, so a deployment only names
 * its route. Set {@code apiBase} to call a compatible server; without a key, calls to OpenAI read
 * {@code OPENAI_API_KEY}.
 *
 * <pre>{@code
 * Router router = Router.builder()
 *     .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").apiKey(Secret.fromEnv("OPENAI_API_KEY")).build())
 *     .deployment(Deployment.builder("local", "openai/llama3").apiBase("http://localhost:8000/v1").build())
 *     .build();
 * ChatResponse answer = router.completion(ChatRequest.ofUser("gpt-4o", "Hello"));
 * }</pre>
 */
package io.llmrouter.providers.openai;
