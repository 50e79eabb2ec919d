/**
 * The Cohere v2 adapter (chat, plain and streamed, and embeddings) for the route prefix {@code cohere}:
 * {@code POST https://api.cohere.com/v2/chat} and {@code /v2/embed} with
 * {@code Authorization: Bearer}, the key taken from the deployment, else from
 * {@code COHERE_API_KEY} or {@code CO_API_KEY}. Requests and answers are translated to and from the
 * library's OpenAI-shaped types; see {@link io.llmrouter.providers.cohere.CohereProvider}.
 *
 * <pre>{@code
 * Router router = Router.builder()
 *     .deployment(Deployment.builder("command", "cohere/command-a-03-2025").apiKey(Secret.fromEnv("COHERE_API_KEY")).build())
 *     .build();
 * ChatResponse answer = router.completion(ChatRequest.ofUser("command", "Hello"));
 * }</pre>
 */
package io.llmrouter.providers.cohere;
