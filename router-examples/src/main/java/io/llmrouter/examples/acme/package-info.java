/**
 * An example of a user's own adapter: {@link io.llmrouter.examples.acme.AcmeProvider} maps a
 * made-up vendor's non-OpenAI JSON format with public API only, and
 * {@link io.llmrouter.examples.acme.AcmeProviderFactory} registers it for the route prefix
 * {@code acme}, so a deployment names it like a built-in one:
 *
 * <pre>{@code
 * Router router = Router.builder()
 *     .deployment(Deployment.builder("large", "acme/acme-large").apiKey(Secret.fromEnv("ACME_API_KEY")).build())
 *     .build();
 * ChatResponse answer = router.completion(ChatRequest.ofUser("large", "Hello"));
 * }</pre>
 *
 * @since 0.2.0
 */
package io.llmrouter.examples.acme;
