/**
 * The proxy's database: virtual keys ({@link io.llmrouter.proxy.store.KeyStore}) and the spend log
 * ({@link io.llmrouter.proxy.store.SpendLog}) on PostgreSQL or the embedded H2 default, through
 * JDBC with Flyway migrations. See {@code src-docs/proxy.md}, section "Database".
 *
 * <pre>{@code
 * try (ProxyStore store = ProxyStore.open(StoreSettings.defaults())) {
 *     String key = ApiKeys.generate();
 *     store.keys().insert(VirtualKey.builderFor(key).maxBudget(new BigDecimal("10")).build());
 *     store.spendLog().record(SpendEntry.builder("req-1", Instant.now(), "gpt-4o").tokenHash(ApiKeys.hash(key)).build());
 * }
 * }</pre>
 */
package io.llmrouter.proxy.store;
