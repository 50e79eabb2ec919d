/**
 * The native Ollama adapter for the route prefix {@code ollama_chat}: {@code POST /api/chat}
 * (plain, or streamed as NDJSON) and {@code /api/embed} on a local server
 * ({@code http://localhost:11434} by default, no key), with tools, images, JSON mode and
 * {@code keep_alive}; see {@link io.llmrouter.providers.ollama.OllamaProvider}. The
 * OpenAI-compatible {@code ollama/} prefix is served by the OpenAI adapter.
 *
 * <pre>{@code
 * Router router = Router.builder()
 *     .deployment(Deployment.builder("local", "ollama_chat/llama3.2").option(OllamaProvider.KEEP_ALIVE, "30m").build())
 *     .build();
 * ChatResponse answer = router.completion(ChatRequest.ofUser("local", "Hello"));
 * }</pre>
 */
package io.llmrouter.providers.ollama;
