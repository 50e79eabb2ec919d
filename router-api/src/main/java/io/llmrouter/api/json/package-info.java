/**
 * OpenAI chat-completions JSON for the {@link io.llmrouter.api.chat} types:
 * {@link io.llmrouter.api.json.OpenAiJson} writes a request as the exact body OpenAI expects and
 * reads OpenAI's responses (and requests, for servers that accept OpenAI-shaped calls), keeping the
 * fields it does not model so that a read followed by a write gives the same JSON. Malformed input
 * fails with an {@link java.lang.IllegalArgumentException} whose message names the JSON path.
 *
 * <pre>{@code
 * String body = OpenAiJson.requestToJson(ChatRequest.ofUser("gpt-4o", "Hello!"));
 * ChatResponse response = OpenAiJson.readResponse(httpResponseBody);
 * System.out.println(response.text() + " " + response.usage().map(Usage::totalTokens).orElse(0));
 * }</pre>
 */
package io.llmrouter.api.json;
