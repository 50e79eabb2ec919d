/**
 * Test support shipped for users' own unit tests: {@link io.llmrouter.testing.FakeProvider}, a
 * scriptable provider that needs no network; {@link io.llmrouter.testing.VirtualTime}, a clock and
 * scheduler that move only when the test says, so retries, backoffs, cooldowns and deadlines are
 * tested without sleeping; and {@link io.llmrouter.testing.FaultServer}, a loopback OpenAI or
 * Anthropic upstream with scripted faults, to exercise the real HTTP adapters.
 *
 * <pre>{@code
 * VirtualTime time = VirtualTime.create();
 * FakeProvider flaky = FakeProvider.builder().fail(429, Duration.ofSeconds(2)).reply("ok").build();
 * Router router = Router.builder().clock(time.clock()).scheduler(time.scheduler())
 *     .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").provider(flaky).build()).build();
 * CompletableFuture<ChatResponse> answer = router.completionAsync(ChatRequest.ofUser("gpt-4o", "hi"));
 * time.advance(Duration.ofSeconds(2));   // the retry runs now; answer is complete
 * }</pre>
 */
package io.llmrouter.testing;
