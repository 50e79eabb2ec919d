/**
 * Internal: not API, may change in any release.
 *
 * <p>HTTP plumbing shared by the provider adapters: the OkHttp callback to
 * {@link java.util.concurrent.CompletableFuture} bridge, the default client, retry-after parsing
 * and redaction of secrets.
 */
package io.llmrouter.providers.internal;

