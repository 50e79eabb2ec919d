package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.api.Secret;
import org.junit.jupiter.api.Test;

class DeploymentTest {

    @Test
    void toStringMasksApiBaseUserInfoAndCredentialParametersButKeepsTheUrlUsable() {
        Deployment d = Deployment.builder("gpt-4o", "openai/gpt-4o").apiKey(Secret.of("sk-live-secret-0123"))
                .apiBase("https://user:KEY-in-userinfo@proxy.example/v1?token=T0K&access_token=AT&sig=S1G"
                        + "&api-version=2024-10-21")
                .build();

        assertThat(d.toString())
                .contains("apiBase=https://****@proxy.example/v1?token=****&access_token=****&sig=****"
                        + "&api-version=2024-10-21")
                .doesNotContain("KEY-in-userinfo").doesNotContain("T0K").doesNotContain("S1G")
                .doesNotContain("sk-live-secret-0123");
        assertThat(d.apiBase()).contains("https://user:KEY-in-userinfo@proxy.example/v1?token=T0K&access_token=AT"
                + "&sig=S1G&api-version=2024-10-21");
    }

    @Test
    void rejectedApiBaseIsQuotedWithoutItsCredentials() {
        assertThatThrownBy(() -> Deployment.builder("g", "openai/gpt-4o").apiBase("ftp://user:S3CRET@host/v1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ftp://****@host/v1")
                .hasMessageNotContaining("S3CRET");
        assertThatThrownBy(() -> Deployment.builder("g", "openai/gpt-4o").apiBase("https://u:S3CRET@host/v 1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("S3CRET").hasNoCause();
    }
}
