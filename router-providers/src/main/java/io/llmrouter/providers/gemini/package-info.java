/**
 * The Google Gemini adapter (Google AI Studio's {@code generateContent},
 * {@code streamGenerateContent} and {@code batchEmbedContents}) for the route prefix {@code gemini}. The key goes in
 * the {@code x-goog-api-key} header; a deployment without one reads {@code GEMINI_API_KEY}, then
 * {@code GOOGLE_API_KEY}. Messages, tools, JSON output and images are translated to Gemini's
 * shape and the answers back to OpenAI's, with generated ids for Gemini's tool calls.
 *
 * <pre>{@code
 * Router router = Router.builder()
 *     .deployment(Deployment.builder("flash", "gemini/gemini-2.5-flash").apiKey(Secret.fromEnv("GEMINI_API_KEY")).build())
 *     .deployment(Deployment.builder("embed", "gemini/gemini-embedding-001").build())
 *     .build();
 * ChatResponse answer = router.completion(ChatRequest.ofUser("flash", "Hello"));
 * }</pre>
 */
package io.llmrouter.providers.gemini;
