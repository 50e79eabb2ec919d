package io.llmrouter.litellm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.providers.azure.AzureOpenAiProvider;
import io.llmrouter.providers.bedrock.AwsCredentials;
import io.llmrouter.providers.bedrock.AwsCredentialsSupplier;
import io.llmrouter.providers.bedrock.BedrockProvider;
import io.llmrouter.providers.openai.OpenAiProvider;
import java.io.StringReader;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Provider-specific {@code litellm_params} reach the adapters through their own option keys. */
class LiteLlmProviderParamsTest {

    private static final String SECRET = "aws-secret-DO-NOT-LEAK-99";
    private static final String TOKEN = "aws-token-DO-NOT-LEAK-77";

    private static final Map<String, String> ENV = Map.of("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE",
            "AWS_SECRET_ACCESS_KEY", SECRET, "AWS_SESSION_TOKEN", TOKEN, "AWS_REGION_NAME", "eu-west-1");

    private static LiteLlmConfig yaml(String text) {
        return LiteLlmConfig.load(new StringReader(text), ENV);
    }

    @Test
    void bedrockRegionAndStaticCredentialsFromLiteLlmsBedrockDocsReachTheAdapter() {
        // From LiteLLM's docs, "AWS Bedrock" (proxy config).
        LiteLlmConfig config = yaml("""
                model_list:
                  - model_name: bedrock-claude-v1
                    litellm_params:
                      model: bedrock/anthropic.claude-instant-v1
                      aws_access_key_id: os.environ/AWS_ACCESS_KEY_ID
                      aws_secret_access_key: os.environ/AWS_SECRET_ACCESS_KEY
                      aws_session_token: os.environ/AWS_SESSION_TOKEN
                      aws_region_name: os.environ/AWS_REGION_NAME
                  - model_name: bedrock-titan
                    litellm_params:
                      model: bedrock/amazon.titan-text-express-v1
                      region_name: us-east-1
                """);

        Deployment claude = config.deployments().get(0);
        assertThat(claude.options().get(BedrockProvider.REGION)).hasValue("eu-west-1");
        AwsCredentialsSupplier supplier = claude.options().get(BedrockProvider.CREDENTIALS).orElseThrow();
        AwsCredentials credentials = supplier.credentials();
        assertThat(credentials.accessKeyId()).isEqualTo("AKIDEXAMPLE");
        assertThat(credentials.secretAccessKey().reveal()).isEqualTo(SECRET);
        assertThat(credentials.sessionToken()).hasValueSatisfying(t -> assertThat(t.reveal()).isEqualTo(TOKEN));
        assertThat(config.deployments().get(1).options().get(BedrockProvider.REGION)).hasValue("us-east-1");
        assertThat(config.notes()).isEmpty();
        try (Router router = config.routerBuilder().build()) {
            String described = router.describe().toJson() + router.describe().toMarkdown();
            assertThat(described).contains("eu-west-1").doesNotContain(SECRET).doesNotContain(TOKEN);
        }
    }

    @Test
    void aSecretKeyWithoutItsKeyIdFailsNamingTheMissingKey() {
        assertThatThrownBy(() -> yaml("""
                model_list:
                  - model_name: b
                    litellm_params:
                      model: bedrock/anthropic.claude-instant-v1
                      aws_secret_access_key: os.environ/AWS_SECRET_ACCESS_KEY
                """)).isInstanceOf(LiteLlmConfigException.class)
                .hasMessage("config.yaml:5: model_list[0].litellm_params.aws_access_key_id: is required with the other"
                        + " AWS credential keys");
    }

    @Test
    void azureApiVersionAndOpenAiOrganizationReachTheAdapters() {
        LiteLlmConfig config = yaml("""
                model_list:
                  - model_name: a
                    litellm_params: {model: azure/gpt-4o, api_base: "https://x.openai.azure.com", api_version: "2024-06-01"}
                  - model_name: b
                    litellm_params: {model: openai/gpt-4o, organization: org-123}
                """);

        assertThat(config.deployments().get(0).options().get(AzureOpenAiProvider.API_VERSION)).hasValue("2024-06-01");
        assertThat(config.deployments().get(1).options().get(OpenAiProvider.ORGANIZATION)).hasValue("org-123");
    }

    @Test
    void keysForAnotherProviderVertexKeysAndMaxRetriesAreNotedWithTheirReason() {
        LiteLlmConfig config = yaml("""
                model_list:
                  - model_name: a
                    litellm_params:
                      model: openai/gpt-4o
                      region_name: us-east-1
                      max_retries: 3
                      vertex_project: my-project
                """);

        assertThat(config.notes()).extracting(ConfigNote::line, ConfigNote::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple(5, "applies to bedrock/ deployments only"),
                org.assertj.core.groups.Tuple.tuple(6, "not applied: in LiteLLM it is the provider SDK client's own"
                        + " retries, under the router's; here the router's retry policy (num_retries, retry_policy)"
                        + " makes every retry"),
                org.assertj.core.groups.Tuple.tuple(7, "applies to vertex_ai/ deployments only"));
    }

    @Test
    void vertexProjectLocationAndCredentialsReachTheVertexAdapter(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        java.nio.file.Path key = java.nio.file.Files.writeString(dir.resolve("sa.json"), "{\"type\": \"service_account\"}");
        LiteLlmConfig config = LiteLlmConfig.load(new java.io.StringReader("""
                model_list:
                  - model_name: gemini
                    litellm_params:
                      model: vertex_ai/gemini-2.5-flash
                      vertex_project: my-project
                      vertex_location: europe-west4
                      vertex_credentials: os.environ/VERTEX_SA_FILE
                  - model_name: claude
                    litellm_params:
                      model: vertex_ai/claude-sonnet-4@20250514
                      vertex_project: my-project
                      vertex_location: global
                      vertex_credentials: os.environ/VERTEX_SA_JSON
                """), java.util.Map.of("VERTEX_SA_FILE", key.toString(),
                "VERTEX_SA_JSON", "{\"type\": \"service_account\", \"private_key\": \"sk-secret-text\"}"));

        Deployment gemini = config.deployments().get(0);
        assertThat(gemini.options().get(io.llmrouter.providers.vertex.VertexAiProvider.PROJECT)).hasValue("my-project");
        assertThat(gemini.options().get(io.llmrouter.providers.vertex.VertexAiProvider.LOCATION)).hasValue("europe-west4");
        assertThat(gemini.options().get(io.llmrouter.providers.vertex.VertexAiProvider.CREDENTIALS)).isPresent();
        Deployment claude = config.deployments().get(1);
        assertThat(claude.options().get(io.llmrouter.providers.vertex.VertexAiProvider.LOCATION)).hasValue("global");
        assertThat(claude.options().get(io.llmrouter.providers.vertex.VertexAiProvider.CREDENTIALS)).isPresent();
        assertThat(config.notes()).isEmpty();
        assertThat(claude.toString()).doesNotContain("sk-secret-text");
    }

    @Test
    void aDeploymentsCooldownTimeAndContextWindowAreApplied_requestDefaultsAreNoted() throws Exception {
        LiteLlmConfig config = yaml("""
                model_list:
                  - model_name: a
                    litellm_params: {model: openai/my-model, cooldown_time: 12, temperature: 0.2}
                    model_info: {max_input_tokens: 8192}
                """);

        Deployment d = config.deployments().get(0);
        assertThat(d.cooldownTime()).hasValue(java.time.Duration.ofSeconds(12));
        assertThat(d.contextWindow()).hasValue(8192);
        assertThat(config.notes()).extracting(ConfigNote::key, ConfigNote::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple("model_list[0].litellm_params.temperature",
                        "not applied: a deployment has no default request parameters here; set them on the ChatRequest"));
        try (Router router = config.routerBuilder().build()) {
            com.fasterxml.jackson.databind.JsonNode node = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(router.describe().toJson()).path("model_groups").get(0).path("deployments").get(0);
            assertThat(node.path("cooldown_time").path("value").asText()).isEqualTo("PT12S");
            assertThat(node.path("context_window").asText()).isEqualTo("8192");
        }
    }
}
