/**
 * A {@link io.llmrouter.spi.StateStore} on Redis (Lettuce), so that several router instances act
 * as one: shared cooldowns, rpm/tpm limits, spend and strict budgets. See {@code src-docs/fleet.md}.
 *
 * <pre>{@code
 * RedisStateStore store = RedisStateStore.builder().host("redis").keyPrefix("checkout").build();
 * Router router = Router.builder().stateStore(store).deployment(...).build();
 * }</pre>
 */
package io.llmrouter.redis;
