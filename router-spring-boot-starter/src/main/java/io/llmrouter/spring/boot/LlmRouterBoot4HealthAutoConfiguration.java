package io.llmrouter.spring.boot;

import io.llmrouter.Router;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * With Spring Boot 4's health API ({@code org.springframework.boot.health.contributor}, the
 * {@code spring-boot-health} jar, part of Boot 4's Actuator) on the class
 * path: the {@code llmrouter} health indicator ({@link LlmRouterBoot4HealthIndicator}) for the
 * router bean. Turn it off with {@code management.health.llmrouter.enabled=false}. On Spring Boot 3
 * this configuration is skipped and {@link LlmRouterHealthAutoConfiguration} registers
 * {@link LlmRouterHealthIndicator} instead.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = LlmRouterAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.AbstractHealthIndicator")
@ConditionalOnBean(Router.class)
public class LlmRouterBoot4HealthAutoConfiguration {

    /** Created by Spring. */
    public LlmRouterBoot4HealthAutoConfiguration() {
    }

    /**
     * The health indicator, named {@code llmrouter} after its bean.
     *
     * @param router the router
     * @return the indicator
     */
    @Bean(name = "llmrouterHealthIndicator")
    @ConditionalOnMissingBean(LlmRouterBoot4HealthIndicator.class)
    @ConditionalOnProperty(prefix = "management.health.llmrouter", name = "enabled", matchIfMissing = true)
    public LlmRouterBoot4HealthIndicator llmrouterBoot4HealthIndicator(Router router) {
        return new LlmRouterBoot4HealthIndicator(router);
    }
}
