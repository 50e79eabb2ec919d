/**
 * Small shared value types of the public API, such as {@link io.llmrouter.api.Secret}.
 *
 * <pre>{@code
 * Secret key = Secret.fromEnv("OPENAI_API_KEY");
 * System.out.println(key);            // Secret[env:OPENAI_API_KEY], never the value
 * }</pre>
 */
package io.llmrouter.api;
