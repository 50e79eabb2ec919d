/**
 * Legacy text completions in OpenAI's shape ({@code POST /v1/completions}):
 * {@link io.llmrouter.api.completion.TextCompletionRequest} and
 * {@link io.llmrouter.api.completion.TextCompletionResponse}, routed like chat requests (selection,
 * retries, cooldowns, fallbacks, cost, budgets, listeners).
 *
 * <pre>{@code
 * TextCompletionResponse response = router.textCompletion(
 *         TextCompletionRequest.builder("instruct").addPrompt("Say hi").maxTokens(16).build());
 * String text = response.text();
 * }</pre>
 */
package io.llmrouter.api.completion;
