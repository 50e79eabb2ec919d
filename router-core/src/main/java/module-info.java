/**
 * The router: {@link io.llmrouter.Router} and its policies, the routing strategies, cost and
 * budgets, and readiness drills. Provider adapters are found through
 * {@link io.llmrouter.spi.ProviderFactory} services (for example the {@code io.llmrouter.providers}
 * module), so an application needs no {@code requires} on them; exact token counts likewise come
 * from a {@link io.llmrouter.spi.TokenCounter} service (the {@code io.llmrouter.tokenizer} module).
 *
 * <p>{@code io.llmrouter.internal} is not exported.
 *
 * @since 0.1.0
 */
module io.llmrouter.core {
    requires transitive io.llmrouter.api;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires com.github.benmanes.caffeine;
    requires io.github.resilience4j.circuitbreaker;
    requires io.github.resilience4j.core;
    requires io.github.resilience4j.retry;
    requires org.slf4j;

    exports io.llmrouter;
    exports io.llmrouter.budget;
    exports io.llmrouter.control;
    exports io.llmrouter.cost;
    exports io.llmrouter.readiness;
    exports io.llmrouter.strategy;

    uses io.llmrouter.spi.ProviderFactory;
    uses io.llmrouter.spi.TokenCounter; // io.llmrouter.tokenizer (router-tokenizer) provides one
}
