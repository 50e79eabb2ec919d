/**
 * Internal: not API, may change in any release.
 *
 * <p>Gemini wire details: translation of the OpenAI-shaped request into a {@code generateContent}
 * or {@code batchEmbedContents} body, reading of the answers and of {@code streamGenerateContent}
 * events, and the one place where Gemini
 * errors become typed exceptions.
 */
package io.llmrouter.providers.gemini.internal;
