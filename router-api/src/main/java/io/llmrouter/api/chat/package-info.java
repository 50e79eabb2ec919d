/**
 * The OpenAI-shaped chat-completions value types: {@link io.llmrouter.api.chat.ChatRequest} with its
 * {@link io.llmrouter.api.chat.Message messages}, {@link io.llmrouter.api.chat.Tool tools} and
 * options, and {@link io.llmrouter.api.chat.ChatResponse} with its
 * {@link io.llmrouter.api.chat.Choice choices}, {@link io.llmrouter.api.chat.Usage usage},
 * {@link io.llmrouter.api.chat.Cost cost} and {@link io.llmrouter.api.chat.RoutingInfo routing}. All
 * are immutable, thread-safe and built with builders that validate eagerly; absent values are
 * {@code Optional}s or empty collections, never null. {@link io.llmrouter.api.json.OpenAiJson}
 * reads and writes them as OpenAI's exact JSON.
 *
 * <pre>{@code
 * ChatRequest request = ChatRequest.builder("gpt-4o")
 *     .addMessage(Message.developer("Be brief."))
 *     .addMessage(Message.user("What is the capital of France?"))
 *     .temperature(0.2)
 *     .build();
 * }</pre>
 */
package io.llmrouter.api.chat;
