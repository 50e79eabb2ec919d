package io.llmrouter.spring.boot;

import io.llmrouter.Router;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * With Spring Boot 3's Actuator health API ({@code org.springframework.boot.actuate.health}) on
 * the class path: the {@code llmrouter} health indicator ({@link LlmRouterHealthIndicator}) for
 * the router bean. Turn it off with {@code management.health.llmrouter.enabled=false}. Spring Boot
 * 4 moved that API, so there this configuration is skipped and
 * {@link LlmRouterBoot4HealthAutoConfiguration} registers {@link LlmRouterBoot4HealthIndicator}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = LlmRouterAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.health.AbstractHealthIndicator")
@ConditionalOnBean(Router.class)
public class LlmRouterHealthAutoConfiguration {

    /** Created by Spring. */
    public LlmRouterHealthAutoConfiguration() {
    }

    /**
     * The health indicator, named {@code llmrouter} after its bean.
     *
     * @param router the router
     * @return the indicator
     */
    @Bean(name = "llmrouterHealthIndicator")
    @ConditionalOnMissingBean(LlmRouterHealthIndicator.class)
    @ConditionalOnProperty(prefix = "management.health.llmrouter", name = "enabled", matchIfMissing = true)
    public LlmRouterHealthIndicator llmrouterHealthIndicator(Router router) {
        return new LlmRouterHealthIndicator(router);
    }
}
