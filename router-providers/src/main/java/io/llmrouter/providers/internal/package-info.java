/**
 * Internal: not API, may change in any release.
 *
 * <p>The core every provider adapter builds on: {@link io.llmrouter.providers.internal.JsonHttp}
 * (JSON over HTTP: client, request, headers, answer reading, stream opening),
 * {@link io.llmrouter.providers.internal.ErrorMapping} (the one error-mapping type each vendor
 * fills with its envelope parser and status table), {@link io.llmrouter.providers.internal.ApiKeys}
 * (the one rule for the environment's key), the OkHttp callback to
 * {@link java.util.concurrent.CompletableFuture} bridge, the default client, retry-after parsing
 * and redaction of secrets.
 */
package io.llmrouter.providers.internal;
