/**
 * Internal: not API, may change in any release.
 *
 * <p>Anthropic Messages API wire details: request translation from the OpenAI shape, response
 * normalization, and the one place where Anthropic errors become typed exceptions.
 */
package io.llmrouter.providers.anthropic.internal;
