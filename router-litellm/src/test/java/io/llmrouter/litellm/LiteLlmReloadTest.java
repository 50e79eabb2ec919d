package io.llmrouter.litellm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.Deployment;
import io.llmrouter.DeploymentStatus;
import io.llmrouter.FallbackPolicy;
import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.testing.FakeProvider;
import io.llmrouter.testing.VirtualTime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LiteLlmConfig#reload}: a running router follows its {@code config.yaml}. */
class LiteLlmReloadTest {

    private static final String SECRET = "sk-live-DO-NOT-LEAK-1234";
    private static final Map<String, String> ENV = Map.of("OPENAI_API_KEY", SECRET);

    private static final String V1 = """
            model_list:
              - model_name: gpt
                litellm_params:
                  model: openai/gpt-4o
                  api_key: os.environ/OPENAI_API_KEY
                  order: 1
                model_info:
                  id: openai-gpt
              - model_name: gpt
                litellm_params:
                  model: azure/gpt-4o
                  api_base: https://eu.example.com
                  order: 2
                model_info:
                  id: azure-gpt
            router_settings:
              num_retries: 2
            """;

    private static final String V2 = """
            model_list:
              - model_name: gpt
                litellm_params:
                  model: openai/gpt-4o
                  api_key: os.environ/OPENAI_API_KEY
                  order: 1
                model_info:
                  id: openai-gpt
              - model_name: gpt
                litellm_params:
                  model: azure/gpt-4o
                  api_base: https://fr.example.com
                  order: 2
                model_info:
                  id: azure-gpt
              - model_name: claude
                litellm_params:
                  model: anthropic/claude-sonnet-4-5
                model_info:
                  id: claude
            router_settings:
              num_retries: 5
              fallbacks: [{"gpt": ["claude"]}]
              model_group_alias: {"smart": "claude"}
            """;

    @TempDir
    Path dir;

    private final VirtualTime time = VirtualTime.create();
    private final FakeProvider openai = FakeProvider.failingWith(429);
    private final FakeProvider azure = FakeProvider.replying("azure");
    private final FakeProvider anthropic = FakeProvider.replying("claude");
    private Router router;

    @AfterEach
    void close() {
        if (router != null) {
            router.close();
        }
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("config.yaml"), yaml);
    }

    private Router start(Path file) {
        return LiteLlmConfig.load(file, ENV).routerBuilder().clock(time.clock()).scheduler(time.scheduler())
                .random(new SplittableRandom(3)).retryPolicy(r -> r.backoff(Duration.ZERO, Duration.ZERO))
                .provider("openai", openai).provider("azure", azure).provider("anthropic", anthropic).build();
    }

    private ChatResponse call(String model) {
        CompletableFuture<ChatResponse> f = router.completionAsync(ChatRequest.ofUser(model, "hello"));
        time.advanceUntil(f::isDone, Duration.ofHours(1));
        return f.join();
    }

    private DeploymentStatus.State state(String id) {
        return router.deploymentStatuses().stream().filter(s -> s.deploymentId().equals(id)).findFirst()
                .orElseThrow().state();
    }

    @Test
    void givenAChangedFile_whenReloaded_thenDeploymentsFallbacksAndAliasesFollowAndUnchangedDeploymentsKeepTheirHealth()
            throws IOException {
        Path file = write(V1);
        router = start(file);
        assertThat(call("gpt").text()).isEqualTo("azure");
        assertThat(state("openai-gpt")).isEqualTo(DeploymentStatus.State.COOLING_DOWN);
        RetryPolicyProbe.assertRetries(router, 2);

        ReloadResult result = LiteLlmConfig.reload(router, write(V2), ENV);

        assertThat(result.changes().unchanged()).containsExactly("openai-gpt");
        assertThat(result.changes().replaced()).containsExactly("azure-gpt");
        assertThat(result.changes().added()).containsExactly("claude");
        assertThat(result.changes().isFallbackPolicyChanged()).isTrue();
        assertThat(result.changes().isAliasesChanged()).isTrue();
        assertThat(state("openai-gpt")).isEqualTo(DeploymentStatus.State.COOLING_DOWN);
        assertThat(router.deployments()).extracting(Deployment::id).containsExactly("openai-gpt", "azure-gpt", "claude");
        assertThat(router.fallbackPolicy()).isEqualTo(FallbackPolicy.builder().fallbacks("gpt", "claude").build());
        assertThat(router.modelGroups()).containsExactly("gpt", "claude", "smart");
        assertThat(call("smart").text()).isEqualTo("claude");
        // num_retries cannot change live: a note says so, the router keeps its retries
        assertThat(result.needsRebuild()).isTrue();
        assertThat(result.notes()).anySatisfy(n -> assertThat(n.key()).contains("num_retries"));
        RetryPolicyProbe.assertRetries(router, 2);
        assertThat(result.toString()).doesNotContain(SECRET);
    }

    @Test
    void givenTheSameFile_whenReloaded_thenNothingChangesAndNothingIsNoted() throws IOException {
        Path file = write(V1);
        router = start(file);

        ReloadResult result = LiteLlmConfig.reload(router, file, ENV);

        assertThat(result.changes().hasChanges()).isFalse();
        assertThat(result.changes().unchanged()).containsExactly("openai-gpt", "azure-gpt");
        assertThat(result.notes()).isEmpty();
        assertThat(result.needsRebuild()).isFalse();
    }

    @Test
    void givenAFileWithAnError_whenReloaded_thenTypedErrorAndTheRouterIsUntouched() throws IOException {
        Path file = write(V1);
        router = start(file);
        List<Deployment> before = router.deployments();

        assertThatThrownBy(() -> LiteLlmConfig.reload(router, write(V2.replace("num_retries: 5", "num_retrys: 5")),
                ENV)).isInstanceOf(LiteLlmConfigException.class).hasMessageContaining("num_retrys");
        assertThatThrownBy(() -> LiteLlmConfig.reload(router, write(V2.replace("[\"claude\"]", "[\"nope\"]")), ENV))
                .isInstanceOfAny(LiteLlmConfigException.class, IllegalArgumentException.class)
                .hasMessageContaining("nope");

        assertThat(router.deployments()).isEqualTo(before);
        assertThat(router.modelGroups()).containsExactly("gpt");
        assertThat(router.fallbackPolicy()).isEqualTo(FallbackPolicy.defaults());
    }

    /** Reads the router's retry count through its public policy. */
    private static final class RetryPolicyProbe {
        static void assertRetries(Router router, int retries) {
            assertThat(router.retryPolicy().numRetries()).isEqualTo(retries);
        }
    }
}
