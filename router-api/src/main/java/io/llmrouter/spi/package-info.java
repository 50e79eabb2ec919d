/**
 * Extension points: {@link io.llmrouter.spi.Provider} adapters (found by route prefix through
 * {@link io.llmrouter.spi.ProviderFactory} and {@link java.util.ServiceLoader}),
 * {@link io.llmrouter.spi.RoutingStrategy}, {@link io.llmrouter.spi.RouterListener}, and
 * {@link io.llmrouter.spi.StateStore}, where routers keep the state they share (usage, health,
 * spend, budgets), {@link io.llmrouter.spi.ResponseCache}, where the response cache keeps
 * answers, and {@link io.llmrouter.spi.TokenCounter}, the exact token count the router finds
 * through {@link java.util.ServiceLoader}.
 *
 * <pre>{@code
 * Router router = Router.builder()
 *     .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").build())
 *     .strategy((context, candidates) -> candidates.get(0))
 *     .listener(new RouterListener() { })
 *     .build();
 * }</pre>
 */
package io.llmrouter.spi;
