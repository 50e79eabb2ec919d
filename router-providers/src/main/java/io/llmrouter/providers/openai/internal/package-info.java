/**
 * Internal: not API, may change in any release.
 *
 * <p>OpenAI wire details shared with adapters of OpenAI-shaped APIs: request body shaping and the
 * one place where OpenAI errors become typed exceptions.
 */
package io.llmrouter.providers.openai.internal;
