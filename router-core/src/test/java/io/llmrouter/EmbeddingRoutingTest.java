package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.embedding.EmbeddingResponse;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.cost.PriceTable;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.testing.FakeProvider;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EmbeddingRoutingTest {

    private static Router.Builder quick() {
        return Router.builder().retryPolicy(retry -> retry.backoff(Duration.ZERO, Duration.ZERO));
    }

    @Test
    void givenEmbeddingDeployment_whenEmbedding_thenVectorsComeBackWithCostAndRouting() {
        FakeProvider provider = FakeProvider.builder().usage(Usage.builder().promptTokens(1000).totalTokens(1000).build())
                .reply("unused").build();
        try (Router router = quick().deployment(Deployment.builder("embed", "openai/text-embedding-3-small")
                .id("e1").provider(provider).build()).build()) {

            EmbeddingResponse response = router.embedding(EmbeddingRequest.builder("embed")
                    .addInput("hello").addInput("world").dimensions(4).build());

            assertThat(response.data()).hasSize(2);
            assertThat(response.data().get(0).dimensions()).isEqualTo(4);
            assertThat(response.data()).extracting(e -> e.index()).containsExactly(0, 1);
            assertThat(provider.embeddingRequests()).singleElement()
                    .satisfies(r -> assertThat(r.model()).isEqualTo("text-embedding-3-small"));
            BigDecimal perToken = PriceTable.bundled().lookup("openai/text-embedding-3-small").orElseThrow()
                    .price().inputPerToken().orElseThrow();
            assertThat(response.cost().totalUsd()).get()
                    .satisfies(t -> assertThat(t).isEqualByComparingTo(perToken.multiply(BigDecimal.valueOf(1000))));
            assertThat(response.routing().orElseThrow().deploymentId()).isEqualTo("e1");
        }
    }

    @Test
    void givenFailingPrimary_whenEmbeddingAsync_thenFallsBackLikeChat() throws Exception {
        FakeProvider primary = FakeProvider.failingWith(503);
        FakeProvider backup = FakeProvider.replying("unused");
        try (Router router = quick().retryPolicy(retry -> retry.numRetries(1))
                .deployment(Deployment.builder("embed", "openai/text-embedding-3-large").id("p").provider(primary).build())
                .deployment(Deployment.builder("embed-backup", "openai/text-embedding-3-small").id("b").provider(backup)
                        .build())
                .fallbackPolicy(fallback -> fallback.fallbacks("embed", "embed-backup"))
                .build()) {

            CompletableFuture<EmbeddingResponse> future = router.embeddingAsync(EmbeddingRequest.of("embed", "x"));
            EmbeddingResponse response = future.get(5, TimeUnit.SECONDS);

            assertThat(response.routing().orElseThrow().attempts()).extracting(Attempt::deploymentId)
                    .containsExactly("p", "p", "b");
            assertThat(response.routing().orElseThrow().isFallback()).isTrue();
        }
    }

    @Test
    void givenProviderWithoutEmbeddings_whenEmbedding_thenTypedError() {
        Provider chatOnly = new Provider() {
            @Override
            public String name() {
                return "chat-only";
            }

            @Override
            public CompletableFuture<ChatResponse> completeAsync(ProviderCall call) {
                return new CompletableFuture<>();
            }
        };
        try (Router router = quick()
                .deployment(Deployment.builder("a", "custom/a").id("a").provider(chatOnly).build())
                .deployment(Deployment.builder("b", "custom/b").id("b").provider(FakeProvider.replying("")).build())
                .build()) {

            assertThatThrownBy(() -> router.embedding(EmbeddingRequest.of("a", "x")))
                    .isInstanceOf(BadRequestException.class)
                    .hasMessageContaining("'chat-only' does not support embeddings");
        }
    }

    @Test
    void rejectsEmbeddingWithoutInputsBeforeAnyCall() {
        FakeProvider provider = FakeProvider.replying("");
        try (Router router = quick().deployment(Deployment.builder("embed", "openai/text-embedding-3-small")
                .provider(provider).build()).build()) {

            assertThatThrownBy(() -> router.embedding(EmbeddingRequest.builder("embed").build()))
                    .isInstanceOf(BadRequestException.class).hasMessageContaining("inputs must not be empty");
            assertThat(provider.callCount()).isZero();
        }
    }

    @Test
    void givenSameText_whenEmbeddedTwice_thenFakeVectorsAreEqual() {
        FakeProvider provider = FakeProvider.replying("");
        try (Router router = quick().deployment(Deployment.builder("embed", "openai/text-embedding-3-small")
                .provider(provider).build()).build()) {

            EmbeddingResponse a = router.embedding(EmbeddingRequest.of("embed", "same", "other"));
            EmbeddingResponse b = router.embedding(EmbeddingRequest.of("embed", "same"));

            assertThat(a.data().get(0).vector()).isEqualTo(b.data().get(0).vector());
            assertThat(a.data().get(0).vector()).isNotEqualTo(a.data().get(1).vector());
        }
    }
}
