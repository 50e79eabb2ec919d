/**
 * Test support shipped for users' own unit tests: {@link io.llmrouter.testing.FakeProvider}, a
 * scriptable provider that needs no network.
 *
 * <pre>{@code
 * FakeProvider flaky = FakeProvider.builder().fail(503).reply("recovered").build();
 * Deployment d = Deployment.builder("gpt-4o", "openai/gpt-4o").provider(flaky).build();
 * }</pre>
 */
package io.llmrouter.testing;
