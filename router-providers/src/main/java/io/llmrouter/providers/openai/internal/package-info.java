/**
 * Internal: not API, may change in any release.
 *
 * <p>OpenAI wire details shared with adapters of OpenAI-shaped APIs (OpenAI and its compatible
 * vendors, Azure OpenAI): request body shaping, the JSON POST and answer reading
 * ({@link io.llmrouter.providers.openai.internal.OpenAiHttp}), and the one place where OpenAI-shaped
 * errors become typed exceptions.
 */
package io.llmrouter.providers.openai.internal;
