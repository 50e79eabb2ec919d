package io.llmrouter.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.api.chat.ChatResponse;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class SinglePrefixProviderFactoryTest {

    /** A provider that never answers: only its identity matters here. */
    static final class AcmeProvider implements Provider {
        @Override
        public String name() {
            return "acme";
        }

        @Override
        public CompletableFuture<ChatResponse> completeAsync(ProviderCall call) {
            return new CompletableFuture<>();
        }
    }

    static final class AcmeFactory extends SinglePrefixProviderFactory<AcmeProvider> {
        AcmeFactory() {
            super("acme", AcmeProvider::new);
        }
    }

    private final AcmeFactory factory = new AcmeFactory();

    @Test
    void servesItsOnePrefix() {
        assertThat(factory.routePrefixes()).containsExactly("acme");
        assertThat(factory).hasToString("AcmeFactory[acme]");
    }

    @Test
    void givenPrefixInAnyCase_whenCreate_thenNewProviderEachCall() {
        AcmeProvider first = factory.create("ACME");

        assertThat(first.name()).isEqualTo("acme");
        assertThat(factory.create()).isNotSameAs(first);
    }

    @Test
    void rejectsAnotherPrefixNamingItAndTheOneServed() {
        assertThatThrownBy(() -> factory.create("openai")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("routePrefix 'openai' is not served by AcmeFactory; known: [acme]");
        assertThatThrownBy(() -> factory.create(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("routePrefix");
    }

    @Test
    void rejectsPrefixThatIsBlankOrNotLowerCase() {
        assertThatThrownBy(() -> new SinglePrefixProviderFactory<AcmeProvider>("Acme", AcmeProvider::new) { })
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Acme'");
        assertThatThrownBy(() -> new SinglePrefixProviderFactory<AcmeProvider>(" ", AcmeProvider::new) { })
                .isInstanceOf(IllegalArgumentException.class);
    }
}
