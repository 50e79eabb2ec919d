package io.llmrouter.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.internal.RedactedCause;
import io.llmrouter.api.internal.OpenAiJsonCodec;
import java.io.IOException;
import java.util.List;
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

    @ParameterizedTest
    @ValueSource(strings = {"key", "api_key", "apikey", "api-key", "token", "access_token", "id_token", "sig",
            "signature", "X-Amz-Signature", "X-Amz-Credential", "X-Amz-Security-Token", "client_secret", "password",
            "subscription-key", "auth"})
    void masksEveryCredentialLikeQueryParameter(String name) {
        assertThat(Redaction.url("https://h.example/v1/x?alt=sse&" + name + "=s3cr3t&api-version=2024-10-21"))
                .isEqualTo("https://h.example/v1/x?alt=sse&" + name + "=****&api-version=2024-10-21");
        assertThat(Redaction.url("https://h.example/v1?" + name + "=s3cr3t")).isEqualTo("https://h.example/v1?" + name
                + "=****");
    }

    @Test
    void masksUrlUserInfoEvenInsideText() {
        assertThat(Redaction.url("https://user:s3cr3t@h.example/v1")).isEqualTo("https://****@h.example/v1");
        assertThat(Redaction.text("POST http://s3cr3t@127.0.0.1:8080/chat failed", null))
                .isEqualTo("POST http://****@127.0.0.1:8080/chat failed");
    }

    @Test
    void leavesUrlsWithoutCredentialsAlone() {
        String url = "https://x.openai.azure.com/openai/deployments/d/chat/completions?api-version=2024-10-21&alt=sse";
        assertThat(Redaction.url(url)).isSameAs(url);
        assertThat(Redaction.text("write to ops@example.com", null)).isEqualTo("write to ops@example.com");
    }

    @Test
    void keepsACleanCauseAsItIs() {
        IOException clean = new IOException("connection reset");

        assertThat(Redaction.cause(clean, KEY)).isSameAs(clean);
        assertThat(Redaction.cause(null, KEY)).isNull();
    }

    @Test
    void replacesACauseChainThatQuotesTheKeyWithRedactedCopies() {
        // given: the parser's exception for a body that starts with the key, wrapped as OpenAiJson wraps it
        Secret key = Secret.of("plainsecret0123456789");
        IllegalArgumentException parse = new IllegalArgumentException("not valid JSON: Unrecognized token "
                + "'plainsecret0123456789'", new JsonParseException(null, "Unrecognized token 'plainsecret0123456789'"));
        parse.addSuppressed(new IllegalStateException("plainsecret0123456789 again"));
        // when
        Throwable redacted = Redaction.cause(parse, key);
        // then: same shape and stack, no key
        assertThat(redacted).isInstanceOf(RedactedCause.class)
                .hasMessage("java.lang.IllegalArgumentException: not valid JSON: Unrecognized token '****'");
        assertThat(redacted.getStackTrace()).isEqualTo(parse.getStackTrace());
        assertThat(redacted.getCause()).isInstanceOf(RedactedCause.class)
                .hasMessageStartingWith("com.fasterxml.jackson.core.JsonParseException: Unrecognized token '****'")
                .hasNoCause();
        assertThat(redacted.getSuppressed()).singleElement().satisfies(s ->
                assertThat(s).hasMessage("java.lang.IllegalStateException: **** again"));
    }

    @Test
    void redactsSeveralSecretsInTextAndCauses() {
        List<Secret> secrets = List.of(Secret.of("firstsecret-aaaa"), Secret.of("secondsecret-bbbb"));

        assertThat(Redaction.redact("firstsecret-aaaa and secondsecret-bbbb", secrets)).isEqualTo("**** and ****");
        assertThat(Redaction.redactCause(new IOException("secondsecret-bbbb"), secrets))
                .hasMessage("java.io.IOException: ****");
    }

    @Test
    void redactsAJsonTreeWithoutTouchingTheOriginal() {
        JsonNode original = OpenAiJsonCodec.parse("{\"hate\":{\"filtered\":false},\"list\":[{\"id\":\"sk-proj-abcdef0123456789\"}],"
                + "\"sk-proj-abcdef0123456789\":1}");

        JsonNode redacted = Redaction.json(original, KEY);

        assertThat(redacted.toString()).isEqualTo("{\"hate\":{\"filtered\":false},\"list\":[{\"id\":\"****\"}],"
                + "\"****\":1}");
        assertThat(original.toString()).contains("sk-proj-abcdef0123456789");
        assertThat(Redaction.json(null, KEY)).isNull();
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
