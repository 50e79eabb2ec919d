package io.llmrouter.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.exception.AuthenticationException;
import io.llmrouter.spring.boot.LlmRouterAutoConfigurationTest.FakeProviders;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.ClassUtils;

/** The Actuator health indicator on Spring Boot 3.5 (router-spring-boot4-test runs the Boot 4 one). */
class LlmRouterActuatorTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LlmRouterAutoConfiguration.class,
                    LlmRouterActuatorAutoConfiguration.class, LlmRouterHealthAutoConfiguration.class,
                    LlmRouterBoot4HealthAutoConfiguration.class));

    @Test
    void onBoot3TheBoot3IndicatorIsRegisteredAndTheBoot4OneSkipped() {
        runner.withUserConfiguration(FakeProviders.class)
                .withPropertyValues("llmrouter.deployments[0].model-group=chat", "llmrouter.deployments[0].route=fake/x")
                .run(context -> {
                    assertThat(ClassUtils.isPresent("org.springframework.boot.health.contributor.Health", null)).isFalse();
                    assertThat(context.getBean("llmrouterHealthIndicator")).isInstanceOf(LlmRouterHealthIndicator.class);
                    assertThat(context.getBeanNamesForType(HealthIndicator.class)).containsExactly("llmrouterHealthIndicator");
                });
    }

    @Test
    void aUserDefinedRouterGetsTheHealthIndicatorAndEndpoint() {
        Router own = Router.builder().provider("fake", FakeProviders.OK)
                .deployment(Deployment.builder("mine", "fake/m").build()).build();
        runner.withBean(Router.class, () -> own).run(context -> {
            assertThat(context).hasSingleBean(LlmRouterHealthIndicator.class).hasSingleBean(LlmRouterEndpoint.class);
            assertThat(context.getBean(LlmRouterHealthIndicator.class).health().getDetails())
                    .extractingByKey("deployments").asString().contains("mine");
        });
    }

    @Test
    void healthDetailsNeverShowAKey() {
        runner.withUserConfiguration(FakeProviders.class)
                .withPropertyValues("llmrouter.deployments[0].model-group=chat", "llmrouter.deployments[0].route=fake/x",
                        "llmrouter.deployments[0].api-key=sk-very-secret-123")
                .run(context -> assertThat(new ObjectMapper().writeValueAsString(
                        context.getBean(LlmRouterHealthIndicator.class).health())).doesNotContain("sk-very-secret-123"));
    }

    @Test
    void healthIndicatorCanBeTurnedOff() {
        runner.withUserConfiguration(FakeProviders.class)
                .withPropertyValues("llmrouter.deployments[0].model-group=chat", "llmrouter.deployments[0].route=fake/x",
                        "management.health.llmrouter.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(LlmRouterHealthIndicator.class)
                        .hasSingleBean(LlmRouterEndpoint.class));
    }

    @Test
    void givenEveryDeploymentOfAGroupAvailable_thenHealthIsUpWithPerDeploymentDetails() {
        runner.withUserConfiguration(FakeProviders.class)
                .withPropertyValues("llmrouter.deployments[0].model-group=chat",
                        "llmrouter.deployments[0].route=fake/small", "llmrouter.deployments[0].id=primary")
                .run(context -> {
                    Health health = context.getBean(LlmRouterHealthIndicator.class).health();
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    assertThat(health.getDetails()).containsKey("deployments");
                    @SuppressWarnings("unchecked")
                    Map<String, Map<String, Object>> deployments =
                            (Map<String, Map<String, Object>>) health.getDetails().get("deployments");
                    assertThat(deployments.get("primary")).containsEntry("state", "AVAILABLE")
                            .containsEntry("modelGroup", "chat");
                });
    }

    @Test
    void givenAGroupWhoseOnlyDeploymentIsCooling_thenHealthIsDown() {
        runner.withUserConfiguration(FakeProviders.class)
                .withPropertyValues("llmrouter.deployments[0].model-group=chat",
                        "llmrouter.deployments[0].route=fake/small",
                        "llmrouter.deployments[1].model-group=keyless",
                        "llmrouter.deployments[1].route=broken/model",
                        "llmrouter.retry.num-retries=0")
                .run(context -> {
                    Router router = context.getBean(Router.class);
                    LlmRouterHealthIndicator indicator = context.getBean(LlmRouterHealthIndicator.class);
                    assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

                    // a 401 cools even the only deployment of its group at once
                    assertThatThrownBy(() -> router.completion(ChatRequest.ofUser("keyless", "hi")))
                            .isInstanceOf(AuthenticationException.class);

                    Health health = indicator.health();
                    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(health.getDetails().get("unavailableModelGroups")).isEqualTo(List.of("keyless"));
                });
    }

    @Test
    void givenAClosedRouter_thenHealthIsOutOfService() {
        runner.withUserConfiguration(FakeProviders.class)
                .withPropertyValues("llmrouter.deployments[0].model-group=chat", "llmrouter.deployments[0].route=fake/small")
                .run(context -> {
                    context.getBean(Router.class).close();
                    assertThat(context.getBean(LlmRouterHealthIndicator.class).health().getStatus())
                            .isEqualTo(Status.OUT_OF_SERVICE);
                });
    }
}
