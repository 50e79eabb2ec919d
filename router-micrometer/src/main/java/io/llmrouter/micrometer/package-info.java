/**
 * Micrometer metrics for the router: {@link io.llmrouter.micrometer.RouterMetrics} is a
 * {@link io.llmrouter.spi.RouterListener} that records calls, attempts, retries, fallbacks, tokens,
 * streams, spend and budget refusals, and, once bound to the router, gauges of its deployments'
 * cooldowns and limits and of its budgets. Meter names follow the OpenTelemetry GenAI semantic
 * conventions where one exists ({@code gen_ai.client.operation.duration},
 * {@code gen_ai.client.token.usage}) and start with {@code llmrouter.} otherwise.
 *
 * <pre>{@code
 * RouterMetrics metrics = RouterMetrics.create(registry);
 * Router router = Router.builder().listener(metrics).deployment(...).build();
 * metrics.bind(router);
 * }</pre>
 */
package io.llmrouter.micrometer;
