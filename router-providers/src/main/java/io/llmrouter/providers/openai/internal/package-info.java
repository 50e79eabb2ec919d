/**
 * Internal: not API, may change in any release.
 *
 * <p>OpenAI wire details shared with adapters of OpenAI-shaped APIs (OpenAI and its compatible
 * vendors, Azure OpenAI): request body shaping, the JSON POST and answer reading
 * ({@link io.llmrouter.providers.openai.internal.OpenAiHttp}), stream reading
 * ({@link io.llmrouter.providers.openai.internal.OpenAiStreamReader} behind a
 * {@link io.llmrouter.providers.internal.SinkGate}), and the one place where OpenAI-shaped
 * errors become typed exceptions.
 */
package io.llmrouter.providers.openai.internal;
