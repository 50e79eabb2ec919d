package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.testing.FakeProvider;
import org.junit.jupiter.api.Test;

/** The per-deployment size limits: validated, copied, and handed to the provider in its {@link Endpoint}. */
class DeploymentSizeLimitsTest {

    @Test
    void rejectsLimitsBelowOneNamingTheField() {
        Deployment.Builder b = Deployment.builder("g", "openai/gpt-4o");
        assertThatThrownBy(() -> b.maxResponseBytes(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxResponseBytes must be positive, was 0");
        assertThatThrownBy(() -> b.maxStreamEventBytes(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxStreamEventBytes must be positive, was -1");
    }

    @Test
    void unsetLimitsAreEmptyAndSetOnesSurviveToBuilder() {
        Deployment plain = Deployment.builder("g", "openai/gpt-4o").build();
        Deployment limited = plain.toBuilder().maxResponseBytes(1_000).maxStreamEventBytes(100).build();

        assertThat(plain.maxResponseBytes()).isEmpty();
        assertThat(plain.maxStreamEventBytes()).isEmpty();
        assertThat(limited.toBuilder().build()).isEqualTo(limited).isNotEqualTo(plain);
        assertThat(limited.maxResponseBytes()).hasValue(1_000);
        assertThat(limited.toString()).contains("maxResponseBytes=1000", "maxStreamEventBytes=100");
    }

    @Test
    void givenLimits_whenCalled_thenTheProviderSeesThemAndTheDefaultsOtherwise() {
        FakeProvider limited = FakeProvider.replying("a");
        FakeProvider plain = FakeProvider.replying("b");
        try (Router router = Router.builder()
                .deployment(Deployment.builder("l", "fake/m").provider(limited).maxResponseBytes(1_000)
                        .maxStreamEventBytes(100).build())
                .deployment(Deployment.builder("p", "fake/m").provider(plain).build())
                .build()) {
            router.completion(ChatRequest.ofUser("l", "hi"));
            router.completion(ChatRequest.ofUser("p", "hi"));
        }
        Endpoint set = limited.calls().get(0).endpoint();
        Endpoint unset = plain.calls().get(0).endpoint();
        assertThat(set.maxResponseBytes()).isEqualTo(1_000);
        assertThat(set.maxStreamEventBytes()).isEqualTo(100);
        assertThat(unset.maxResponseBytes()).isEqualTo(Endpoint.DEFAULT_MAX_RESPONSE_BYTES);
        assertThat(unset.maxStreamEventBytes()).isEqualTo(Endpoint.DEFAULT_MAX_STREAM_EVENT_BYTES);
    }
}
