/**
 * The Anthropic adapter: Claude models through the Messages API, plain and streamed, route prefix
 * {@code anthropic}. Requests and answers keep OpenAI's shape; the adapter lifts system messages,
 * merges turns, maps tool calls, images, prompt-caching markers, stop reasons, cache usage and
 * errors. Without a deployment key, calls read {@code ANTHROPIC_API_KEY}.
 *
 * <pre>{@code
 * Router router = Router.builder()
 *     .deployment(Deployment.builder("claude", "anthropic/claude-sonnet-4-5")
 *         .apiKey(Secret.fromEnv("ANTHROPIC_API_KEY"))
 *         .option(AnthropicProvider.BETA, List.of("context-1m-2025-08-07")).build())
 *     .build();
 * ChatResponse answer = router.completion(ChatRequest.ofUser("claude", "Hello"));
 * }</pre>
 */
package io.llmrouter.providers.anthropic;
