package io.llmrouter.spring.boot4.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.micrometer.RouterMetrics;
import io.llmrouter.spring.boot.LlmRouterBoot4HealthIndicator;
import io.llmrouter.spring.boot.LlmRouterEndpoint;
import io.llmrouter.spring.boot.RouterBuilderCustomizer;
import io.llmrouter.testing.FakeProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;

/**
 * A whole Spring Boot 4.0 application with the starter jar built on Boot 3.5: the auto-configurations
 * come from its imports file, Boot 4's health registry picks up the {@code llmrouter} indicator.
 */
@SpringBootTest(classes = Boot4SpringBootApplicationTest.App.class, properties = {
        "llmrouter.deployments[0].model-group=chat",
        "llmrouter.deployments[0].route=fake/small",
        "llmrouter.deployments[0].id=primary",
        "llmrouter.deployments[1].model-group=chat",
        "llmrouter.deployments[1].route=fake/large",
        "llmrouter.deployments[1].id=secondary",
        "llmrouter.deployments[1].order=1"})
class Boot4SpringBootApplicationTest {

    @SpringBootApplication
    static class App {
        @Bean
        RouterBuilderCustomizer fake() {
            return builder -> builder.provider("fake", FakeProvider.replying("from boot 4"));
        }

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Autowired
    Router router;

    @Autowired
    LlmRouterEndpoint endpoint;

    @Autowired
    MeterRegistry registry;

    @Autowired
    HealthContributorRegistry health;

    @Test
    void boot4ApplicationGetsRouterHealthEndpointAndMetrics() {
        assertThat(SpringBootVersion.getVersion()).startsWith("4.");
        assertThat(router.completion(ChatRequest.ofUser("chat", "hi")).text()).isEqualTo("from boot 4");
        assertThat(router.deployments()).extracting(d -> d.id()).containsExactly("primary", "secondary");
        assertThat(health.getContributor("llmrouter")).isInstanceOf(LlmRouterBoot4HealthIndicator.class);
        assertThat(((HealthIndicator) health.getContributor("llmrouter")).health().getStatus()).isEqualTo(Status.UP);
        assertThat(endpoint.router()).containsKeys("description", "spend");
        assertThat(registry.find(RouterMetrics.REQUESTS).counter()).isNotNull();
    }
}
