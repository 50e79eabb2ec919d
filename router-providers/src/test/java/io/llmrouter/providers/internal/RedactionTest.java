package io.llmrouter.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.api.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedactionTest {

    private static final Secret KEY = Secret.of("sk-proj-abcdef0123456789");

    @Test
    void masksTheRevealedKeyAnywhereInText() {
        assertThat(Redaction.text("key sk-proj-abcdef0123456789 was rejected", KEY)).isEqualTo("key **** was rejected");
    }

    @Test
    void masksOpenAiPartialKeyEcho() {
        assertThat(Redaction.text("Incorrect API key provided: sk-abc***********xyz1. You can find", null))
                .isEqualTo("Incorrect API key provided: ****. You can find");
    }

    @Test
    void masksBearerTokensGoogleKeysAndKeyQueryParameters() {
        assertThat(Redaction.text("Authorization: Bearer abc.def-ghi", null)).isEqualTo("Authorization: Bearer ****");
        assertThat(Redaction.text("AIzaSyA1234567890abcdefghij", null)).isEqualTo("****");
        assertThat(Redaction.url("https://g.example/v1/models?alt=sse&key=AIzaSecret123&x=1"))
                .isEqualTo("https://g.example/v1/models?alt=sse&key=****&x=1");
    }

    @Test
    void leavesOrdinaryWordsAlone() {
        assertThat(Redaction.text("a risk-based ask-me approach", null)).isEqualTo("a risk-based ask-me approach");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Authorization", "api-key", "X-Api-Key", "x-goog-api-key", "X-Amz-Security-Token"})
    void knowsCredentialHeaders(String name) {
        assertThat(Redaction.isSensitiveHeader(name)).isTrue();
    }

    @Test
    void ordinaryHeadersAreNotSensitive() {
        assertThat(Redaction.isSensitiveHeader("OpenAI-Organization")).isFalse();
    }

    @Test
    void excerptIsOneShortLine() {
        String excerpt = Redaction.excerpt("<html>\n  <body>" + "x".repeat(1000) + "</body>\n</html>", KEY);

        assertThat(excerpt).hasSize(Redaction.MAX_EXCERPT).startsWith("<html> <body>xxx").endsWith("\u2026")
                .doesNotContain("\n");
    }
}
