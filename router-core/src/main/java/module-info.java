/**
 * The router: {@link io.llmrouter.Router} and its policies, the routing strategies, cost and
 * budgets, and readiness drills. Provider adapters are found through
 * {@link io.llmrouter.spi.ProviderFactory} services (for example the {@code io.llmrouter.providers}
 * module), so an application needs no {@code requires} on them.
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
    requires jtokkit; // JTokkit 1.1.0 names no module: this is its jar's derived name
    requires org.slf4j;

    exports io.llmrouter;
    exports io.llmrouter.budget;
    exports io.llmrouter.control;
    exports io.llmrouter.cost;
    exports io.llmrouter.readiness;
    exports io.llmrouter.strategy;

    uses io.llmrouter.spi.ProviderFactory;
}
