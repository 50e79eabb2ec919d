package io.llmrouter.spring.boot;

import io.llmrouter.Router;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * With Spring Boot Actuator on the class path: the {@code llmrouter} endpoint
 * ({@link LlmRouterEndpoint}) for the router bean (auto-configured or the application's own), on
 * Spring Boot 3.5 and 4.0. The health indicator is {@link LlmRouterHealthAutoConfiguration}'s.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = LlmRouterAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
@ConditionalOnBean(Router.class)
public class LlmRouterActuatorAutoConfiguration {

    /** Created by Spring. */
    public LlmRouterActuatorAutoConfiguration() {
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
