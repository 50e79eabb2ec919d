/**
 * Built-in routing strategies. The default is
 * {@link io.llmrouter.strategy.WeightedShuffleStrategy}; any
 * {@link io.llmrouter.spi.RoutingStrategy} lambda works too.
 *
 * <pre>{@code
 * Router router = Router.builder()
 *     .deployments(deployments)
 *     .strategy(WeightedShuffleStrategy.instance())
 *     .build();
 * }</pre>
 */
package io.llmrouter.strategy;
