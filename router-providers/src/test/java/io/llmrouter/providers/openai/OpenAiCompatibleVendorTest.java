package io.llmrouter.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.providers.openai.OpenAiCompatibleVendor.StatusMeaning;
import io.llmrouter.providers.openai.OpenAiCompatibleVendor.TokenLimitField;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiCompatibleVendorTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            openai            | https://api.openai.com/v1             | OPENAI_API_KEY                        | true
            groq              | https://api.groq.com/openai/v1        | GROQ_API_KEY                          | true
            mistral           | https://api.mistral.ai/v1             | MISTRAL_API_KEY                       | true
            deepseek          | https://api.deepseek.com              | DEEPSEEK_API_KEY                      | true
            together_ai       | https://api.together.xyz/v1           | TOGETHERAI_API_KEY TOGETHER_API_KEY   | true
            fireworks_ai      | https://api.fireworks.ai/inference/v1 | FIREWORKS_API_KEY                     | true
            openrouter        | https://openrouter.ai/api/v1          | OPENROUTER_API_KEY                    | true
            xai               | https://api.x.ai/v1                   | XAI_API_KEY                           | true
            perplexity        | https://api.perplexity.ai             | PERPLEXITYAI_API_KEY PERPLEXITY_API_KEY | true
            cerebras          | https://api.cerebras.ai/v1            | CEREBRAS_API_KEY                      | true
            ollama            | http://localhost:11434/v1             | -                                     | false
            vllm              | -                                     | HOSTED_VLLM_API_KEY                   | false
            hosted_vllm       | -                                     | HOSTED_VLLM_API_KEY                   | false
            lm_studio         | http://localhost:1234/v1              | -                                     | false
            huggingface       | https://router.huggingface.co/v1      | HF_TOKEN HUGGINGFACE_API_KEY          | true
            databricks        | -                                     | DATABRICKS_API_KEY                    | true
            watsonx           | https://us-south.ml.cloud.ibm.com/ml/gateway/v1 | WATSONX_TOKEN               | true
            nvidia_nim        | https://integrate.api.nvidia.com/v1   | NVIDIA_NIM_API_KEY                    | true
            sambanova         | https://api.sambanova.ai/v1           | SAMBANOVA_API_KEY                     | true
            novita            | https://api.novita.ai/v3/openai       | NOVITA_API_KEY                        | true
            nebius            | https://api.studio.nebius.ai/v1       | NEBIUS_API_KEY                        | true
            deepinfra         | https://api.deepinfra.com/v1/openai   | DEEPINFRA_API_KEY                     | true
            openai_compatible | -                                     | -                                     | false
            """)
    void declaresBaseUrlKeyVariablesAndWhetherKeyIsRequired(String prefix, String base, String envs,
            boolean required) {
        OpenAiCompatibleVendor vendor = OpenAiCompatibleVendor.forPrefix(prefix).orElseThrow();

        assertThat(vendor.prefix()).isEqualTo(prefix);
        assertThat(vendor.defaultApiBase()).isEqualTo(Optional.ofNullable(base));
        assertThat(vendor.apiKeyEnvs()).isEqualTo(envs == null ? List.of() : List.of(envs.split(" ")));
        assertThat(vendor.isApiKeyRequired()).isEqualTo(required);
    }

    @Test
    void listsTwentyThreeVendorsOpenAiFirst() {
        assertThat(OpenAiCompatibleVendor.all()).hasSize(23).first().isSameAs(OpenAiCompatibleVendor.OPENAI);
    }

    @Test
    void declaresTheQuirks() {
        assertThat(OpenAiCompatibleVendor.OPENAI.tokenLimitField()).isEqualTo(TokenLimitField.MAX_COMPLETION_TOKENS);
        assertThat(OpenAiCompatibleVendor.OPENAI.keepsDeveloperRole()).isTrue();
        assertThat(OpenAiCompatibleVendor.GROQ.keepsDeveloperRole()).isFalse();
        assertThat(OpenAiCompatibleVendor.GROQ.statusMeanings()).isEqualTo(Map.of(498, StatusMeaning.OVERLOADED));
        assertThat(OpenAiCompatibleVendor.DEEPSEEK.statusMeanings()).isEqualTo(Map.of(402, StatusMeaning.OUT_OF_CREDIT));
        assertThat(OpenAiCompatibleVendor.OPENROUTER.statusMeanings()).isEqualTo(
                Map.of(402, StatusMeaning.OUT_OF_CREDIT, 403, StatusMeaning.CONTENT_POLICY));
        assertThat(OpenAiCompatibleVendor.MISTRAL.seedField()).isEqualTo("random_seed");
        assertThat(OpenAiCompatibleVendor.MISTRAL.cachedTokensFields()).containsExactly("num_cached_tokens");
        assertThat(OpenAiCompatibleVendor.DEEPSEEK.cachedTokensFields()).containsExactly("prompt_cache_hit_tokens");
        assertThat(OpenAiCompatibleVendor.OLLAMA.apiBaseEnv()).contains("OLLAMA_API_BASE");
    }

    @Test
    void declaresTheQuirksOfTheHostedOpenSourceVendors() {
        assertThat(Stream.of(OpenAiCompatibleVendor.HUGGINGFACE, OpenAiCompatibleVendor.DATABRICKS,
                OpenAiCompatibleVendor.NVIDIA_NIM, OpenAiCompatibleVendor.SAMBANOVA, OpenAiCompatibleVendor.NOVITA,
                OpenAiCompatibleVendor.NEBIUS, OpenAiCompatibleVendor.DEEPINFRA))
                .allSatisfy(v -> assertThat(v.tokenLimitField()).as(v.prefix()).isEqualTo(TokenLimitField.MAX_TOKENS));
        assertThat(OpenAiCompatibleVendor.WATSONX.tokenLimitField()).isEqualTo(TokenLimitField.AS_GIVEN);
        assertThat(OpenAiCompatibleVendor.NVIDIA_NIM.droppedFields()).containsExactly("stream_options");
        assertThat(OpenAiCompatibleVendor.DATABRICKS.droppedFields()).containsExactly("stream_options");
        assertThat(OpenAiCompatibleVendor.DATABRICKS.apiBaseEnv()).contains("DATABRICKS_API_BASE");
        assertThat(OpenAiCompatibleVendor.NVIDIA_NIM.apiBaseEnv()).contains("NVIDIA_NIM_API_BASE");
        assertThat(OpenAiCompatibleVendor.NEBIUS.apiBaseEnv()).contains("NEBIUS_API_BASE");
    }

    @Test
    void mistralDropsStreamOptionsWhichItsSchemaLacks() {
        assertThat(OpenAiCompatibleVendor.MISTRAL.droppedFields()).contains("stream_options");
        assertThat(OpenAiCompatibleVendor.OPENAI.droppedFields()).isEmpty();
    }

    @Test
    void findsPrefixCaseInsensitivelyAndNothingForUnknown() {
        assertThat(OpenAiCompatibleVendor.forPrefix("Groq")).contains(OpenAiCompatibleVendor.GROQ);
        assertThat(OpenAiCompatibleVendor.forPrefix("anthropic")).isEmpty();
    }

    @Test
    void givenToBuilderUnderNewPrefix_whenBuilt_thenSameDeclarationOtherPrefix() {
        OpenAiCompatibleVendor second = OpenAiCompatibleVendor.VLLM.toBuilder("vllm_eu").build();

        assertThat(second.prefix()).isEqualTo("vllm_eu");
        assertThat(second.apiKeyEnvs()).isEqualTo(OpenAiCompatibleVendor.VLLM.apiKeyEnvs());
        assertThat(second.isApiKeyRequired()).isFalse();
        assertThat(OpenAiCompatibleVendor.OPENAI.toBuilder().build()).isEqualTo(OpenAiCompatibleVendor.OPENAI);
        assertThat(OpenAiCompatibleVendor.OPENAI_COMPATIBLE.toBuilder("other").build().apiKeyEnvs()).isEmpty();
    }

    @Test
    void rejectsBadPrefix() {
        assertThatThrownBy(() -> OpenAiCompatibleVendor.builder("Groq/x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prefix").hasMessageContaining("Groq/x");
    }

    @Test
    void rejectsRelativeBase() {
        assertThatThrownBy(() -> OpenAiCompatibleVendor.builder("x").defaultApiBase("api.example.com/v1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("defaultApiBase");
    }

    @Test
    void rejectsBadVariableName() {
        assertThatThrownBy(() -> OpenAiCompatibleVendor.builder("x").apiKeyEnv("MY KEY"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("apiKeyEnv");
    }

    @Test
    void rejectsNonErrorStatusMeaning() {
        assertThatThrownBy(() -> OpenAiCompatibleVendor.builder("x").statusMeaning(200, StatusMeaning.OVERLOADED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("200");
    }

    @Test
    void rejectsOptionalKeyWithoutVariable() {
        assertThatThrownBy(() -> OpenAiCompatibleVendor.builder("x").optionalApiKey().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("apiKeyEnv");
    }

    @Test
    void toStringShowsPrefixBaseAndVariables() {
        assertThat(OpenAiCompatibleVendor.GROQ).hasToString(
                "OpenAiCompatibleVendor[groq, defaultApiBase=https://api.groq.com/openai/v1, apiKeyEnvs=[GROQ_API_KEY] "
                        + "(required)]");
    }
}
