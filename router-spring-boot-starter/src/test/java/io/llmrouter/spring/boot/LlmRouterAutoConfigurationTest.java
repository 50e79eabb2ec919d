package io.llmrouter.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.micrometer.RouterMetrics;
import io.llmrouter.opentelemetry.RouterTracing;
import io.llmrouter.testing.FakeProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class LlmRouterAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LlmRouterObservabilityAutoConfiguration.class,
                    LlmRouterAutoConfiguration.class));

    /** Serves the {@code fake/...} and {@code broken/...} routes with the test's providers, as an application would. */
    @Configuration(proxyBeanMethods = false)
    static class FakeProviders {
        static final FakeProvider OK = FakeProvider.replying("hello from fake");

        @Bean
        RouterBuilderCustomizer fakeProviders() {
            return builder -> builder.provider("fake", OK).provider("broken", FakeProvider.failingWith(401));
        }
    }

    @Test
    void givenDeploymentsInProperties_whenContextStarts_thenRouterHasThemAndAnswers() {
        runner.withUserConfiguration(FakeProviders.class)
                .withPropertyValues(
                        "llmrouter.deployments[0].model-group=chat",
                        "llmrouter.deployments[0].route=fake/small",
                        "llmrouter.deployments[0].id=primary",
                        "llmrouter.deployments[0].weight=3",
                        "llmrouter.deployments[0].rpm=100",
                        "llmrouter.deployments[0].max-parallel-requests=4",
                        "llmrouter.deployments[0].timeout=20s",
                        "llmrouter.deployments[0].tags=eu,cheap",
                        "llmrouter.deployments[1].model-group=backup",
                        "llmrouter.deployments[1].route=fake/large",
                        "llmrouter.fallbacks.chat=backup",
                        "llmrouter.retry.num-retries=1",
                        "llmrouter.cooldown.cooldown-time=30s",
                        "llmrouter.strategy=least-busy")
                .run(context -> {
                    Router router = context.getBean(Router.class);
                    assertThat(router.modelGroups()).containsExactly("chat", "backup");
                    Deployment primary = router.deployments().get(0);
                    assertThat(primary.id()).isEqualTo("primary");
                    assertThat(primary.weight()).isEqualTo(3);
                    assertThat(primary.rpm()).hasValue(100);
                    assertThat(primary.maxParallelRequests()).hasValue(4);
                    assertThat(primary.timeout()).hasValue(Duration.ofSeconds(20));
                    assertThat(primary.tags()).containsExactlyInAnyOrder("eu", "cheap");
                    String description = router.describe().toJson();
                    assertThat(description).contains("backup").contains("LeastBusy");
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
                    assertThat(router.describe().toJson()).contains("\"num_retries\"");
                });
    }

    @Test
    void givenInvalidLiteLlmConfig_whenContextStarts_thenFailureNamesTheProperty(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, "model_list:\n  - model_name: x\n    litellm_params: { modle: openai/gpt-4o }\n");
        runner.withPropertyValues("llmrouter.litellm-config=" + config).run(context ->
                assertThat(context).getFailure().rootCause().isNotNull()
                        .satisfies(e -> assertThat(chain(e)).contains("llmrouter.litellm-config")));
    }

    @Test
    void givenLiteLlmConfigWithoutTheLoader_whenContextStarts_thenFailureNamesThePropertyAndTheMissingModule() {
        runner.withClassLoader(new FilteredClassLoader("io.llmrouter.litellm"))
                .withPropertyValues("llmrouter.litellm-config=/etc/llm/config.yaml")
                .run(context -> assertThat(chain(context.getStartupFailure()))
                        .contains("llmrouter.litellm-config").contains("router-litellm"));
    }

    @Test
    void customizerIsAppliedBeforeBuild() {
        runner.withUserConfiguration(FakeProviders.class)
                .withBean("aliasCustomizer", RouterBuilderCustomizer.class,
                        () -> builder -> builder.alias("default", "chat", false))
                .withPropertyValues("llmrouter.deployments[0].model-group=chat",
                        "llmrouter.deployments[0].route=fake/small")
                .run(context -> {
                    Router router = context.getBean(Router.class);
                    assertThat(router.modelGroups()).contains("default");
                    assertThat(router.completion(ChatRequest.ofUser("default", "hi")).text()).isEqualTo("hello from fake");
                });
    }

    @Test
    void userDefinedRouterWins() {
        Router own = Router.builder().provider("fake", FakeProviders.OK)
                .deployment(Deployment.builder("mine", "fake/m").build()).build();
        runner.withBean(Router.class, () -> own)
                .withPropertyValues("llmrouter.deployments[0].model-group=chat",
                        "llmrouter.deployments[0].route=fake/small")
                .run(context -> {
                    assertThat(context).hasSingleBean(Router.class);
                    assertThat(context.getBean(Router.class)).isSameAs(own);
                });
    }

    @Test
    void givenMeterRegistryBean_thenRouterMetersAppearAfterACall() {
        runner.withUserConfiguration(FakeProviders.class)
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("llmrouter.deployments[0].model-group=chat",
                        "llmrouter.deployments[0].route=fake/small", "llmrouter.deployments[0].id=primary")
                .run(context -> {
                    assertThat(context).hasSingleBean(RouterMetrics.class);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    // bound: the deployment's gauges exist before any call
                    assertThat(registry.find(RouterMetrics.DEPLOYMENT_IN_FLIGHT).tag("deployment", "primary").gauge())
                            .isNotNull();

                    context.getBean(Router.class).completion(ChatRequest.ofUser("chat", "hi"));

                    assertThat(registry.find(RouterMetrics.REQUESTS).tag("model_group", "chat").counter())
                            .isNotNull().satisfies(c -> assertThat(c.count()).isEqualTo(1.0));
                });
    }

    @Test
    void withoutMeterRegistryBean_noMetricsAreConfigured() {
        runner.withUserConfiguration(FakeProviders.class)
                .withPropertyValues("llmrouter.deployments[0].model-group=chat", "llmrouter.deployments[0].route=fake/x")
                .run(context -> assertThat(context).doesNotHaveBean(RouterMetrics.class)
                        .doesNotHaveBean(RouterTracing.class));
    }

    @Test
    void givenOpenTelemetryBean_thenRouterTracingIsRegistered() {
        runner.withUserConfiguration(FakeProviders.class)
                .withBean(OpenTelemetry.class, () -> OpenTelemetrySdk.builder().build())
                .withPropertyValues("llmrouter.deployments[0].model-group=chat", "llmrouter.deployments[0].route=fake/x")
                .run(context -> assertThat(context).hasSingleBean(RouterTracing.class));
    }

    @Test
    void routerIsClosedWhenTheContextCloses() {
        Router[] router = new Router[1];
        runner.withUserConfiguration(FakeProviders.class)
                .withPropertyValues("llmrouter.deployments[0].model-group=chat",
                        "llmrouter.deployments[0].route=fake/small", "llmrouter.shutdown-grace-period=1s")
                .run(context -> {
                    router[0] = context.getBean(Router.class);
                    assertThat(router[0].isClosed()).isFalse();
                    assertThat(context.getBean(RouterShutdown.class).isRunning()).isTrue();
                });
        assertThat(router[0].isClosed()).isTrue();
    }

    @Test
    void givenAnInvalidValue_whenContextStarts_thenFailureNamesTheProperty() {
        runner.withUserConfiguration(FakeProviders.class)
                .withPropertyValues("llmrouter.deployments[0].model-group=chat",
                        "llmrouter.deployments[0].route=fake/small", "llmrouter.deployments[0].weight=-1")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                            .hasMessageContaining("llmrouter.deployments[0].weight");
                });
    }

    @Test
    void givenAMissingRoute_whenContextStarts_thenFailureNamesTheProperty() {
        runner.withPropertyValues("llmrouter.deployments[0].model-group=chat")
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("llmrouter.deployments[0].route"));
    }

    @Test
    void givenAValueOfTheWrongType_whenContextStarts_thenFailureNamesTheProperty() {
        runner.withPropertyValues("llmrouter.deployments[0].model-group=chat",
                        "llmrouter.deployments[0].route=fake/small", "llmrouter.deployments[0].rpm=lots")
                .run(context -> assertThat(chain(context.getStartupFailure())).contains("llmrouter.deployments[0].rpm"));
    }

    @Test
    void givenAnInvalidKeyValue_thenTheFailureNeverShowsIt() {
        runner.withPropertyValues("llmrouter.deployments[0].model-group=chat",
                        "llmrouter.deployments[0].route=fake/small", "llmrouter.deployments[0].api-key=sk-abc",
                        "llmrouter.deployments[0].weight=-5")
                .run(context -> assertThat(chain(context.getStartupFailure())).doesNotContain("sk-abc"));
    }

    private static String chain(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            b.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
        }
        return b.toString();
    }
}
