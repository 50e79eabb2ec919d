/**
 * Model prices and the cost of an answer: the bundled {@link io.llmrouter.cost.PriceTable}, generated from
 * LiteLLM's public price list (MIT, Copyright (c) 2023 Berri AI) and looked up by provider route with
 * provider, date-suffix and Bedrock-region fallbacks; {@link io.llmrouter.cost.ModelPrice} for one model's
 * per-token prices, context window and capabilities (also usable as a per-deployment override); and
 * {@link io.llmrouter.cost.CostCalculator}, which prices a {@link io.llmrouter.api.chat.Usage} exactly in
 * {@link java.math.BigDecimal} US dollars, covering cached reads, cache writes, reasoning tokens, the
 * above-200k-token tier and per-request prices, and which reports a model it cannot price as explicitly
 * unpriced rather than free.
 *
 * <pre>{@code
 * Usage usage = Usage.of(1_000, 500);
 * Cost cost = CostCalculator.cost(PriceTable.bundled(), "openai/gpt-4o", usage);
 * cost.totalUsd().ifPresent(usd -> System.out.println("$" + usd.toPlainString()));
 * ModelPrice mine = ModelPrice.builder().inputPerMillion("0.50").outputPerMillion("1.50").build();
 * Cost custom = CostCalculator.cost(mine, usage, "my deployment");
 * }</pre>
 *
 * @since 0.1.0
 */
package io.llmrouter.cost;
