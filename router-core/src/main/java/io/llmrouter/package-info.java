/**
 * The router: {@link io.llmrouter.Router} and its builder, {@link io.llmrouter.Deployment}
 * definitions, and the policies that configure its reliability: {@link io.llmrouter.RetryPolicy},
 * {@link io.llmrouter.CooldownPolicy}, {@link io.llmrouter.FallbackPolicy} and
 * {@link io.llmrouter.Timeouts} (a request overrides them with {@link io.llmrouter.RequestOptions}).
 *
 * <pre>{@code
 * Router router = Router.builder()
 *     .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").apiKey(Secret.fromEnv("OPENAI_API_KEY")).build())
 *     .retryPolicy(RetryPolicy.builder().numRetries(3).build())
 *     .build();
 * ChatResponse response = router.completion(ChatRequest.ofUser("gpt-4o", "Hello!"));
 * }</pre>
 */
package io.llmrouter;
