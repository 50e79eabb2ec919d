package io.llmrouter.spring.boot;

import io.llmrouter.Router;

/**
 * Adjusts the auto-configured router's builder after the properties (or the LiteLLM config) were
 * applied and before {@link Router.Builder#build()}: every bean of this type is applied, in
 * {@link org.springframework.core.annotation.Order @Order}.
 *
 * <pre>{@code
 * @Bean
 * RouterBuilderCustomizer budget() {
 *     return builder -> builder.budget(Budget.daily("team", new BigDecimal("25")));
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface RouterBuilderCustomizer {

    /**
     * Adjusts the builder.
     *
     * @param builder the builder the router will be built from
     */
    void customize(Router.Builder builder);
}
