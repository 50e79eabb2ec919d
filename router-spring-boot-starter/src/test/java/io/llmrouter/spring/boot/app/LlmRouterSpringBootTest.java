package io.llmrouter.spring.boot.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.Router;
import io.llmrouter.spring.boot.LlmRouterEndpoint;
import io.llmrouter.spring.boot.LlmRouterHealthIndicator;
import io.llmrouter.spring.boot.RouterBuilderCustomizer;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.micrometer.RouterMetrics;
import io.llmrouter.testing.FakeProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;

/**
 * A whole Spring Boot application, in a package of its own as an application is (component scanning
 * would otherwise see the starter's classes): the auto-configurations are found through the imports file.
 */
@SpringBootTest(classes = LlmRouterSpringBootTest.App.class, properties = {
        "llmrouter.deployments[0].model-group=chat",
        "llmrouter.deployments[0].route=fake/small",
        "llmrouter.deployments[0].id=primary",
        "llmrouter.deployments[1].model-group=chat",
        "llmrouter.deployments[1].route=fake/large",
        "llmrouter.deployments[1].id=secondary",
        "llmrouter.deployments[1].order=1"})
class LlmRouterSpringBootTest {

    @SpringBootApplication
    static class App {
        @Bean
        RouterBuilderCustomizer fake() {
            return builder -> builder.provider("fake", FakeProvider.replying("from boot"));
        }

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Autowired
    Router router;

    @Autowired
    LlmRouterHealthIndicator health;

    @Autowired
    LlmRouterEndpoint endpoint;

    @Autowired
    MeterRegistry registry;

    @Test
    void bootApplicationGetsRouterHealthEndpointAndMetrics() {
        assertThat(router.completion(ChatRequest.ofUser("chat", "hi")).text()).isEqualTo("from boot");
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        assertThat(endpoint.router()).containsKeys("description", "spend");
        assertThat(registry.find(RouterMetrics.REQUESTS).counter()).isNotNull();
        assertThat(router.deployments()).extracting(d -> d.id()).containsExactly("primary", "secondary");
    }
}
