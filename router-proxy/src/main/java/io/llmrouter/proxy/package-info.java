/**
 * The proxy: an OpenAI-compatible HTTP gateway over a {@link io.llmrouter.Router}, with virtual keys,
 * per-key budgets enforced by the router's strict reservation, a spend log, health and Prometheus
 * metrics. Run it with {@link io.llmrouter.proxy.ProxyMain} and a LiteLLM {@code config.yaml}, or
 * embed it:
 *
 * <pre>{@code
 * ProxyServer proxy = ProxyServer.builder()
 *     .router(router).store(ProxyStore.open(StoreSettings.defaults()))
 *     .masterKey(Secret.fromEnv("LLMROUTER_MASTER_KEY"))
 *     .port(4000).build().start();
 * }</pre>
 *
 * @since 0.1.0
 */
package io.llmrouter.proxy;
