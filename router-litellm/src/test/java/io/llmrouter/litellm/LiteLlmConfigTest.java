package io.llmrouter.litellm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.testing.FakeProvider;
import java.io.StringReader;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LiteLlmConfigTest {

    private static final String SECRET = "sk-live-DO-NOT-LEAK-1234";

    private static final Map<String, String> ENV = Map.of("AZURE_API_KEY_EU", SECRET, "AZURE_API_KEY_CA", SECRET,
            "AZURE_API_KEY_FR", SECRET, "OPENAI_API_KEY", SECRET);

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(LiteLlmConfigTest.class.getResource("/litellm/" + name).toURI());
    }

    /** A loopback port nothing listens on (the Redis clients then start in their outage mode). */
    static String closedPort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return String.valueOf(s.getLocalPort());
        }
    }

    private static JsonNode describe(Router router) throws Exception {
        return new ObjectMapper().readTree(router.describe().toJson());
    }

    private static LiteLlmConfig yaml(String text) {
        return LiteLlmConfig.load(new StringReader(text), ENV);
    }

    @Test
    void givenMaxParallelRequestsAndAWildcardEntry_whenLoaded_thenTheDeploymentIsCappedAndTheWildcardGroupIsLoaded()
            throws Exception {
        LiteLlmConfig config = yaml("""
                model_list:
                  - model_name: gpt-4o
                    litellm_params:
                      model: openai/gpt-4o
                      api_key: os.environ/OPENAI_API_KEY
                      max_parallel_requests: 3
                  - model_name: "openai/*"
                    litellm_params:
                      model: "openai/*"
                      api_key: os.environ/OPENAI_API_KEY
                """);

        assertThat(config.deployments().get(0).maxParallelRequests()).hasValue(3);
        assertThat(config.notes()).noneMatch(n -> n.key().contains("max_parallel_requests"));
        try (Router router = config.routerBuilder().build()) {
            JsonNode deployments = describe(router).path("model_groups");
            assertThat(deployments.toString()).contains("\"max_parallel_requests\":\"3\"").contains("\"name\":\"openai/*\"");
        }
    }

    @Test
    void theProxyQuickStartConfigLoadsEveryDeploymentWithItsValuesAndNotesTheProxyOnlyKeys() throws Exception {
        LiteLlmConfig config = LiteLlmConfig.load(resource("proxy-config.yaml"), ENV);

        assertThat(config.notes()).extracting(ConfigNote::line, ConfigNote::key).containsExactly(
                org.assertj.core.groups.Tuple.tuple(31, "model_list[4].model_info.version"),
                org.assertj.core.groups.Tuple.tuple(41, "litellm_settings.drop_params"),
                org.assertj.core.groups.Tuple.tuple(42, "litellm_settings.success_callback"),
                org.assertj.core.groups.Tuple.tuple(44, "general_settings"),
                org.assertj.core.groups.Tuple.tuple(0, "model_list.rpm/tpm"));
        try (Router router = config.routerBuilder().build()) {
            assertThat(router.modelGroups()).containsExactly("gpt-3.5-turbo", "bedrock-claude-v1", "anthropic-claude",
                    "vllm-models", "*");
            JsonNode root = describe(router);
            assertThat(root.path("settings").path("rate_limits").path("value").asText()).startsWith("weights only");
            JsonNode groups = root.path("model_groups");
            JsonNode azure = groups.get(0).path("deployments");
            assertThat(azure).extracting(d -> d.path("route").asText() + " " + d.path("api_base_host").asText() + " "
                    + d.path("credential").asText() + " rpm " + d.path("rpm").asText() + " weight "
                    + d.path("weight").path("value").asText()).containsExactly(
                    "azure/gpt-turbo-small-eu my-endpoint-europe-berri-992.openai.azure.com value (hidden) rpm 6 weight 6",
                    "azure/gpt-turbo-small-ca my-endpoint-canada-berri992.openai.azure.com value (hidden) rpm 6 weight 6");
            assertThat(groups.get(2).path("deployments").get(0).path("bedrock.region").asText()).isEqualTo("us-east-1");
            JsonNode vllm = groups.get(3).path("deployments").get(0);
            assertThat(vllm.path("route").asText()).isEqualTo("openai/facebook/opt-125m");
            assertThat(vllm.path("api_base_host").asText()).isEqualTo("0.0.0.0");
            assertThat(vllm.path("rpm").asText()).isEqualTo("1440");
            assertThat(groups.get(4).path("deployments").get(0).path("route").asText()).isEqualTo("openai/*");
            assertThat(router.describe().toJson()).doesNotContain(SECRET);
        }
    }

    @Test
    void theLoadBalancingExampleBuildsThreeWeightedAzureDeploymentsWithAnAlias() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(ENV);
        env.putAll(Map.of("REDIS_HOST", "127.0.0.1", "REDIS_PASSWORD", SECRET, "REDIS_PORT", closedPort()));
        LiteLlmConfig config = LiteLlmConfig.load(resource("load-balancing.yaml"), env);

        List<Deployment> ds = config.deployments();
        assertThat(ds).extracting(Deployment::modelGroup).containsOnly("gpt-3.5-turbo");
        assertThat(ds).extracting(Deployment::providerRoute)
                .containsExactly("azure/gpt-turbo-small-eu", "azure/gpt-turbo-small-ca", "azure/gpt-turbo-large");
        assertThat(ds.get(0).apiBase()).contains("https://my-endpoint-europe-berri-992.openai.azure.com");
        assertThat(ds.get(0).apiKey()).hasValueSatisfying(k -> assertThat(k.reveal()).isEqualTo(SECRET));
        assertThat(ds).as("the deployments keep the rpm loaded").extracting(d -> d.rpm().getAsInt())
                .containsExactly(6, 6, 1440);
        assertThat(config.notes()).extracting(ConfigNote::key).containsExactly("model_list.rpm/tpm");

        try (Router router = config.routerBuilder().build()) {
            assertThat(router.modelGroups()).containsExactly("gpt-3.5-turbo", "gpt-4");
            String described = router.describe().toJson();
            assertThat(described).contains("azure/gpt-turbo-large").doesNotContain(SECRET);
            JsonNode deployments = describe(router).path("model_groups").get(0).path("deployments");
            assertThat(deployments).as("under simple-shuffle, rpm weighs the deployments and limits nothing, as in"
                    + " LiteLLM").extracting(d -> d.path("rpm").asText() + "/" + d.path("weight").path("value").asText())
                    .containsExactly("6/6", "6/6", "1440/1440");
            assertThat(describe(router).path("settings").path("rate_limits").path("value").asText())
                    .startsWith("weights only");
            assertThat(describe(router).path("settings").path("num_retries").path("value").asText()).isEqualTo("2");
            assertThat(describe(router).path("settings").path("timeout").path("value").asText()).isEqualTo("PT30S");
        }
    }

    @Test
    void theReliabilityExampleLoadsRetriesFallbacksAndRouterSettingsWinOverLitellmSettings() throws Exception {
        LiteLlmConfig config = LiteLlmConfig.load(resource("reliability.yaml"), ENV);

        assertThat(config.deployments()).extracting(Deployment::providerRoute).as("the openai prefix is inferred")
                .containsExactly("openai/HuggingFaceH4/zephyr-7b-beta", "openai/gpt-3.5-turbo",
                        "openai/gpt-3.5-turbo-16k");
        assertThat(config.notes()).extracting(ConfigNote::key).contains("general_settings",
                "litellm_settings.drop_params", "router_settings.allowed_fails_policy.ContentPolicyViolationErrorAllowedFails");
        assertThat(config.notes()).extracting(ConfigNote::line).doesNotContain(-1);

        try (Router router = config.routerBuilder().build()) {
            assertThat(router.modelGroups()).as("hidden aliases are not listed")
                    .containsExactly("zephyr-beta", "gpt-3.5-turbo", "gpt-3.5-turbo-16k", "gpt-4");
            String json = router.describe().toJson();
            assertThat(json).doesNotContain(SECRET);
            JsonNode settings = describe(router).path("settings");
            assertThat(settings.path("num_retries").path("value").asText()).as("router_settings wins").isEqualTo("1");
            assertThat(settings.path("timeout").path("value").asText()).isEqualTo("PT10S");
            assertThat(settings.path("allowed_fails").path("value").asText()).isEqualTo("3");
            assertThat(settings.path("cooldown_time").path("value").asText()).isEqualTo("PT0S");
            assertThat(settings.path("max_fallback_depth").path("value").asText()).isEqualTo("2");
            assertThat(settings.path("model_group_alias").asText())
                    .isEqualTo("{gpt-4=gpt-3.5-turbo, internal-16k=gpt-3.5-turbo-16k (hidden)}");
            assertThat(settings.path("retry_policy").asText()).isEqualTo("RetryPolicy{RATE_LIMIT=4, TIMEOUT=2}");
            assertThat(settings.path("allowed_fails_policy").asText()).isEqualTo("AllowedFailsPolicy{RATE_LIMIT=100}");
            JsonNode groups = describe(router).path("model_groups");
            JsonNode zephyr = groups.get(0).path("fallbacks");
            assertThat(zephyr.path("general").toString()).isEqualTo("[\"gpt-3.5-turbo\"]");
            assertThat(zephyr.path("context_window").toString()).isEqualTo("[\"gpt-3.5-turbo-16k\"]");
            JsonNode turbo = groups.get(1).path("fallbacks");
            assertThat(turbo.path("general").toString()).as("default_fallbacks").isEqualTo("[\"gpt-3.5-turbo-16k\"]");
            assertThat(turbo.path("content_policy").toString()).isEqualTo("[\"zephyr-beta\"]");
            assertThat(groups.get(0).path("deployments").get(0).path("api_base_host").asText()).isEqualTo("0.0.0.0");
        }
    }

    @Test
    void settingsMapOntoThePoliciesWithRouterSettingsWinning() throws Exception {
        LiteLlmConfig config = yaml("""
                model_list:
                  - model_name: a
                    litellm_params: {model: openai/gpt-4o}
                litellm_settings:
                  num_retries: 5
                  request_timeout: 10
                  allowed_fails: 9
                router_settings:
                  num_retries: 1
                  allowed_fails: 2
                  cooldown_time: 0
                  max_fallbacks: 3
                """);
        try (Router router = config.routerBuilder().build()) {
            JsonNode settings = describe(router).path("settings");
            assertThat(settings.path("num_retries").path("value").asText()).isEqualTo("1");
            assertThat(settings.path("timeout").path("value").asText()).isEqualTo("PT10S");
            assertThat(settings.path("allowed_fails").path("value").asText()).isEqualTo("2");
            assertThat(settings.path("cooldown_time").path("value").asText()).isEqualTo("PT0S");
            assertThat(settings.path("max_fallback_depth").path("value").asText()).isEqualTo("3");
        }
        assertThat(config.notes()).isEmpty();
    }

    @Test
    void aMissingEnvironmentVariableNamesTheKeyAndVariable() {
        assertThatThrownBy(() -> LiteLlmConfig.load(new StringReader("""
                model_list:
                  - model_name: a
                    litellm_params:
                      model: openai/gpt-4o
                      api_key: os.environ/NOT_SET_ANYWHERE
                """), Map.of()))
                .isInstanceOf(LiteLlmConfigException.class)
                .hasMessage("config.yaml:5: model_list[0].litellm_params.api_key: environment variable NOT_SET_ANYWHERE is not set")
                .satisfies(e -> assertThat(((LiteLlmConfigException) e).line()).hasValue(5));
    }

    @Test
    void anUnknownKeyFailsWithFileLineAndKeyUnlessLenient() {
        String text = """
                model_list:
                  - model_name: a
                    litellm_params:
                      model: openai/gpt-4o
                      api_kee: os.environ/OPENAI_API_KEY
                """;
        assertThatThrownBy(() -> yaml(text)).isInstanceOf(LiteLlmConfigException.class)
                .hasMessage("config.yaml:5: model_list[0].litellm_params.api_kee: unknown key");

        LiteLlmConfig lenient = LiteLlmConfig.loader().environment(ENV).lenient(true)
                .load(new StringReader(text), "team.yaml");
        assertThat(lenient.notes()).containsExactly(
                new ConfigNote(5, "model_list[0].litellm_params.api_kee", "unknown key, ignored (lenient)"));
        assertThat(lenient.deployments()).hasSize(1);
    }

    @Test
    void anErrorInAFileNamesThatFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("team-config.yaml");
        java.nio.file.Files.writeString(file, "model_list:\n  - model_name: a\n    litellm_params: {model: openai/gpt-4o}\n"
                + "router_settings:\n  num_retry: 3\n");

        assertThatThrownBy(() -> LiteLlmConfig.load(file, ENV)).isInstanceOf(LiteLlmConfigException.class)
                .hasMessage(file + ":5: router_settings.num_retry: unknown key");
    }

    @Test
    void aWrongTypeNamesTheLineAndKeyButNeverTheValue() {
        assertThatThrownBy(() -> yaml("""
                model_list:
                  - model_name: a
                    litellm_params:
                      model: openai/gpt-4o
                      rpm: sk-live-DO-NOT-LEAK-1234
                """)).isInstanceOf(LiteLlmConfigException.class)
                .hasMessage("config.yaml:5: model_list[0].litellm_params.rpm: expected a whole number, 0 or more,"
                        + " found a string")
                .message().doesNotContain(SECRET);
        assertThatThrownBy(() -> yaml("router_settings:\n  fallbacks: {a: b}\n"))
                .hasMessage("config.yaml:2: router_settings.fallbacks: expected a list, found a map");
    }

    @Test
    void aValueTheDeploymentRejectsNamesTheLineAndKeyAndHidesAnEnvironmentValue() {
        assertThatThrownBy(() -> yaml("""
                model_list:
                  - model_name: a
                    litellm_params:
                      model: openai/gpt-4o
                      api_base: ftp://example.com
                """)).isInstanceOf(LiteLlmConfigException.class)
                .hasMessageStartingWith("config.yaml:5: model_list[0].litellm_params.api_base: apiBase must be");
        assertThatThrownBy(() -> LiteLlmConfig.load(new StringReader("""
                model_list:
                  - model_name: a
                    litellm_params:
                      model: openai/gpt-4o
                      api_base: os.environ/BASE
                """), Map.of("BASE", SECRET))).isInstanceOf(LiteLlmConfigException.class)
                .hasMessage("config.yaml:5: model_list[0].litellm_params.api_base: invalid value");
    }

    @Test
    void aSecretFromTheEnvironmentNeverAppearsInALaterError() {
        assertThatThrownBy(() -> yaml("""
                model_list:
                  - model_name: a
                    litellm_params:
                      model: openai/gpt-4o
                      api_key: os.environ/OPENAI_API_KEY
                      timeout: forever
                """)).isInstanceOf(LiteLlmConfigException.class)
                .hasMessageContaining("config.yaml:6: model_list[0].litellm_params.timeout")
                .message().doesNotContain(SECRET);
    }

    @Test
    void badYamlFailsWithTheLine() {
        assertThatThrownBy(() -> yaml("model_list:\n  - model_name: a\n   litellm_params: [\n"))
                .isInstanceOf(LiteLlmConfigException.class).hasMessageStartingWith("config.yaml:")
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void aModelWithoutPrefixNotInThePriceTableFailsOrIsSkippedByOption() {
        String text = """
                model_list:
                  - model_name: a
                    litellm_params: {model: my-private-model}
                  - model_name: b
                    litellm_params: {model: openai/gpt-4o}
                """;
        assertThatThrownBy(() -> yaml(text)).isInstanceOf(LiteLlmConfigException.class)
                .hasMessageContaining("config.yaml:3: model_list[0].litellm_params.model: no provider prefix");

        LiteLlmConfig skipped = LiteLlmConfig.loader().skipUnresolved(true).load(new StringReader(text), "c.yaml");
        assertThat(skipped.deployments()).extracting(Deployment::modelGroup).containsExactly("b");
        assertThat(skipped.notes()).singleElement().satisfies(n -> assertThat(n.reason()).startsWith("deployment skipped"));
    }

    @Test
    void aRouteNoAdapterServesIsReportedOrSkippedByOption() {
        String text = """
                model_list:
                  - model_name: zephyr-beta
                    litellm_params: {model: replicate/HuggingFaceH4/zephyr-7b-beta}
                  - model_name: b
                    litellm_params: {model: openai/gpt-4o}
                """;
        LiteLlmConfig kept = yaml(text);
        assertThat(kept.deployments()).hasSize(2);
        assertThat(kept.notes()).singleElement().satisfies(n -> {
            assertThat(n.line()).isEqualTo(3);
            assertThat(n.reason()).startsWith("no provider adapter on the class path serves 'replicate/'");
        });
        try (Router router = kept.routerBuilder().provider("replicate", FakeProvider.replying("z")).build()) {
            assertThat(router.completion(ChatRequest.ofUser("zephyr-beta", "hi")).text()).isEqualTo("z");
        }

        LiteLlmConfig skipped = LiteLlmConfig.loader().skipUnresolved(true).load(new StringReader(text), "c.yaml");
        assertThat(skipped.deployments()).extracting(Deployment::modelGroup).containsExactly("b");
        assertThat(skipped.notes()).singleElement().satisfies(n -> assertThat(n.reason()).startsWith("deployment skipped"));
    }

    @Test
    void pricesFromTheConfigOverrideThePriceTableExactly() {
        LiteLlmConfig config = yaml("""
                model_list:
                  - model_name: custom
                    litellm_params: {model: openai/my-fine-tune, input_cost_per_token: 0.00000015}
                    model_info: {output_cost_per_token: 6e-7}
                """);
        ModelPrice price = config.deployments().get(0).price().orElseThrow();
        assertThat(price.inputPerToken()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("0.00000015"));
        assertThat(price.outputPerToken()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("0.0000006"));
        assertThat(config.notes()).isEmpty();
    }

    @Test
    void underUsageBasedRoutingRpmAndTpmAreLimits() throws Exception {
        LiteLlmConfig config = yaml("""
                model_list:
                  - model_name: a
                    litellm_params: {model: openai/gpt-4o, rpm: 100, tpm: 20000, weight: 3, order: 1, timeout: 2.5, stream_timeout: 1, tags: [eu]}
                    model_info: {id: eu-1, base_model: gpt-4o}
                router_settings:
                  routing_strategy: usage-based-routing-v2
                """);
        Deployment d = config.deployments().get(0);
        assertThat(d.rpm()).hasValue(100);
        assertThat(d.tpm()).hasValue(20000);
        assertThat(d.weight()).isEqualTo(3);
        assertThat(d.order()).isEqualTo(1);
        assertThat(d.timeout()).contains(Duration.ofMillis(2500));
        assertThat(d.firstTokenTimeout()).contains(Duration.ofSeconds(1));
        assertThat(d.tags()).containsExactly("eu");
        assertThat(d.id()).isEqualTo("eu-1");
        assertThat(d.baseModel()).contains("gpt-4o");
        try (Router router = config.routerBuilder().build()) {
            assertThat(router.describe().toJson()).contains("UsageBased");
            assertThat(describe(router).path("settings").path("rate_limits").path("value").asText())
                    .startsWith("enforced");
        }
    }

    @Test
    void anAliasFromTheConfigRoutesToItsGroup() {
        FakeProvider fake = FakeProvider.replying("from a");
        LiteLlmConfig config = yaml("""
                model_list:
                  - model_name: a
                    litellm_params: {model: openai/gpt-4o}
                router_settings:
                  model_group_alias: {"gpt-4": "a"}
                """);
        Router.Builder b = config.routerBuilder().deployments(List.of());
        try (Router router = Router.builder()
                .deployment(config.deployments().get(0).toBuilder().provider(fake).build())
                .alias("gpt-4", "a", false).build()) {
            assertThat(router.completion(ChatRequest.ofUser("gpt-4", "hi")).text()).isEqualTo("from a");
        }
        assertThat(b).isNotNull();
    }

    @Test
    void underSimpleShuffleAnImportedRpmLimitsNothing() {
        LiteLlmConfig config = yaml("""
                model_list:
                  - model_name: a
                    litellm_params: {model: openai/gpt-4o, rpm: 1}
                """);
        assertThat(config.deployments().get(0).rpm()).hasValue(1);
        try (Router router = config.routerBuilder().provider("openai", FakeProvider.replying("ok")).build()) {
            for (int i = 0; i < 5; i++) {
                assertThat(router.completion(ChatRequest.ofUser("a", "hi")).text()).isEqualTo("ok");
            }
        }
    }

    @Test
    void withPreCallChecksAnImportedRpmIsALimit() {
        LiteLlmConfig config = yaml("""
                model_list:
                  - model_name: a
                    litellm_params: {model: openai/gpt-4o, rpm: 1}
                router_settings:
                  enable_pre_call_checks: true
                """);
        try (Router router = config.routerBuilder().provider("openai", FakeProvider.replying("ok"))
                .retryPolicy(r -> r.numRetries(0)).build()) {
            router.completion(ChatRequest.ofUser("a", "hi"));
            assertThatThrownBy(() -> router.completion(ChatRequest.ofUser("a", "hi")))
                    .isInstanceOf(io.llmrouter.api.exception.RateLimitException.class);
        }
    }

    @Test
    void anUnknownRoutingStrategyNamesTheLine() {
        assertThatThrownBy(() -> yaml("router_settings:\n  routing_strategy: fastest\n"))
                .hasMessageStartingWith("config.yaml:2: routing_strategy: unknown routing strategy 'fastest'");
    }
}
