/**
 * Internal: not API, may change in any release.
 *
 * <p>Cohere v2 wire details: the chat and embed bodies, reading Cohere's answers, and the one
 * place where Cohere failures become typed exceptions.
 */
package io.llmrouter.providers.cohere.internal;
