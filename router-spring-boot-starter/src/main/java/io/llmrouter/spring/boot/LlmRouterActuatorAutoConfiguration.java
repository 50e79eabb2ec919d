package io.llmrouter.spring.boot;

import io.llmrouter.Router;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * With Spring Boot Actuator on the class path: the {@code llmrouter} health indicator
 * ({@link LlmRouterHealthIndicator}) and endpoint ({@link LlmRouterEndpoint}), for the router bean
 * (auto-configured or the application's own). Turn the indicator off with
 * {@code management.health.llmrouter.enabled=false}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = LlmRouterAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.health.AbstractHealthIndicator")
@ConditionalOnBean(Router.class)
public class LlmRouterActuatorAutoConfiguration {

    /** Created by Spring. */
    public LlmRouterActuatorAutoConfiguration() {
    }

    /**
     * The health indicator, named {@code llmrouter} after its bean.
     *
     * @param router the router
     * @return the indicator
     */
    @Bean(name = "llmrouterHealthIndicator")
    @ConditionalOnMissingBean(LlmRouterHealthIndicator.class)
    @org.springframework.boot.autoconfigure.condition.ConditionalOnProperty(
            prefix = "management.health.llmrouter", name = "enabled", matchIfMissing = true)
    public LlmRouterHealthIndicator llmrouterHealthIndicator(Router router) {
        return new LlmRouterHealthIndicator(router);
    }

    /**
     * The endpoint.
     *
     * @param router the router
     * @return the endpoint
     */
    @Bean
    @ConditionalOnMissingBean
    public LlmRouterEndpoint llmRouterEndpoint(Router router) {
        return new LlmRouterEndpoint(router);
    }
}
