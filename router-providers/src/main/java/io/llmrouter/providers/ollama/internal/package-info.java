/**
 * Internal: not API, may change in any release.
 *
 * <p>Ollama native wire details: the {@code /api/chat} and {@code /api/embed} bodies, reading
 * Ollama's answers and NDJSON streams, and the one place where Ollama failures become typed exceptions.
 */
package io.llmrouter.providers.ollama.internal;
