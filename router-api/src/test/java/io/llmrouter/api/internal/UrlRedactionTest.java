package io.llmrouter.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UrlRedactionTest {

    @Test
    void masksUserInfoAndCredentialParameters() {
        assertThat(UrlRedaction.redact("https://user:KEY123@host.example/v1?token=t0k&sig=abc&X-Amz-Credential=AKID%2F"
                + "20250101&api-version=1#frag"))
                .isEqualTo("https://****@host.example/v1?token=****&sig=****&X-Amz-Credential=****&api-version=1#frag");
    }

    @Test
    void returnsTextWithoutCredentialsUnchanged() {
        String url = "http://localhost:11434/v1?alt=sse";
        assertThat(UrlRedaction.redact(url)).isSameAs(url);
    }
}
