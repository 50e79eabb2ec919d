package io.llmrouter.spring.boot4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.exception.AuthenticationException;
import io.llmrouter.micrometer.RouterMetrics;
import io.llmrouter.spring.boot.LlmRouterActuatorAutoConfiguration;
import io.llmrouter.spring.boot.LlmRouterAutoConfiguration;
import io.llmrouter.spring.boot.LlmRouterBoot4HealthAutoConfiguration;
import io.llmrouter.spring.boot.LlmRouterBoot4HealthIndicator;
import io.llmrouter.spring.boot.LlmRouterEndpoint;
import io.llmrouter.spring.boot.LlmRouterHealthAutoConfiguration;
import io.llmrouter.spring.boot.LlmRouterObservabilityAutoConfiguration;
import io.llmrouter.spring.boot.RouterShutdown;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.ClassUtils;

/** The starter's auto-configurations, from the jar built on Spring Boot 3.5, in a Spring Boot 4.0 context. */
class Boot4AutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LlmRouterObservabilityAutoConfiguration.class,
                    LlmRouterAutoConfiguration.class, LlmRouterActuatorAutoConfiguration.class,
                    LlmRouterHealthAutoConfiguration.class, LlmRouterBoot4HealthAutoConfiguration.class))
            .withUserConfiguration(FakeProviders.class);

    @Test
    void runsOnSpringBoot4WithoutBoot3sHealthApi() {
        assertThat(SpringBootVersion.getVersion()).startsWith("4.");
        assertThat(ClassUtils.isPresent("org.springframework.boot.actuate.health.AbstractHealthIndicator", null)).isFalse();
    }

    @Test
    void givenDeploymentsInProperties_whenContextStarts_thenRouterHasThemAndAnswers() {
        runner.withPropertyValues(
                        "llmrouter.deployments[0].model-group=chat",
                        "llmrouter.deployments[0].route=fake/small",
                        "llmrouter.deployments[0].id=primary",
                        "llmrouter.deployments[0].weight=3",
                        "llmrouter.deployments[1].model-group=backup",
                        "llmrouter.deployments[1].route=fake/large",
                        "llmrouter.fallbacks.chat=backup",
                        "llmrouter.strategy=least-busy")
                .run(context -> {
                    Router router = context.getBean(Router.class);
                    assertThat(router.modelGroups()).containsExactly("chat", "backup");
                    Deployment primary = router.deployments().get(0);
                    assertThat(primary.id()).isEqualTo("primary");
                    assertThat(primary.weight()).isEqualTo(3);
                    assertThat(router.describe().toJson()).contains("backup").contains("LeastBusy");
                    assertThat(router.completion(ChatRequest.ofUser("chat", "hi")).text()).isEqualTo("hello from fake");
                });
    }

    @Test
    void givenLiteLlmConfigPath_whenContextStarts_thenRouterIsLoadedWithVariablesFromSpring(@TempDir Path dir)
            throws Exception {
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, """
                model_list:
                  - model_name: gpt-4o
                    litellm_params:
                      model: openai/gpt-4o
                      api_key: os.environ/TEAM_OPENAI_KEY
                router_settings:
                  num_retries: 4
                """);
        runner.withPropertyValues("llmrouter.litellm-config=" + config, "TEAM_OPENAI_KEY=sk-from-spring")
                .run(context -> {
                    Router router = context.getBean(Router.class);
                    assertThat(router.modelGroups()).containsExactly("gpt-4o");
                    assertThat(router.deployments().get(0).apiKey()).hasValueSatisfying(
                            key -> assertThat(key.reveal()).isEqualTo("sk-from-spring"));
                });
    }

    @Test
    void givenAnInvalidValue_whenContextStarts_thenFailureNamesTheProperty() {
        runner.withPropertyValues("llmrouter.deployments[0].model-group=chat",
                        "llmrouter.deployments[0].route=fake/small", "llmrouter.deployments[0].weight=-1")
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("llmrouter.deployments[0].weight"));
    }

    @Test
    void onBoot4TheBoot4IndicatorIsRegisteredAndTheBoot3OneSkipped() {
        runner.withPropertyValues("llmrouter.deployments[0].model-group=chat", "llmrouter.deployments[0].route=fake/x")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean("llmrouterHealthIndicator")).isInstanceOf(LlmRouterBoot4HealthIndicator.class);
                    assertThat(context.getBeanNamesForType(HealthIndicator.class)).containsExactly("llmrouterHealthIndicator");
                });
    }

    @Test
    void givenEveryGroupAvailable_thenHealthIsUpWithPerDeploymentDetails() {
        runner.withPropertyValues("llmrouter.deployments[0].model-group=chat",
                        "llmrouter.deployments[0].route=fake/small", "llmrouter.deployments[0].id=primary")
                .run(context -> {
                    Health health = context.getBean(LlmRouterBoot4HealthIndicator.class).health();
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    @SuppressWarnings("unchecked")
                    Map<String, Map<String, Object>> deployments =
                            (Map<String, Map<String, Object>>) health.getDetails().get("deployments");
                    assertThat(deployments.get("primary")).containsEntry("state", "AVAILABLE")
                            .containsEntry("modelGroup", "chat").containsEntry("inFlight", 0);
                });
    }

    @Test
    void givenAGroupWhoseOnlyDeploymentIsCooling_thenHealthIsDown() {
        runner.withPropertyValues("llmrouter.deployments[0].model-group=chat",
                        "llmrouter.deployments[0].route=fake/small",
                        "llmrouter.deployments[1].model-group=keyless",
                        "llmrouter.deployments[1].route=broken/model",
                        "llmrouter.retry.num-retries=0")
                .run(context -> {
                    Router router = context.getBean(Router.class);
                    LlmRouterBoot4HealthIndicator indicator = context.getBean(LlmRouterBoot4HealthIndicator.class);
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
        runner.withPropertyValues("llmrouter.deployments[0].model-group=chat", "llmrouter.deployments[0].route=fake/small")
                .run(context -> {
                    context.getBean(Router.class).close();
                    assertThat(context.getBean(LlmRouterBoot4HealthIndicator.class).health().getStatus())
                            .isEqualTo(Status.OUT_OF_SERVICE);
                });
    }

    @Test
    void healthAndEndpointNeverShowAKeyOrHeaderValue() {
        runner.withPropertyValues("llmrouter.deployments[0].model-group=chat", "llmrouter.deployments[0].route=fake/x",
                        "llmrouter.deployments[0].api-key=sk-very-secret-123",
                        "llmrouter.deployments[0].headers.X-Team-Token=tok-secret-456")
                .run(context -> {
                    context.getBean(Router.class).completion(ChatRequest.ofUser("chat", "hi"));
                    ObjectMapper json = new ObjectMapper();
                    String health = json.writeValueAsString(
                            context.getBean(LlmRouterBoot4HealthIndicator.class).health().getDetails());
                    Map<String, Object> body = context.getBean(LlmRouterEndpoint.class).router();
                    String endpoint = json.writeValueAsString(body);
                    assertThat(body).containsKeys("description", "spend");
                    assertThat(endpoint).contains("\"chat\"").contains("totalUsd");
                    assertThat(health + endpoint).doesNotContain("sk-very-secret-123").doesNotContain("tok-secret-456");
                });
    }

    @Test
    void healthIndicatorCanBeTurnedOff() {
        runner.withPropertyValues("llmrouter.deployments[0].model-group=chat", "llmrouter.deployments[0].route=fake/x",
                        "management.health.llmrouter.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(LlmRouterBoot4HealthIndicator.class)
                        .hasSingleBean(LlmRouterEndpoint.class));
    }

    @Test
    void givenMeterRegistryBean_thenRouterMetersAppearAfterACall() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("llmrouter.deployments[0].model-group=chat",
                        "llmrouter.deployments[0].route=fake/small", "llmrouter.deployments[0].id=primary")
                .run(context -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.find(RouterMetrics.DEPLOYMENT_IN_FLIGHT).tag("deployment", "primary").gauge())
                            .isNotNull();
                    context.getBean(Router.class).completion(ChatRequest.ofUser("chat", "hi"));
                    assertThat(registry.find(RouterMetrics.REQUESTS).tag("model_group", "chat").counter())
                            .isNotNull().satisfies(c -> assertThat(c.count()).isEqualTo(1.0));
                });
    }

    @Test
    void routerIsClosedWhenTheContextCloses() {
        Router[] router = new Router[1];
        runner.withPropertyValues("llmrouter.deployments[0].model-group=chat",
                        "llmrouter.deployments[0].route=fake/small", "llmrouter.shutdown-grace-period=1s")
                .run(context -> {
                    router[0] = context.getBean(Router.class);
                    assertThat(context.getBean(RouterShutdown.class).isRunning()).isTrue();
                    assertThat(router[0].isClosed()).isFalse();
                });
        assertThat(router[0].isClosed()).isTrue();
    }
}
