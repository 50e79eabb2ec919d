package io.llmrouter.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.spring.boot.LlmRouterAutoConfigurationTest.FakeProviders;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The Actuator endpoint {@code llmrouter} (the same on Spring Boot 3.5 and 4.0). */
class LlmRouterEndpointTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LlmRouterAutoConfiguration.class,
                    LlmRouterActuatorAutoConfiguration.class));

    @Test
    void endpointShowsDescriptionAndSpendButNoSecret() {
        runner.withUserConfiguration(FakeProviders.class)
                .withPropertyValues("llmrouter.deployments[0].model-group=chat",
                        "llmrouter.deployments[0].route=fake/small",
                        "llmrouter.deployments[0].api-key=sk-very-secret-123",
                        "llmrouter.deployments[0].headers.X-Team-Token=tok-secret-456")
                .run(context -> {
                    Router router = context.getBean(Router.class);
                    router.completion(ChatRequest.ofUser("chat", "hi"));

                    Map<String, Object> body = context.getBean(LlmRouterEndpoint.class).router();

                    assertThat(body).containsKeys("description", "spend");
                    String json = new ObjectMapper().writeValueAsString(body);
                    assertThat(json).contains("\"chat\"").contains("totalUsd")
                            .doesNotContain("sk-very-secret-123").doesNotContain("tok-secret-456");
                });
    }
}
