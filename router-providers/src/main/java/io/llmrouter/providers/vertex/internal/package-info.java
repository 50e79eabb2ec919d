/**
 * Internal: not API, may change in any release.
 *
 * <p>Vertex AI specifics: the credentials on google-auth-library-oauth2-http (loaded and refreshed
 * off the caller's thread), the text-embedding {@code :predict} format, and the error mapping of
 * Google's and Anthropic's envelopes. The chat formats are the Gemini and Anthropic adapters' own.
 */
package io.llmrouter.providers.vertex.internal;
